"""The store's reads for the event loop: each runs in a small thread pool of its own, never on
the loop and never in the default executor that commits and downloads use.

A catalog read is an indexed lookup of microseconds, but on the loop every one of them would
stall every other call, and in a shared executor it would queue behind blob writes and fsyncs.
Each reading thread has its own read-only SQLite connection (store/catalog.py), so reads run
beside writes instead of waiting for them.

Reads are batched: a hop to a thread and back costs more than the read itself (an executor
submit, a wake-up of the loop, two GIL hand-overs; measured, it cut GetAttachment under 50
callers by a quarter). So reads queue up, and a reading thread takes every one waiting, runs
them, and hands all the answers back in one wake-up of the loop. Under load a batch holds many
reads; alone, a read goes through at once in a batch of one.
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

    async def get(self, tenant: str, attachment_id: str) -> AttachmentRecord | None:
        return await self._run(self._catalog.get, tenant, attachment_id)

    async def find_by_idempotency_key(self, tenant: str, key: str) -> AttachmentRecord | None:
        return await self._run(self._catalog.find_by_idempotency_key, tenant, key)

    async def list_page(
        self, tenant: str, conversation_id: str, before_id: str, limit: int
    ) -> list[AttachmentRecord]:
        return await self._run(self._catalog.list_page, tenant, conversation_id, before_id, limit)

    async def voice_details(self, tenant: str, attachment_id: str) -> dict[str, Any] | None:
        return await self._run(self._catalog.voice_details, tenant, attachment_id)

    async def usage(self, tenant: str) -> Usage:
        return await self._run(self._catalog.usage, tenant)

    async def is_stored(self, sha256: str) -> bool:
        return await self._run(self._catalog.is_stored, sha256)

    async def free_bytes(self, space: DiskSpace) -> int:
        """statvfs: microseconds on a local disk, but a network filesystem can stall it."""
        return await self._run(space.free_bytes)

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
