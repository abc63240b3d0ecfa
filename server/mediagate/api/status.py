"""The one table from domain failures to gRPC statuses with google.rpc rich details.

Every error carries an ErrorInfo (domain "mediagate.v1") whose reason is a RejectionReason or
ErrorReason name without its prefix, so a caller in any language can switch on it; an error a
retry can cure also carries a RetryInfo. Nothing else in mediagate picks a status code.

Anything that is not a domain failure is a bug: it is logged with its traceback and answered
INTERNAL with a generic message, so no exception name, path, SQL or file content reaches a
caller.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

import grpc
from google.protobuf import any_pb2, duration_pb2
from google.protobuf.message import Message
from google.rpc import error_details_pb2, status_pb2
from grpc_status import rpc_status

from mediagate.api.calls import note_status
from mediagate.errors import ErrorReason, MediagateError, PastEnd, Rejected, bounded
from mediagate.reasons import Finding

log = logging.getLogger(__name__)

DOMAIN = "mediagate.v1"
INTERNAL_MESSAGE = "Internal error. It has been logged; retrying may help."

Code = grpc.StatusCode

STATUS_OF: Mapping[ErrorReason, grpc.StatusCode] = {
    # The stream or a request is malformed, whatever the server holds.
    ErrorReason.MALFORMED_REQUEST: Code.INVALID_ARGUMENT,
    ErrorReason.EMPTY_STREAM: Code.INVALID_ARGUMENT,
    ErrorReason.MISSING_HEADER: Code.INVALID_ARGUMENT,
    ErrorReason.DUPLICATE_HEADER: Code.INVALID_ARGUMENT,
    ErrorReason.CHUNK_TOO_LARGE: Code.INVALID_ARGUMENT,
    ErrorReason.CHUNK_TOO_SMALL: Code.INVALID_ARGUMENT,
    ErrorReason.INVALID_HEADER: Code.INVALID_ARGUMENT,
    ErrorReason.UNKNOWN_PROFILE: Code.INVALID_ARGUMENT,
    ErrorReason.INVALID_NAME: Code.INVALID_ARGUMENT,
    ErrorReason.INVALID_PAGE_TOKEN: Code.INVALID_ARGUMENT,
    ErrorReason.INVALID_PAGE_SIZE: Code.INVALID_ARGUMENT,
    ErrorReason.INVALID_PREVIEW_SPEC: Code.INVALID_ARGUMENT,
    ErrorReason.INVALID_DELIVERY_REQUEST: Code.INVALID_ARGUMENT,
    ErrorReason.URL_NOT_ALLOWED: Code.INVALID_ARGUMENT,
    # Negative offsets and limits; an offset past the end is errors.PastEnd: OUT_OF_RANGE.
    ErrorReason.INVALID_READ_RANGE: Code.INVALID_ARGUMENT,
    # What the caller names does not exist for its tenant.
    ErrorReason.ATTACHMENT_NOT_FOUND: Code.NOT_FOUND,
    ErrorReason.NOT_A_VOICE_MESSAGE: Code.NOT_FOUND,
    ErrorReason.DELIVERY_NOT_FOUND: Code.NOT_FOUND,
    # The key names a request already answered, of another kind.
    ErrorReason.IDEMPOTENCY_KEY_REUSED: Code.ALREADY_EXISTS,
    # The stored file cannot give what was asked.
    ErrorReason.PREVIEW_UNSUPPORTED: Code.FAILED_PRECONDITION,
    ErrorReason.PREVIEW_FAILED: Code.FAILED_PRECONDITION,
    ErrorReason.PAGE_OUT_OF_RANGE: Code.OUT_OF_RANGE,
    # The server or the delivery is not in a state to do what was asked.
    ErrorReason.DELIVERY_NOT_CONFIGURED: Code.FAILED_PRECONDITION,
    ErrorReason.DELIVERY_FINISHED: Code.FAILED_PRECONDITION,
    # An upstream server the caller named did not hand the file over.
    ErrorReason.FETCH_FAILED: Code.FAILED_PRECONDITION,
    # Retry later (RetryInfo says when), or free space first.
    ErrorReason.OVERLOADED: Code.RESOURCE_EXHAUSTED,
    ErrorReason.TOO_MANY_UPLOADS: Code.RESOURCE_EXHAUSTED,
    ErrorReason.STORAGE_FULL: Code.RESOURCE_EXHAUSTED,
    ErrorReason.QUOTA_EXCEEDED: Code.RESOURCE_EXHAUSTED,
    # A stream that stopped moving was ended by the server.
    ErrorReason.UPLOAD_IDLE: Code.DEADLINE_EXCEEDED,
    ErrorReason.DOWNLOAD_STALLED: Code.DEADLINE_EXCEEDED,
    ErrorReason.FETCH_TIMEOUT: Code.DEADLINE_EXCEEDED,
    ErrorReason.WORKER_LOST: Code.UNAVAILABLE,
    ErrorReason.SCANNER_UNAVAILABLE: Code.UNAVAILABLE,
    # Who is calling, and may it (api/authn.py).
    ErrorReason.UNAUTHENTICATED: Code.UNAUTHENTICATED,
    ErrorReason.PERMISSION_DENIED: Code.PERMISSION_DENIED,
}


def status_of(exc: BaseException, rpc: str = "") -> grpc.Status:
    """The status a failure is answered with; `rpc` names the call in the log of a fault."""
    if isinstance(exc, Rejected):
        return _rejection(exc.findings)
    if isinstance(exc, MediagateError):
        code = Code.OUT_OF_RANGE if isinstance(exc, PastEnd) else STATUS_OF[exc.reason]
        return _status(code, exc.message, [_error_info(exc.reason, exc.metadata)], exc)
    log.error("internal error in %s", rpc or "a call", exc_info=exc)
    return _status(Code.INTERNAL, INTERNAL_MESSAGE, [], None)


async def abort(
    context: grpc.aio.ServicerContext[Any, Any], exc: BaseException, rpc: str = ""
) -> None:
    """Ends the call with the status of exc (raises, as context.abort does)."""
    status = status_of(exc, rpc)
    note_status(status.code, _reason(exc))
    await context.abort(status.code, status.details, status.trailing_metadata)


def _reason(exc: BaseException) -> str:
    """The reason name the call's log line and metrics carry: the decisive one of a refusal."""
    if isinstance(exc, Rejected):
        return next((f.reason.value for f in exc.findings), "")
    if isinstance(exc, MediagateError):
        return str(exc.reason.value)
    return ""


