"""Signed links to an attachment's bytes, one of its previews, or a voice message's rendition:
making them (sign) and serving what they name (open). No HTTP here: the media endpoint
(http/media.py) parses a request, calls open, and streams the MediaBody it gets.

A link's path names the tenant, the attachment and the target, all inside the signature:
  /v1/media/{tenant}/{attachment_id}                                      the attachment
  /v1/media/{tenant}/{attachment_id}/preview/{W}x{H}-{fmt}-q{Q}-p{page}   a preview
  /v1/media/{tenant}/{attachment_id}/rendition                            a voice rendition
Every segment is percent-encoded. open verifies the signature before it reads anything, then
loads the target afresh: an attachment deleted or expired since signing is gone (404), so its
links die with it.

Fetches of links made for a delivery (a delivery id, signed in) are reported to observers
(observe) after each GET or HEAD, so the delivery use case can see the platform fetch them.
"""

from __future__ import annotations

import enum
import hashlib
import logging
import math
import re
import time
import unicodedata
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import quote, unquote, urlencode

from mediagate.errors import ErrorReason, MediagateError
from mediagate.media.preview_spec import PreviewFormat, PreviewSpec, SpecError, normalise
from mediagate.signing.urls import UrlSigner
from mediagate.store.records import AttachmentRecord
from mediagate.usecases.attachments import Attachments, not_found
from mediagate.usecases.previews import Previews
from mediagate.usecases.voice_messages import VoiceMessages

log = logging.getLogger(__name__)

MEDIA_PREFIX = "/v1/media/"
PREVIEW_CHUNK_BYTES = 256 * 1024
_SPEC = re.compile(r"^(\d{1,4})x(\d{1,4})-(webp|jpeg|png)-q(\d{1,3})-p(\d{1,6})$")
_EXTENSION = {PreviewFormat.WEBP: ".webp", PreviewFormat.JPEG: ".jpg", PreviewFormat.PNG: ".png"}


class TargetKind(enum.StrEnum):
    ORIGINAL = "original"
    PREVIEW = "preview"
    RENDITION = "rendition"


@dataclass(frozen=True)
class Target:
    """What a link serves: the attachment's bytes, a preview (spec), or the voice rendition."""

    kind: TargetKind
    spec: PreviewSpec | None = None

    @staticmethod
    def preview(spec: PreviewSpec) -> Target:
        return Target(TargetKind.PREVIEW, spec)


ORIGINAL = Target(TargetKind.ORIGINAL)
RENDITION = Target(TargetKind.RENDITION)


@dataclass(frozen=True)
class LinkLifetimes:
    default_seconds: float = 900.0
    min_seconds: float = 300.0
    max_seconds: float = 7 * 86400.0

    def clamp(self, ttl_seconds: float | None) -> float:
        """None or <= 0: the default; then raised to the minimum, lowered to the maximum."""
        ttl = ttl_seconds if ttl_seconds and ttl_seconds > 0 else self.default_seconds
        return min(self.max_seconds, max(self.min_seconds, ttl))


@dataclass(frozen=True)
class SignedLink:
    url: str
    expire_time: float  # unix seconds
    mime_type: str
    size_bytes: int
    sha256: str


@dataclass(frozen=True)
class MediaBody:
    """What a verified link serves: the detected type, exact size, sha256 (the ETag), a file
    name safe to put in a header, the delivery it was made for, and its bytes by range."""

    kind: TargetKind
    mime_type: str
    size_bytes: int
    sha256: str
    file_name: str
    delivery_id: str
    _source: Callable[[int, int], AsyncIterator[bytes]] = field(repr=False)

    def chunks(self, start: int, end: int) -> AsyncIterator[bytes]:
        """The bytes in [start, end), a chunk at a time (never the whole file in memory)."""
        if not 0 <= start <= end <= self.size_bytes:
            raise ValueError(f"range {start}-{end} is outside 0-{self.size_bytes}")
        return self._source(start, end)


@dataclass(frozen=True)
class MediaFetch:
    """One GET or HEAD of a link made for a delivery, as the endpoint answered it."""

    delivery_id: str
    kind: TargetKind
    method: str  # "GET" | "HEAD"
    status: int  # the HTTP status answered
    bytes_sent: int  # body bytes written to the client
    complete: bool  # every byte of the representation was sent (never for HEAD, 304, 4xx)
    time: float  # unix seconds, when the answer ended


class MediaGone(Exception):
    """A link that verifies but whose target is no more (deleted, expired, never renderable)."""

    def __init__(self, kind: TargetKind, delivery_id: str, cause: MediagateError) -> None:
        super().__init__(str(cause))
        self.kind = kind
        self.delivery_id = delivery_id
        self.cause = cause


class MediaUnavailable(Exception):
    """A link that verifies but whose target cannot be served now (a busy render lane, ...):
    `cause` carries the reason and whether retrying later can work."""

    def __init__(self, kind: TargetKind, delivery_id: str, cause: MediagateError) -> None:
        super().__init__(str(cause))
        self.kind = kind
        self.delivery_id = delivery_id
        self.cause = cause


