"""The store's reads for the event loop: each runs in a small thread pool of its own, never on
the loop and never in the default executor that commits and downloads use.

A catalog read is an indexed lookup of microseconds, but on the loop every one of them would
stall every other call, and in a shared executor it would queue behind blob writes and fsyncs.
Each reading thread has its own read-only SQLite connection (store/catalog.py), so reads run
beside writes instead of waiting for them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from mediagate.store.blobs import BlobStore
from mediagate.store.catalog import Catalog
from mediagate.store.records import AttachmentRecord

T = TypeVar("T")


class StoreReads:
    def __init__(self, catalog: Catalog, blobs: BlobStore, threads: int = 4) -> None:
        self._catalog = catalog
        self._blobs = blobs
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="store-read")

    async def _run(self, func: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._pool, func, *args)

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

    async def derived(self, source_sha256: str, key: str) -> bytes | None:
        """A derived blob (a cached preview or rendition result), or None."""
        return await self._run(self._blobs.get_derived, source_sha256, key)

    def close(self) -> None:
        self._pool.shutdown(wait=True)