def _rejection(findings: Iterable[Finding]) -> grpc.Status:
    """INVALID_ARGUMENT for a refused file: one ErrorInfo per finding, the decisive one first."""
    found = list(findings)
    first = found[0]
    message = f"{first.reason.value}: {first.message}"
    if len(found) > 1:
        message += " (also: " + ", ".join(f.reason.value for f in found[1:]) + ")"
    infos = [_error_info(f.reason.value, f.metadata) for f in found]
    return _status(Code.INVALID_ARGUMENT, message, infos, None)


def _error_info(reason: str, metadata: Mapping[str, str]) -> error_details_pb2.ErrorInfo:
    # Bounded again here: a finding's metadata may echo what a caller sent.
    bounded_metadata = {key: bounded(value) for key, value in metadata.items()}
    return error_details_pb2.ErrorInfo(reason=reason, domain=DOMAIN, metadata=bounded_metadata)


def _status(
    code: grpc.StatusCode,
    message: str,
    details: list[Message],
    error: MediagateError | None,
) -> grpc.Status:
    packed = [_pack(d) for d in details]
    if error is not None and error.retry_after_seconds is not None:
        delay = duration_pb2.Duration()
        delay.FromNanoseconds(int(error.retry_after_seconds * 1e9))
        packed.append(_pack(error_details_pb2.RetryInfo(retry_delay=delay)))
    status = status_pb2.Status(code=code.value[0], message=message, details=packed)
    converted: grpc.Status = rpc_status.to_status(status)
    return converted


def _pack(message: Message) -> any_pb2.Any:
    packed = any_pb2.Any()
    packed.Pack(message)
    return packed
