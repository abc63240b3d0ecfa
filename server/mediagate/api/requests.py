"""Reading requests: resource names, preview specs, page tokens, and upload streams turned into
intake's parts. Everything a request can get wrong is a MediagateError with its reason here,
before any use case runs."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from typing import TypeVar

from mediagate.api import page_tokens
from mediagate.api.calls import note_attachment
from mediagate.api.convert import PREVIEW_FORMAT_OF
from mediagate.errors import ErrorReason, MediagateError
from mediagate.intake.parts import NEITHER, HeaderFields, Part, Parts
from mediagate.media.preview_spec import PreviewSpec, SpecError, normalise
from mediagate.usecases.media_links import ORIGINAL, RENDITION, Target
from mediagate.usecases.voice_messages import Said
from mediagate.v1 import attachment_service_pb2 as pb
from mediagate.v1 import delivery_pb2, preview_pb2

R = TypeVar("R")

# Resource ids: 32 lowercase hex characters (time-sortable, store/records.py).
_ID = "([0-9a-f]{32})"


def resource_id(name: str, collection: str, kind: str) -> str:
    """The id in a resource name "{collection}/{id}"; INVALID_NAME for anything else."""
    match = re.fullmatch(f"{collection}/{_ID}", name)
    if match is None:
        raise MediagateError(
            ErrorReason.INVALID_NAME,
            f"{name[:200]!r} is not {kind} name ({collection}/{{id}}).",
            {"name": name[:200]},
        )
    return match.group(1)


def attachment_id(name: str) -> str:
    found = resource_id(name, "attachments", "an attachment")
    note_attachment(found)  # the call's log line names the attachment it was about
    return found


def preview_spec(spec: preview_pb2.PreviewSpec) -> PreviewSpec:
    if spec.format not in PREVIEW_FORMAT_OF:
        raise MediagateError(
            ErrorReason.INVALID_PREVIEW_SPEC, "unknown preview format", {"field": "format"}
        )
    try:
        fmt = PREVIEW_FORMAT_OF[spec.format]
        return normalise(spec.max_width, spec.max_height, fmt, spec.quality, spec.page)
    except SpecError as exc:
        raise MediagateError(
            ErrorReason.INVALID_PREVIEW_SPEC, str(exc), {"field": exc.field}
        ) from None


def signed_url_target(request: delivery_pb2.CreateSignedUrlRequest) -> Target:
    """The attachment itself, a preview (its spec read as GetPreview reads it), or the voice
    rendition."""
    kind = request.WhichOneof("target")
    if kind == "preview":
        return Target.preview(preview_spec(request.preview))
    if kind == "voice_rendition" and request.voice_rendition:
        return RENDITION
    return ORIGINAL


def before_id(request: pb.ListAttachmentsRequest) -> str:
    """Where the requested page starts: "" for the first page."""
    if not request.page_token:
        return ""
    try:
        return page_tokens.decode(request.page_token, request.conversation_id)
    except page_tokens.BadPageToken as exc:
        raise MediagateError(ErrorReason.INVALID_PAGE_TOKEN, str(exc)) from None


def header_fields(header: pb.UploadHeader) -> HeaderFields:
    return HeaderFields(
        file_name=header.file_name,
        declared_mime_type=header.declared_mime_type,
        declared_size_bytes=header.declared_size_bytes,
        sha256=header.sha256,
        profile=header.profile,
        conversation_id=header.conversation_id,
        labels=dict(header.labels),
        idempotency_key=header.idempotency_key,
    )


async def _arrivals(requests: AsyncIterator[R], idle_seconds: float) -> AsyncIterator[R]:
    """The stream's messages, ending it with UPLOAD_IDLE when none comes for idle_seconds: an
    upload that stalls must not hold its slot, its spool and its memory for ever."""
    messages = aiter(requests)
    while True:
        try:
            # asyncio.timeout, not wait_for: no task per message.
            async with asyncio.timeout(idle_seconds):
                message = await anext(messages)
        except StopAsyncIteration:
            return
        except TimeoutError:
            raise MediagateError(
                ErrorReason.UPLOAD_IDLE,
                f"Nothing arrived for {idle_seconds:g} s; the upload was cancelled.",
                {"limit": f"{idle_seconds:g}"},
            ) from None
        yield message
        # Memory: a chunk's message is a megabyte; holding the last one while the next
        # arrives would double what every upload in flight costs.
        del message


async def upload_parts(requests: AsyncIterator[pb.UploadRequest], idle_seconds: float) -> Parts:
    async for request in _arrivals(requests, idle_seconds):
        part = _part(request.WhichOneof("content"), request)
        del request  # only the chunk is needed, not the message around it (see _arrivals)
        yield part
        del part


def _part(kind: str | None, request: pb.UploadRequest) -> Part:
    if kind == "chunk":
        return request.chunk
    if kind == "header":
        return header_fields(request.header)
    return NEITHER


def voice_parts(
    requests: AsyncIterator[pb.UploadVoiceMessageRequest], idle_seconds: float
) -> tuple[Said, Parts]:
    """The stream as intake's parts, and what the caller said beyond the upload header: filled
    in when intake reads the header message, so nothing is read before the upload is admitted."""
    said = Said()
    return said, _voice(requests, idle_seconds, said)


async def _voice(
    requests: AsyncIterator[pb.UploadVoiceMessageRequest], idle_seconds: float, said: Said
) -> Parts:
    async for request in _arrivals(requests, idle_seconds):
        kind = request.WhichOneof("content")
        part: Part = NEITHER
        if kind == "chunk":
            part = request.chunk
        elif kind == "header":
            if not said.heard:
                said.hear(request.header.transcript, request.header.transcript_language)
            part = header_fields(request.header.upload)
        del request  # see upload_parts
        yield part
        del part
