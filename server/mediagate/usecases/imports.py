"""Taking a file in from a URL: ImportFromUrl, and the inbox's workers (usecases/inbox.py).

    url -> fetch (sources/url_fetch.py: SSRF checks, retries, limits) -> parts -> Uploads
    (or VoiceMessages) -> the same intake, inspection, policy and answer as an Upload

The fetched body becomes an upload stream: the caller's header first, then the body in chunks
of CHUNK_BYTES. The fetch starts only when intake asks for the first chunk, so an idempotent
repeat with a declared sha256 is answered without fetching anything, and the upload slot is
held before the first byte is fetched. The fetcher stops reading one byte past the profile's
limit whatever Content-Length says; intake refuses TOO_LARGE at the limit itself.

A fetch that fails before intake has accepted anything (FETCH_FAILED with no status or a 5xx
or 429, FETCH_TIMEOUT) is tried again from the start, within `attempts`: each attempt spools a
fresh copy, so no stored file is ever stitched from two responses (the fetcher also refuses a
retry whose ETag differs from the first answer's).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Protocol

from mediagate.errors import ErrorReason, MediagateError, Rejected
from mediagate.intake.parts import HeaderFields, Part
from mediagate.sources.url_policy import scrub
from mediagate.store.ids import time_sorted_id
from mediagate.store.inbox import ImportRecord, ImportSource, ImportState, InboxLedger
from mediagate.store.records import AttachmentRecord
from mediagate.telemetry import metrics
from mediagate.usecases.admission import Caller
from mediagate.usecases.uploads import Uploads
from mediagate.usecases.voice_messages import Said, VoiceMessages

log = logging.getLogger(__name__)

# Chunks handed to intake: a fetch reads whatever the network delivers (a few KiB at a time
# from a slow server), and intake asks chunks to average a useful size.
CHUNK_BYTES = 256 * 1024
MAX_URL_BYTES = 4096
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000


class Body(Protocol):
    def chunks(self) -> AsyncIterator[bytes]: ...


class Fetcher(Protocol):
    def open(
        self, url: str, *, bearer_token: str | None, max_bytes: int
    ) -> AbstractAsyncContextManager[Body]: ...


@dataclass(frozen=True)
class UrlImport:
    url: str
    header: HeaderFields = field(default_factory=HeaderFields)
    bearer_token: str = field(default="", repr=False)
    voice_message: bool = False


def retryable(exc: BaseException) -> bool:
    """A failure that another attempt from the start may not meet: the URL's server was slow,
    busy or broken, or mediagate itself was busy. Refusals and malformed requests are final."""
    if not isinstance(exc, MediagateError):
        return False
    if exc.reason is ErrorReason.FETCH_FAILED:
        # A body cut short, a dropped connection, a name that did not resolve, a file that
        # changed between attempts: a fresh attempt reads a whole new copy (never joined to
        # the old one). A TLS or protocol failure would fail the same way again.
        if exc.metadata.get("why") in ("short", "connection", "dns", "changed"):
            return True
        status = int(exc.metadata.get("status", "0") or 0)
        return status in (408, 425, 429) or status >= 500
    return exc.reason in (
        ErrorReason.FETCH_TIMEOUT,
        ErrorReason.OVERLOADED,
        ErrorReason.TOO_MANY_UPLOADS,
        ErrorReason.WORKER_LOST,
        # The malware scanner gave no verdict (down, slow, an error): it may the next time.
        ErrorReason.SCANNER_UNAVAILABLE,
    )


def outcome_of(exc: BaseException) -> tuple[ImportState, str, str]:
    """(state, reason name, message) an import ends in after this failure."""
    if isinstance(exc, Rejected):
        first = exc.findings[0]
        return ImportState.REJECTED, first.reason.value, first.message
    if isinstance(exc, MediagateError):
        return ImportState.FAILED, exc.reason.value, exc.message
    if isinstance(exc, asyncio.CancelledError):
        return ImportState.FAILED, "CANCELLED", "The import was cancelled."
    return ImportState.FAILED, "INTERNAL", "The import failed on an internal error."


class Imports:
    def __init__(
        self,
        uploads: Uploads,
        voice: VoiceMessages,
        fetcher: Fetcher,
        ledger: InboxLedger,
        max_size_of: Callable[[str], int],
        default_profile: str,
        voice_profile: str,
        attempts: int = 2,
    ) -> None:
        self._uploads = uploads
        self._voice = voice
        self._fetcher = fetcher
        self._ledger = ledger
        # The inbox (usecases/inbox.py) shares it: every file taken in from a URL is listed.
        self.ledger = ledger
        self._max_size_of = max_size_of
        self._default_profile = default_profile
        self._voice_profile = voice_profile
        self._attempts = max(1, attempts)

    async def from_url(self, asked: UrlImport, who: Caller) -> AttachmentRecord:
        """ImportFromUrl: the file taken in, or the Upload's refusal; recorded as an Import."""
        _check_url_length(asked.url)
        now = time.time()
        header = asked.header
        record = ImportRecord(
            id=time_sorted_id(now),
            tenant=who.tenant,
            source=ImportSource.API,
            state=ImportState.IMPORTING,
            url=scrub(asked.url),
            conversation_id=header.conversation_id[:128],
            file_name=header.file_name[:255],
            declared_mime_type=header.declared_mime_type[:255],
            declared_size_bytes=max(0, header.declared_size_bytes),
            attempts=1,
            create_time=now,
            update_time=now,
        )
        await asyncio.to_thread(self._ledger.add, [record])
        try:
            stored = await self.take_in(asked, who)
        except BaseException as exc:
            state, reason, message = outcome_of(exc)
            metrics.IMPORTS.labels(record.source.value, state.value).inc()
            ended = record.ended(state, time.time(), reason=reason, message=message)
            await asyncio.shield(asyncio.to_thread(self._ledger.save, ended))
            raise
        metrics.IMPORTS.labels(record.source.value, ImportState.ACCEPTED.value).inc()
        ended = record.ended(ImportState.ACCEPTED, time.time(), attachment_id=stored.id)
        await asyncio.shield(asyncio.to_thread(self._ledger.save, ended))
        return stored

    async def list_page(
        self, tenant: str, conversation_id: str, page_size: int, before_id: str
    ) -> tuple[list[ImportRecord], str]:
        """A page of imports, newest first, and the id the next starts below ("" on the last)."""
        if page_size < 0:
            raise MediagateError(ErrorReason.INVALID_PAGE_SIZE, "page_size is negative")
        size = min(page_size or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
        rows = await asyncio.to_thread(
            self._ledger.list_page, tenant, conversation_id, before_id, size + 1
        )
        page = rows[:size]
        return page, (page[-1].id if len(rows) > size else "")

    async def take_in(self, asked: UrlImport, who: Caller) -> AttachmentRecord:
        """Fetches and takes the file in, trying a failed fetch again from the start."""
        for attempt in range(1, self._attempts + 1):
            try:
                return await self._take_in_once(asked, who)
            except MediagateError as exc:
                if attempt == self._attempts or not retryable(exc):
                    raise
                log.info(
                    "import of %s: attempt %d failed (%s); trying again",
                    scrub(asked.url),
                    attempt,
                    exc.reason.value,
                )
        raise AssertionError("unreachable")  # the loop returns or raises

    async def _take_in_once(self, asked: UrlImport, who: Caller) -> AttachmentRecord:
        profile = asked.header.profile or (
            self._voice_profile if asked.voice_message else self._default_profile
        )
        # One byte past the profile's limit is enough for intake to refuse TOO_LARGE itself;
        # the fetcher never reads further. An unknown profile is intake's UNKNOWN_PROFILE.
        max_bytes = self._max_size_of(profile) + 1
        async with contextlib.aclosing(self._parts(asked, max_bytes)) as parts:
            if asked.voice_message:
                voice = await self._voice.upload(parts, Said(), who)
                return voice.recording
            return await self._uploads.upload(parts, who)

    async def _parts(self, asked: UrlImport, max_bytes: int) -> AsyncGenerator[Part]:
        yield asked.header
        token = asked.bearer_token or None
        async with self._fetcher.open(asked.url, bearer_token=token, max_bytes=max_bytes) as body:
            pending = bytearray()
            async for piece in body.chunks():
                pending += piece
                while len(pending) >= CHUNK_BYTES:
                    chunk = bytes(pending[:CHUNK_BYTES])
                    del pending[:CHUNK_BYTES]
                    yield chunk
            if pending:
                yield bytes(pending)


def _check_url_length(url: str) -> None:
    if len(url.encode()) > MAX_URL_BYTES:
        raise MediagateError(
            ErrorReason.URL_NOT_ALLOWED,
            f"The URL is longer than {MAX_URL_BYTES} bytes.",
            {"url": scrub(url[:256]), "why": "malformed"},
        )
