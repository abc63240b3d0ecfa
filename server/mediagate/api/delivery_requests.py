"""Reading delivery requests: names, filters and page tokens, as the use case takes them."""

from __future__ import annotations

from mediagate.api import page_tokens
from mediagate.api.requests import attachment_id, resource_id
from mediagate.errors import ErrorReason, MediagateError
from mediagate.store.deliveries import DeliveryMethod, Sender
from mediagate.usecases.deliveries import DeliveryRequest
from mediagate.v1 import delivery_pb2 as dpb

METHOD_OF = {
    dpb.DELIVERY_METHOD_UNSPECIFIED: None,
    dpb.DELIVERY_METHOD_UPLOAD: DeliveryMethod.UPLOAD,
    dpb.DELIVERY_METHOD_OPEN_MESSAGING: DeliveryMethod.OPEN_MESSAGING,
}
MAX_ID_BYTES = 256


def delivery_id(name: str) -> str:
    return resource_id(name, "deliveries", "a delivery")


def _invalid(field: str, message: str) -> MediagateError:
    return MediagateError(ErrorReason.INVALID_DELIVERY_REQUEST, message, {"field": field})


def deliver_request(request: dpb.DeliverAttachmentRequest) -> DeliveryRequest:
    if request.method not in METHOD_OF:
        raise _invalid("method", "unknown delivery method")
    for field in ("conversation_id",):
        if len(getattr(request, field).encode()) > MAX_ID_BYTES:
            raise _invalid(field, f"{field} is over {MAX_ID_BYTES} bytes")
    sender = None
    if request.HasField("sender"):
        given = request.sender
        if given.id_type not in ("", "Email", "Phone", "Opaque"):
            raise _invalid("sender.id_type", "sender.id_type is one of Email, Phone, Opaque")
        if len(given.id.encode()) > MAX_ID_BYTES or len(given.nickname.encode()) > MAX_ID_BYTES:
            raise _invalid("sender", f"sender fields are at most {MAX_ID_BYTES} bytes")
        sender = Sender(given.id, given.id_type or "Opaque", given.nickname)
    return DeliveryRequest(
        attachment_id=attachment_id(request.name),
        conversation_id=request.conversation_id,
        method=METHOD_OF[request.method],
        text=request.text,
        idempotency_key=request.idempotency_key,
        sender=sender,
    )


def list_filter(request: dpb.ListDeliveriesRequest) -> tuple[str, str, str]:
    """(attachment id, conversation id, the id the page starts below)."""
    attachment = attachment_id(request.attachment) if request.attachment else ""
    query = f"{request.attachment}|{request.conversation_id}"
    before = ""
    if request.page_token:
        try:
            before = page_tokens.decode(request.page_token, query)
        except page_tokens.BadPageToken as exc:
            raise MediagateError(ErrorReason.INVALID_PAGE_TOKEN, str(exc)) from None
    return attachment, request.conversation_id, before


def page_token(request: dpb.ListDeliveriesRequest, before_id: str) -> str:
    if not before_id:
        return ""
    return page_tokens.encode(before_id, f"{request.attachment}|{request.conversation_id}")
