"""The AttachmentService servicer: the gRPC edge. Thin: it reads requests, calls the pipeline
and the store, and maps every outcome to a response or a rich status."""

from __future__ import annotations

import asyncio
import functools
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

import grpc

from mediagate import pipeline
from mediagate.api import convert, errors, page_tokens
from mediagate.api.tenancy import tenant_of
from mediagate.intake.stream import ProtocolViolation
from mediagate.pipeline import Intake
from mediagate.preview.spec import PreviewFormat, SpecError
from mediagate.preview.spec import normalise as normalise_spec
from mediagate.previews import PreviewError, Previews
from mediagate.store.attachments import AttachmentStore
from mediagate.store.records import AttachmentRecord
from mediagate.v1 import attachment_pb2 as apb
from mediagate.v1 import attachment_service_pb2 as pb
from mediagate.v1 import attachment_service_pb2_grpc as pb_grpc
from mediagate.v1 import preview_pb2, voice_pb2
from mediagate.voice_messages import NotAVoiceMessage, VoiceMessages
from mediagate.workers.pool import Overloaded

_NAME = re.compile(r"^attachments/([0-9a-f]{32})$")
_PREVIEW_FORMATS = {
    preview_pb2.PREVIEW_FORMAT_UNSPECIFIED: None,
    preview_pb2.PREVIEW_FORMAT_WEBP: PreviewFormat.WEBP,
    preview_pb2.PREVIEW_FORMAT_JPEG: PreviewFormat.JPEG,
    preview_pb2.PREVIEW_FORMAT_PNG: PreviewFormat.PNG,
}
_PREVIEW_STATUS = {
    "PREVIEW_UNSUPPORTED": grpc.StatusCode.FAILED_PRECONDITION,
    "PREVIEW_FAILED": grpc.StatusCode.FAILED_PRECONDITION,
    "PAGE_OUT_OF_RANGE": grpc.StatusCode.OUT_OF_RANGE,
    "WORKER_LOST": grpc.StatusCode.UNAVAILABLE,
}
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000

Context = grpc.aio.ServicerContext[Any, Any]
R = TypeVar("R")


def _as_rpc_error(exc: Exception) -> errors.RpcError | None:
    if isinstance(exc, errors.RpcError):
        return exc
    if isinstance(exc, ProtocolViolation):
        return errors.failure(
            grpc.StatusCode.INVALID_ARGUMENT, exc.reason, exc.message, exc.metadata
        )
    if isinstance(exc, PreviewError):
        return errors.failure(_PREVIEW_STATUS[exc.reason], exc.reason, exc.message, exc.metadata)
    if isinstance(exc, Overloaded):
        return errors.failure(
            grpc.StatusCode.RESOURCE_EXHAUSTED,
            "OVERLOADED",
            str(exc),
            retry_after_seconds=exc.retry_after_seconds,
        )
    return None


def edge(
    method: Callable[[Any, Any, Context], Awaitable[R]],
) -> Callable[[Any, Any, Context], Awaitable[R]]:
    """Aborts the RPC with the rich status of a known failure; anything else is a bug and
    surfaces as INTERNAL through grpc itself."""

    @functools.wraps(method)
    async def wrapper(self: Any, request: Any, context: Context) -> R:
        try:
            return await method(self, request, context)
        except Exception as exc:
            rpc_error = _as_rpc_error(exc)
            if rpc_error is None:
                raise
            s = rpc_error.status
            await context.abort(s.code, s.details, s.trailing_metadata)
            raise  # unreachable: abort raises

    return wrapper