FetchObserver = Callable[[MediaFetch], Awaitable[None]]
# presign(sha256, seconds, mime type, file name) -> a URL the object store itself serves the
# blob at (store/s3_blobs.py S3BlobStore.presigned_url).
Presigner = Callable[[str, float, str, str], str]

# The failures of loading a verified link's target that mean it is gone, not failing.
_GONE = {
    ErrorReason.ATTACHMENT_NOT_FOUND,
    ErrorReason.NOT_A_VOICE_MESSAGE,
    ErrorReason.PREVIEW_UNSUPPORTED,
    ErrorReason.PAGE_OUT_OF_RANGE,
    ErrorReason.INVALID_PREVIEW_SPEC,
}


class MediaLinks:
    def __init__(
        self,
        signer: UrlSigner,
        attachments: Attachments,
        previews: Previews,
        voice: VoiceMessages,
        lifetimes: LinkLifetimes,
        read_chunk_bytes: int = 1024 * 1024,
        base_url: str = "",
        on_fetch: FetchObserver | None = None,
        presign: Presigner | None = None,
    ) -> None:
        self._signer = signer
        self._attachments = attachments
        self._previews = previews
        self._voice = voice
        self._lifetimes = lifetimes
        self._read_chunk = read_chunk_bytes
        self._base_url = base_url.rstrip("/")
        self._observers: list[FetchObserver] = [on_fetch] if on_fetch else []
        self._presign = presign

    def serve_at(self, base_url: str) -> None:
        """The public base URL links start with (known once the endpoint is bound)."""
        self._base_url = base_url.rstrip("/")

    def observe(self, callback: FetchObserver) -> None:
        """Calls callback after each GET or HEAD of a link that carries a delivery id."""
        self._observers.append(callback)

    async def sign(
        self,
        tenant: str,
        attachment_id: str,
        target: Target,
        ttl_seconds: float | None = None,
        delivery_id: str = "",
        now: float | None = None,
    ) -> SignedLink:
        """A link to target until now + the clamped ttl. Loads the target first (a preview is
        rendered now if not cached), so its type, size and sha256 are known and a link is
        never made to something missing."""
        body = await self._load(tenant, attachment_id, target, delivery_id)
        start = time.time() if now is None else now
        expires = math.ceil(start + self._lifetimes.clamp(ttl_seconds))
        path = media_path(tenant, attachment_id, target)
        query = self._signer.sign(path, expires, delivery_id)
        return SignedLink(
            url=f"{self._base_url}{path}?{urlencode(query)}",
            expire_time=float(expires),
            mime_type=body.mime_type,
            size_bytes=body.size_bytes,
            sha256=body.sha256,
        )

    async def link_for_caller(
        self,
        tenant: str,
        attachment_id: str,
        target: Target,
        ttl_seconds: float | None = None,
        now: float | None = None,
    ) -> SignedLink:
        """A link a caller asked for (CreateSignedUrl): the object store's presigned URL when
        one is configured and the target is stored bytes (an attachment, a voice rendition),
        so the download never passes through mediagate; otherwise our own signed link.
        Previews are always ours: they are cache entries, not servable objects."""
        if self._presign is None or target.kind is TargetKind.PREVIEW:
            return await self.sign(tenant, attachment_id, target, ttl_seconds, "", now)
        body = await self._load(tenant, attachment_id, target, "")
        start = time.time() if now is None else now
        expires = math.ceil(start + self._lifetimes.clamp(ttl_seconds))
        url = self._presign(body.sha256, expires - start, body.mime_type, body.file_name)
        return SignedLink(
            url=url,
            expire_time=float(expires),
            mime_type=body.mime_type,
            size_bytes=body.size_bytes,
            sha256=body.sha256,
        )

    async def open(self, path: str, query: Mapping[str, str], now: float) -> MediaBody:
        """What a link serves. Raises LinkRefused (signing/urls.py: 403) for a link that does
        not verify, MediaGone (404) when its target is no more, MediaUnavailable otherwise."""
        verified = self._signer.verify(path, query, now)
        delivery_id = verified.delivery_id
        try:
            tenant, attachment_id, target = parse_media_path(path)
        except ValueError as exc:  # signed by us, so only an older or foreign layout
            cause = MediagateError(ErrorReason.ATTACHMENT_NOT_FOUND, str(exc))
            raise MediaGone(TargetKind.ORIGINAL, delivery_id, cause) from None
        try:
            return await self._load(tenant, attachment_id, target, delivery_id)
        except MediagateError as exc:
            if exc.reason in _GONE:
                raise MediaGone(target.kind, delivery_id, exc) from None
            raise MediaUnavailable(target.kind, delivery_id, exc) from exc

    async def fetched(self, fetch: MediaFetch) -> None:
        """Reports a fetch to the observers (only one that carries a delivery id). An
        observer's failure is logged, never the fetch's."""
        if not fetch.delivery_id:
            return
        for observer in list(self._observers):
            try:
                await observer(fetch)
            except Exception:
                log.exception("a media fetch observer failed for delivery %s", fetch.delivery_id)

    async def _load(
        self, tenant: str, attachment_id: str, target: Target, delivery_id: str
    ) -> MediaBody:
        if target.kind is TargetKind.PREVIEW:
            assert target.spec is not None
            record = await self._attachments.get(tenant, attachment_id)
            preview = await self._previews.of(record, target.spec)
            name = f"{PurePosixPath(record.file_name).stem or 'attachment'}-preview"
            return _bytes_body(
                target.kind,
                preview.data,
                preview.mime_type,
                f"{name}{_EXTENSION[target.spec.format]}",
                delivery_id,
            )
        if target.kind is TargetKind.RENDITION:
            voice = await self._voice.get(tenant, attachment_id)
            if not voice.renditions:  # deleted on its own
                raise not_found(attachment_id)
            record = voice.renditions[0].record
        else:
            record = await self._attachments.get(tenant, attachment_id)
        return self._record_body(target.kind, record, delivery_id)

    def _record_body(
        self, kind: TargetKind, record: AttachmentRecord, delivery_id: str
    ) -> MediaBody:
        attachments, chunk_bytes = self._attachments, self._read_chunk

        async def source(start: int, end: int) -> AsyncIterator[bytes]:
            if start == end:  # a read limit of 0 would mean "to the end"
                return
            _, chunks = await attachments.read(
                record.tenant, record.id, start, end - start, chunk_bytes
            )
            try:
                async for data in chunks:
                    yield data
            finally:
                await chunks.aclose()

        return MediaBody(
            kind=kind,
            mime_type=record.detected_mime_type,
            size_bytes=record.size_bytes,
            sha256=record.sha256,
            file_name=safe_file_name(record.file_name),
            delivery_id=delivery_id,
            _source=source,
        )


