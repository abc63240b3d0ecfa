"""Reading and removing stored attachments: get, list a page, delete, and read a byte range.

Every call is scoped to the caller's tenant: another tenant's attachment is not found, never
forbidden, so its existence is not revealed.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from typing import BinaryIO

from mediagate.errors import ErrorReason, MediagateError, PastEnd
from mediagate.store.attachments import AttachmentStore
from mediagate.store.reads import StoreReads
from mediagate.store.records import AttachmentRecord, attachment_name

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000


@dataclass(frozen=True)
class Page:
    records: list[AttachmentRecord]
    # Where the next page starts (the last id of this one); "" when this is the last page.
    next_before_id: str


def not_found(attachment_id: str) -> MediagateError:
    name = attachment_name(attachment_id)
    return MediagateError(
        ErrorReason.ATTACHMENT_NOT_FOUND, f"No attachment {name}.", {"name": name}
    )


class Attachments:
    def __init__(self, store: AttachmentStore, reads: StoreReads, read_chunk_bytes: int) -> None:
        self._store = store
        self._reads = reads
        self._read_chunk = read_chunk_bytes

    async def get(self, tenant: str, attachment_id: str) -> AttachmentRecord:
        record = await self._reads.get(tenant, attachment_id)
        if record is None:
            raise not_found(attachment_id)
        return record

    async def list_page(
        self, tenant: str, conversation_id: str, page_size: int, before_id: str
    ) -> Page:
        """Newest first. page_size 0 means DEFAULT_PAGE_SIZE; more than MAX_PAGE_SIZE is cut."""
        if page_size < 0:
            raise MediagateError(ErrorReason.INVALID_PAGE_SIZE, "page_size is negative")
        size = min(page_size or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
        # One row more than asked tells whether another page exists without a second query.
        rows = await self._reads.list_page(tenant, conversation_id, before_id, size + 1)
        page = rows[:size]
        return Page(page, page[-1].id if len(rows) > size else "")

    async def delete(self, tenant: str, attachment_id: str) -> AttachmentRecord:
        """Deletes an attachment (a voice message takes its renditions with it)."""
        removed = await asyncio.to_thread(self._store.delete, tenant, attachment_id)
        if removed is None:
            raise not_found(attachment_id)
        return removed

    async def read(
        self, tenant: str, attachment_id: str, offset: int, limit: int, chunk_bytes: int = 0
    ) -> tuple[AttachmentRecord, AsyncGenerator[bytes, None]]:
        """The record and its bytes from offset, at most limit of them (0: to the end), in
        chunks of chunk_bytes (0: the configured read chunk). Checks the range before any byte
        is read."""
        record = await self.get(tenant, attachment_id)
        if offset < 0 or limit < 0:
            raise MediagateError(
                ErrorReason.INVALID_READ_RANGE, "read_offset and read_limit must not be negative."
            )
        size = record.size_bytes
        if offset > size:
            raise PastEnd(
                ErrorReason.INVALID_READ_RANGE,
                f"read_offset {offset} is past the end ({size} bytes).",
                {"limit": str(size), "actual": str(offset)},
            )
        end = size if limit == 0 else min(size, offset + limit)
        return record, self._chunks(record.sha256, offset, end, chunk_bytes or self._read_chunk)

    async def _chunks(
        self, sha256: str, start: int, end: int, chunk_bytes: int
    ) -> AsyncGenerator[bytes, None]:
        # Open, seek and the first read in one trip to a thread: a small file is one trip.
        blob, data = await asyncio.to_thread(
            self._open_at, sha256, start, min(chunk_bytes, end - start)
        )
        try:
            position = start
            while data:
                position += len(data)
                yield data
                if position >= end:
                    break
                data = await asyncio.to_thread(blob.read, min(chunk_bytes, end - position))
        finally:
            blob.close()

    def _open_at(self, sha256: str, start: int, size: int) -> tuple[BinaryIO, bytes]:
        blob = self._store.blobs.open(sha256)
        try:
            blob.seek(start)
            return blob, blob.read(size) if size > 0 else b""
        except BaseException:
            blob.close()
            raise