class AttachmentServicer(pb_grpc.AttachmentServiceServicer):
    def __init__(
        self,
        intake: Intake,
        store: AttachmentStore,
        previews: Previews,
        voice: VoiceMessages,
        download_chunk_bytes: int,
        recommended_chunk_bytes: int,
    ) -> None:
        self._intake = intake
        self._store = store
        self._previews = previews
        self._voice = voice
        self._download_chunk = download_chunk_bytes
        self._recommended_chunk = recommended_chunk_bytes

    @edge
    async def Upload(
        self, request_iterator: AsyncIterator[pb.UploadRequest], context: Context
    ) -> apb.Attachment:
        tenant = tenant_of(context)
        requests = aiter(request_iterator)
        header, profile = await pipeline.start(requests, self._intake)
        if header.idempotency_key:
            first = self._store.catalog.find_by_idempotency_key(tenant, header.idempotency_key)
            if first is not None:
                return convert.attachment_message(first)
        examined = await pipeline.examine(requests, header, profile, self._intake)
        spool = examined.spool
        try:
            if not examined.accepted or spool is None:
                raise errors.rejection(examined.findings)
            record = convert.record_from(examined, tenant)
            stored = await asyncio.to_thread(self._store.commit, spool.path, record)
            if stored.id == record.id:  # new, not an idempotent repeat
                self._previews.warm(stored, profile.eager_previews)
        finally:
            if spool is not None:
                spool.discard()  # a no-op once the store adopted the file
        return convert.attachment_message(stored)

    @edge
    async def Validate(
        self, request_iterator: AsyncIterator[pb.UploadRequest], context: Context
    ) -> apb.Verdict:
        requests = aiter(request_iterator)
        header, profile = await pipeline.start(requests, self._intake)
        examined = await pipeline.examine(requests, header, profile, self._intake)
        if examined.spool is not None:
            examined.spool.discard()
        return convert.verdict_message(examined)

    @edge
    async def GetAttachment(
        self, request: pb.GetAttachmentRequest, context: Context
    ) -> apb.Attachment:
        return convert.attachment_message(self._find(tenant_of(context), request.name))

    @edge
    async def ListAttachments(
        self, request: pb.ListAttachmentsRequest, context: Context
    ) -> pb.ListAttachmentsResponse:
        size = request.page_size or DEFAULT_PAGE_SIZE
        if size < 0:
            raise errors.failure(
                grpc.StatusCode.INVALID_ARGUMENT, "INVALID_PAGE_SIZE", "page_size is negative"
            )
        size = min(size, MAX_PAGE_SIZE)
        before = ""
        if request.page_token:
            try:
                before = page_tokens.decode(request.page_token, request.conversation_id)
            except page_tokens.BadPageToken as exc:
                raise errors.failure(
                    grpc.StatusCode.INVALID_ARGUMENT, "INVALID_PAGE_TOKEN", str(exc)
                ) from None
        # One row more than asked tells whether another page exists without a second query.
        rows = self._store.catalog.list_page(
            tenant_of(context), request.conversation_id, before, size + 1
        )
        page = rows[:size]
        token = ""
        if len(rows) > size:
            token = page_tokens.encode(page[-1].id, request.conversation_id)
        return pb.ListAttachmentsResponse(
            attachments=[convert.attachment_message(r) for r in page], next_page_token=token
        )

    @edge
    async def DeleteAttachment(
        self, request: pb.DeleteAttachmentRequest, context: Context
    ) -> pb.DeleteAttachmentResponse:
        attachment_id = self._parse_name(request.name)
        removed = await asyncio.to_thread(self._store.delete, tenant_of(context), attachment_id)
        if removed is None:
            raise self._not_found(request.name)
        return pb.DeleteAttachmentResponse()

    async def Download(
        self, request: pb.DownloadRequest, context: Context
    ) -> AsyncIterator[pb.DownloadResponse]:
        try:
            record = self._find(tenant_of(context), request.name)
            start, end = self._read_range(request, record.size_bytes)
        except errors.RpcError as exc:
            s = exc.status
            await context.abort(s.code, s.details, s.trailing_metadata)
        first: pb.DownloadResponse | None = pb.DownloadResponse(
            attachment=convert.attachment_message(record)
        )
        blob = await asyncio.to_thread(self._store.blobs.open, record.sha256)
        try:
            await asyncio.to_thread(blob.seek, start)
            position = start
            while position < end:
                data = await asyncio.to_thread(blob.read, min(self._download_chunk, end - position))
                if not data:
                    break
                position += len(data)
                if first is not None:
                    first.data = data
                    yield first
                    first = None
                else:
                    yield pb.DownloadResponse(data=data)
            if first is not None:  # an empty range still tells the caller what it asked for
                yield first
        finally:
            blob.close()

    @edge
    async def ListProfiles(
        self, request: pb.ListProfilesRequest, context: Context
    ) -> pb.ListProfilesResponse:
        return pb.ListProfilesResponse(
            profiles=[convert.profile_message(p) for p in self._intake.profiles.values()],
            default_profile=self._intake.default_profile,
            max_chunk_size_bytes=self._intake.max_chunk_bytes,
            recommended_chunk_size_bytes=self._recommended_chunk,
        )

    @edge
    async def GetPreview(
        self, request: pb.GetPreviewRequest, context: Context
    ) -> preview_pb2.Preview:
        record = self._find(tenant_of(context), request.name)
        s = request.spec
        try:
            fmt = _PREVIEW_FORMATS[s.format]
            spec = normalise_spec(s.max_width, s.max_height, fmt, s.quality, s.page)
        except (KeyError, SpecError) as exc:
            field_name = exc.field if isinstance(exc, SpecError) else "format"
            raise errors.failure(
                grpc.StatusCode.INVALID_ARGUMENT,
                "INVALID_PREVIEW_SPEC",
                str(exc) if isinstance(exc, SpecError) else "unknown preview format",
                {"field": field_name},
            ) from None
        return await self._previews.get(record, spec)

    @edge
    async def UploadVoiceMessage(
        self, request_iterator: AsyncIterator[pb.UploadVoiceMessageRequest], context: Context
    ) -> voice_pb2.VoiceMessage:
        return await self._voice.upload(aiter(request_iterator), tenant_of(context))

    @edge
    async def GetVoiceMessage(
        self, request: pb.GetVoiceMessageRequest, context: Context
    ) -> voice_pb2.VoiceMessage:
        tenant = tenant_of(context)
        record = self._find(tenant, request.name)
        try:
            return self._voice.message(tenant, record.id)
        except NotAVoiceMessage:
            raise errors.failure(
                grpc.StatusCode.NOT_FOUND,
                "NOT_A_VOICE_MESSAGE",
                f"{request.name} was not uploaded as a voice message.",
                {"name": request.name},
            ) from None

    def _find(self, tenant: str, name: str) -> AttachmentRecord:
        record = self._store.catalog.get(tenant, self._parse_name(name))
        if record is None:
            raise self._not_found(name)
        return record

    @staticmethod
    def _parse_name(name: str) -> str:
        match = _NAME.match(name)
        if match is None:
            raise errors.failure(
                grpc.StatusCode.INVALID_ARGUMENT,
                "INVALID_NAME",
                f"{name!r} is not an attachment name (attachments/{{id}}).",
                {"name": name[:200]},
            )
        return match.group(1)

    @staticmethod
    def _not_found(name: str) -> errors.RpcError:
        return errors.failure(
            grpc.StatusCode.NOT_FOUND,
            "ATTACHMENT_NOT_FOUND",
            f"No attachment {name}.",
            {"name": name},
        )

    @staticmethod
    def _read_range(request: pb.DownloadRequest, size: int) -> tuple[int, int]:
        if request.read_offset < 0 or request.read_limit < 0:
            raise errors.failure(
                grpc.StatusCode.INVALID_ARGUMENT,
                "INVALID_READ_RANGE",
                "read_offset and read_limit must not be negative.",
            )
        if request.read_offset > size:
            raise errors.failure(
                grpc.StatusCode.OUT_OF_RANGE,
                "INVALID_READ_RANGE",
                f"read_offset {request.read_offset} is past the end ({size} bytes).",
                {"limit": str(size), "actual": str(request.read_offset)},
            )
        end = (
            size if request.read_limit == 0 else min(size, request.read_offset + request.read_limit)
        )
        return request.read_offset, end