def _bytes_body(
    kind: TargetKind, data: bytes, mime_type: str, file_name: str, delivery_id: str
) -> MediaBody:
    """A body held in memory: previews, at most preview_max_bytes (1 MiB by default)."""

    async def source(start: int, end: int) -> AsyncIterator[bytes]:
        view = memoryview(data)
        for offset in range(start, end, PREVIEW_CHUNK_BYTES):
            yield bytes(view[offset : min(end, offset + PREVIEW_CHUNK_BYTES)])

    return MediaBody(
        kind=kind,
        mime_type=mime_type,
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        file_name=safe_file_name(file_name),
        delivery_id=delivery_id,
        _source=source,
    )


def media_path(tenant: str, attachment_id: str, target: Target) -> str:
    """The path a link names (percent-encoded segments); see the module docstring."""
    path = f"{MEDIA_PREFIX}{_segment(tenant)}/{_segment(attachment_id)}"
    if target.kind is TargetKind.PREVIEW:
        assert target.spec is not None
        return f"{path}/preview/{_segment(target.spec.cache_key)}"
    if target.kind is TargetKind.RENDITION:
        return f"{path}/rendition"
    return path


def parse_media_path(path: str) -> tuple[str, str, Target]:
    """(tenant, attachment id, target) of a link's path; ValueError for any other path."""
    if not path.startswith(MEDIA_PREFIX):
        raise ValueError("not a media path")
    parts = [unquote(part) for part in path.removeprefix(MEDIA_PREFIX).split("/")]
    if len(parts) < 2 or not parts[0] or not parts[1]:
        raise ValueError("a media path names a tenant and an attachment")
    tenant, attachment_id, rest = parts[0], parts[1], parts[2:]
    if not rest:
        return tenant, attachment_id, ORIGINAL
    if rest == ["rendition"]:
        return tenant, attachment_id, RENDITION
    if len(rest) == 2 and rest[0] == "preview":
        return tenant, attachment_id, Target.preview(_spec(rest[1]))
    raise ValueError("unknown media target")


def _spec(text: str) -> PreviewSpec:
    match = _SPEC.match(text)
    if match is None:
        raise ValueError("not a preview spec")
    width, height, fmt, quality, page = match.groups()
    try:
        spec = normalise(int(width), int(height), PreviewFormat(fmt), int(quality), int(page))
    except SpecError as exc:
        raise ValueError(str(exc)) from None
    if spec.cache_key != text:
        raise ValueError("not a normalised preview spec")
    return spec


def _segment(value: str) -> str:
    return quote(value, safe="")


def safe_file_name(name: str, fallback: str = "attachment") -> str:
    """A file name fit for a download: the last path part only, without control or format
    characters (bidi overrides included), quotes or backslashes, nor leading dots."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(c for c in base if unicodedata.category(c)[0] != "C" and c != '"')
    kept = kept.strip().lstrip(".").strip()
    return kept[:200] or fallback
