"""The store's reads for the event loop, none of which ever waits for a writer.

Every reader has a read-only SQLite connection of its own (store/catalog.py): in WAL mode such
a reader sees the last commit and never waits for a writer, so a read no longer waits out
another upload's fsync, as it did when reads shared the writer's connection and lock.

Two kinds of read, two places:
- Point lookups by key (an attachment, an idempotency key, voice details, usage) run inline on
  the loop's own connection, opened so that it never waits for a lock: it answers in tens of
  microseconds or fails at once, and then the read goes to a thread. Measured, a hop to a
  thread and back cost the loop more than such a read itself (about 130 us of server CPU per
  GetAttachment, a third of the call; bench/README.md), so inline is what keeps the loop free.
- Reads whose cost grows with the data (a page of up to 1,000 rows, a cached preview's file)
  run in a small thread pool of their own, never in the default executor that
  commits use. They are batched: a reading thread takes every read waiting and hands all the
  answers back in one wake-up of the loop.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from mediagate.store.blobs import BlobStore
from mediagate.store.catalog import Catalog
from mediagate.store.records import AttachmentRecord
from mediagate.store.space import DiskSpace
from mediagate.store.usage import Usage

T = TypeVar("T")


_Read = tuple[Callable[..., Any], tuple[Any, ...], "asyncio.Future[Any]"]
_Answer = tuple["asyncio.Future[Any]", bool, Any]


class StoreReads:
    def __init__(self, catalog: Catalog, blobs: BlobStore, threads: int = 4) -> None:
        self._catalog = catalog
        self._blobs = blobs
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="store-read")
        self._lock = threading.Lock()
        self._waiting: list[_Read] = []
        self._batch_scheduled = False  # a thread will take the waiting reads: no need to ask

    async def _run(self, func: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[T] = loop.create_future()
        with self._lock:
            self._waiting.append((func, args, answer))
            schedule = not self._batch_scheduled
            self._batch_scheduled = True
        if schedule:
            self._pool.submit(self._run_batch, loop)
        return await answer

    def _run_batch(self, loop: asyncio.AbstractEventLoop) -> None:
        """In a reading thread: every read waiting now, then all the answers in one hand-over."""
        with self._lock:
            batch, self._waiting = self._waiting, []
            self._batch_scheduled = False
        answers: list[_Answer] = []
        for func, args, answer in batch:
            try:
                answers.append((answer, True, func(*args)))
            except Exception as exc:
                answers.append((answer, False, exc))
        loop.call_soon_threadsafe(_deliver, answers)

    async def _point(self, func: Callable[..., T], *args: Any) -> T:
        """A lookup by key: inline, on a connection that never waits; in a thread if it would."""
        try:
            with self._catalog.without_waiting():
                return func(*args)
        except Exception as exc:
            if not self._catalog.is_busy(exc):
                raise
        return await self._run(func, *args)

    async def get(self, tenant: str, attachment_id: str) -> AttachmentRecord | None:
        return await self._point(self._catalog.get, tenant, attachment_id)

    async def find_by_idempotency_key(self, tenant: str, key: str) -> AttachmentRecord | None:
        return await self._point(self._catalog.find_by_idempotency_key, tenant, key)

    async def list_page(
        self, tenant: str, conversation_id: str, before_id: str, limit: int
    ) -> list[AttachmentRecord]:
        return await self._run(self._catalog.list_page, tenant, conversation_id, before_id, limit)

    async def voice_details(self, tenant: str, attachment_id: str) -> dict[str, Any] | None:
        return await self._point(self._catalog.voice_details, tenant, attachment_id)

    async def usage(self, tenant: str) -> Usage:
        return await self._point(self._catalog.usage, tenant)

    async def is_stored(self, sha256: str) -> bool:
        return await self._point(self._catalog.is_stored, sha256)

    async def free_bytes(self, space: DiskSpace) -> int:
        """statvfs, inline: the data directory is on a local filesystem (SQLite's WAL requires
        one), where it is answered from the superblock in microseconds, less than a hop."""
        return space.free_bytes()

    async def derived(self, source_sha256: str, key: str) -> bytes | None:
        """A derived blob (a cached preview or rendition result), or None."""
        return await self._run(self._blobs.get_derived, source_sha256, key)

    def close(self) -> None:
        self._pool.shutdown(wait=True)


def _deliver(answers: list[_Answer]) -> None:
    for answer, ok, value in answers:
        if answer.done():  # its caller went away
            continue
        if ok:
            answer.set_result(value)
        else:
            answer.set_exception(value)
