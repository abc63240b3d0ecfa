"""The AttachmentService servicer: the gRPC edge. Each method reads its request (api/requests.py),
calls one use case, and converts the answer (api/convert.py); every failure becomes a status
through the one table in api/status.py."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any, TypeVar

import grpc

from mediagate.api import (
    convert,
    delivery_convert,
    delivery_requests,
    import_convert,
    import_requests,
    page_tokens,
    requests,
)
from mediagate.api.calls import note_attachment
from mediagate.api.status import abort
from mediagate.api.tenancy import caller_of, tenant_of
from mediagate.errors import ErrorReason, MediagateError
from mediagate.policy.profiles import Profile
from mediagate.store.records import AttachmentRecord
from mediagate.usecases.attachments import Attachments
from mediagate.usecases.deliveries import Deliveries
from mediagate.usecases.imports import Imports
from mediagate.usecases.media_links import MediaLinks
from mediagate.usecases.previews import Previews
from mediagate.usecases.uploads import Uploads
from mediagate.usecases.voice_messages import VoiceMessages
from mediagate.v1 import attachment_pb2 as apb
from mediagate.v1 import attachment_service_pb2 as pb
from mediagate.v1 import attachment_service_pb2_grpc as pb_grpc
from mediagate.v1 import delivery_pb2 as dpb
from mediagate.v1 import imports_pb2 as ipb
from mediagate.v1 import preview_pb2, voice_pb2

log = logging.getLogger(__name__)

Context = grpc.aio.ServicerContext[Any, Any]
R = TypeVar("R")

# Kept free below the send limit in a ListAttachments response, though its size is counted
# exactly (api/convert.py list_response): room for anything grpc adds that is not counted.
LIST_RESPONSE_MARGIN = 64 * 1024


def edge(
    method: Callable[[Any, Any, Context], Awaitable[R]],
) -> Callable[[Any, Any, Context], Awaitable[R]]:
    """Answers any failure of a unary-response method with its status (api/status.py)."""

    @functools.wraps(method)
    async def wrapper(self: Any, request: Any, context: Context) -> R:
        try:
            return await method(self, request, context)
        except Exception as exc:
            await abort(context, exc, method.__name__)
            raise  # unreachable: abort raises

    return wrapper


class AttachmentServicer(pb_grpc.AttachmentServiceServicer):
    def __init__(
        self,
        uploads: Uploads,
        attachments: Attachments,
        previews: Previews,
        voice: VoiceMessages,
        profiles: Sequence[Profile],
        default_profile: str,
        max_chunk_bytes: int,
        recommended_chunk_bytes: int,
        idle_seconds: float,
        write_timeout_seconds: float,
        max_response_bytes: int,
        media_links: MediaLinks,
        deliveries: Deliveries,
        imports: Imports,
    ) -> None:
        self._uploads = uploads
        self._imports = imports
        self._deliveries = deliveries
        self._attachments = attachments
        self._previews = previews
        self._voice = voice
        self._media_links = media_links
        self._idle_seconds = idle_seconds
        self._write_timeout = write_timeout_seconds
        self._list_bytes = max_response_bytes - LIST_RESPONSE_MARGIN
        self._profiles = pb.ListProfilesResponse(
            profiles=[convert.profile_message(p) for p in profiles],
            default_profile=default_profile,
            max_chunk_size_bytes=max_chunk_bytes,
            recommended_chunk_size_bytes=recommended_chunk_bytes,
        )

    @edge
    async def Upload(
        self, request_iterator: AsyncIterator[pb.UploadRequest], context: Context
    ) -> apb.Attachment:
        parts = requests.upload_parts(request_iterator, self._idle_seconds)
        record = await self._uploads.upload(parts, caller_of(context))
        self._withdraw_if_unanswered(context, record)
        return convert.attachment_message(record)

    def _withdraw_if_unanswered(self, context: Context, record: AttachmentRecord) -> None:
        """If the call ends cancelled (the caller went away as the answer was on its way), the
        caller never learnt the attachment's name: it must not stay stored unknown to anyone."""
        note_attachment(record.id)

        def ended(done: Context) -> None:
            if done.cancelled():
                self._uploads.withdraw(record)

        context.add_done_callback(ended)  # type: ignore[arg-type]

    @edge
    async def Validate(
        self, request_iterator: AsyncIterator[pb.UploadRequest], context: Context
    ) -> apb.Verdict:
        parts = requests.upload_parts(request_iterator, self._idle_seconds)
        examined = await self._uploads.validate(parts, caller_of(context))
        return convert.verdict_message(examined)

    @edge
    async def GetAttachment(
        self, request: pb.GetAttachmentRequest, context: Context
    ) -> apb.Attachment:
        attachment_id = requests.attachment_id(request.name)
        record = await self._attachments.get(tenant_of(context), attachment_id)
        return convert.attachment_message(record)

    @edge
    async def ListAttachments(
        self, request: pb.ListAttachmentsRequest, context: Context
    ) -> pb.ListAttachmentsResponse:
        before = requests.before_id(request)
        page = await self._attachments.list_page(
            tenant_of(context), request.conversation_id, request.page_size, before
        )
        # Rows with many labels make a page of page_size rows too large to send: the page is
        # cut where it would pass the send limit, and its token continues from there.
        return convert.list_response(
            page.records,
            page.next_before_id,
            lambda before_id: page_tokens.encode(before_id, request.conversation_id),
            self._list_bytes,
        )

    @edge
    async def DeleteAttachment(
        self, request: pb.DeleteAttachmentRequest, context: Context
    ) -> pb.DeleteAttachmentResponse:
        attachment_id = requests.attachment_id(request.name)
        await self._attachments.delete(tenant_of(context), attachment_id)
        return pb.DeleteAttachmentResponse()

    async def Download(  # type: ignore[override]  # writes with context.write, see below
        self, request: pb.DownloadRequest, context: Context
    ) -> None:
        """Written with context.write rather than yield, so that each write has a deadline: a
        reader that stops reading would otherwise hold the stream and its blob open for ever."""
        try:
            attachment_id = requests.attachment_id(request.name)
            record, chunks = await self._attachments.read(
                tenant_of(context), attachment_id, request.read_offset, request.read_limit
            )
        except Exception as exc:
            await abort(context, exc, "Download")
            return
        # The first message carries the attachment (and an empty range still tells the
        # caller what it asked for).
        first: pb.DownloadResponse | None = pb.DownloadResponse(
            attachment=convert.attachment_message(record)
        )
        try:
            async for data in chunks:
                if first is not None:
                    first.data = data
                    await self._write(context, first)
                    first = None
                else:
                    await self._write(context, pb.DownloadResponse(data=data))
            if first is not None:
                await self._write(context, first)
        except Exception as exc:
            await abort(context, exc, "Download")
        finally:
            await chunks.aclose()

    async def _write(self, context: Context, message: pb.DownloadResponse) -> None:
        try:
            async with asyncio.timeout(self._write_timeout):  # no task per message, as wait_for
                await context.write(message)
        except TimeoutError:
            log.info("download to %s stalled for %g s; ended", context.peer(), self._write_timeout)
            raise MediagateError(
                ErrorReason.DOWNLOAD_STALLED,
                f"The reader took nothing for {self._write_timeout:g} s; the download ended.",
                {"limit": f"{self._write_timeout:g}"},
            ) from None

    @edge
    async def ListProfiles(
        self, request: pb.ListProfilesRequest, context: Context
    ) -> pb.ListProfilesResponse:
        return self._profiles

    @edge
    async def GetPreview(
        self, request: pb.GetPreviewRequest, context: Context
    ) -> preview_pb2.Preview:
        attachment_id = requests.attachment_id(request.name)
        spec = requests.preview_spec(request.spec)
        preview = await self._previews.get(tenant_of(context), attachment_id, spec)
        return convert.preview_message(preview, spec)

    @edge
    async def UploadVoiceMessage(
        self, request_iterator: AsyncIterator[pb.UploadVoiceMessageRequest], context: Context
    ) -> voice_pb2.VoiceMessage:
        said, parts = requests.voice_parts(request_iterator, self._idle_seconds)
        voice = await self._voice.upload(parts, said, caller_of(context))
        self._withdraw_if_unanswered(context, voice.recording)
        return convert.voice_message(voice)

    @edge
    async def GetVoiceMessage(
        self, request: pb.GetVoiceMessageRequest, context: Context
    ) -> voice_pb2.VoiceMessage:
        attachment_id = requests.attachment_id(request.name)
        voice = await self._voice.get(tenant_of(context), attachment_id)
        return convert.voice_message(voice)

    @edge
    async def CreateSignedUrl(
        self, request: dpb.CreateSignedUrlRequest, context: Context
    ) -> dpb.SignedUrl:
        attachment_id = requests.attachment_id(request.name)
        target = requests.signed_url_target(request)
        ttl = request.ttl.ToNanoseconds() / 1e9 if request.HasField("ttl") else None
        link = await self._media_links.link_for_caller(
            tenant_of(context), attachment_id, target, ttl
        )
        return convert.signed_url_message(link)

    # Deliveries into Genesys Cloud (usecases/deliveries.py).

    @edge
    async def DeliverAttachment(
        self, request: dpb.DeliverAttachmentRequest, context: Context
    ) -> dpb.Delivery:
        asked = delivery_requests.deliver_request(request)
        record = await self._deliveries.deliver(tenant_of(context), asked)
        return delivery_convert.delivery_message(record)

    @edge
    async def GetDelivery(self, request: dpb.GetDeliveryRequest, context: Context) -> dpb.Delivery:
        delivery_id = delivery_requests.delivery_id(request.name)
        record = await self._deliveries.get(tenant_of(context), delivery_id)
        return delivery_convert.delivery_message(record)

    @edge
    async def ListDeliveries(
        self, request: dpb.ListDeliveriesRequest, context: Context
    ) -> dpb.ListDeliveriesResponse:
        attachment, conversation, before = delivery_requests.list_filter(request)
        page, next_before = await self._deliveries.list_page(
            tenant_of(context), attachment, conversation, request.page_size, before
        )
        return dpb.ListDeliveriesResponse(
            deliveries=[delivery_convert.delivery_message(r) for r in page],
            next_page_token=delivery_requests.page_token(request, next_before),
        )

    @edge
    async def CancelDelivery(
        self, request: dpb.CancelDeliveryRequest, context: Context
    ) -> dpb.Delivery:
        delivery_id = delivery_requests.delivery_id(request.name)
        record = await self._deliveries.cancel(tenant_of(context), delivery_id)
        return delivery_convert.delivery_message(record)

    # Files taken in from URLs (usecases/imports.py).

    @edge
    async def ImportFromUrl(
        self, request: pb.ImportFromUrlRequest, context: Context
    ) -> apb.Attachment:
        record = await self._imports.from_url(
            import_requests.url_import(request), caller_of(context)
        )
        self._withdraw_if_unanswered(context, record)
        return convert.attachment_message(record)

    @edge
    async def ListImports(
        self, request: ipb.ListImportsRequest, context: Context
    ) -> ipb.ListImportsResponse:
        page, next_before = await self._imports.list_page(
            tenant_of(context),
            request.conversation_id,
            request.page_size,
            import_requests.before_id(request),
        )
        return ipb.ListImportsResponse(
            imports=[import_convert.import_message(r) for r in page],
            next_page_token=import_requests.page_token(request, next_before),
        )

    async def WatchDelivery(  # type: ignore[override]  # writes with context.write
        self, request: dpb.WatchDeliveryRequest, context: Context
    ) -> None:
        """Each state as it is entered. A watcher that reads slowly holds no more than the
        newest change: states it missed are in the history of the next message."""
        try:
            delivery_id = delivery_requests.delivery_id(request.name)
            async for record in self._deliveries.watch(tenant_of(context), delivery_id):
                await context.write(delivery_convert.delivery_message(record))
        except Exception as exc:
            await abort(context, exc, "WatchDelivery")
