"""Catalog reads run beside writes: on connections of their own, in threads of their own."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

from mediagate.store.blobs import FileBlobStore
from mediagate.store.catalog import SqliteCatalog
from mediagate.store.reads import StoreReads
from tests.unit.store.conftest import NewCatalog
from tests.unit.store.test_store import record

SHA = "a" * 64


def test_a_read_does_not_wait_for_a_write_in_progress(tmp_path: Path) -> None:
    catalog = SqliteCatalog(tmp_path / "catalog.sqlite3")
    catalog.insert(record("id1", SHA))
    # Another writer holds SQLite's write lock mid-transaction, as an upload's commit does
    # through its fsync; and the catalog's own writer lock is held too.
    writer = sqlite3.connect(tmp_path / "catalog.sqlite3", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE attachments SET file_name = 'changing' WHERE id = 'id1'")
    answers: list[object] = []
    with catalog._lock:  # the property under test: reads never take the writer's lock
        reader = threading.Thread(target=lambda: answers.append(catalog.get("t", "id1")))
        reader.start()
        reader.join(timeout=10)
        assert not reader.is_alive(), "a read waited for the writer"
    assert answers and answers[0].file_name == "f"  # type: ignore[attr-defined]
    writer.execute("ROLLBACK")
    writer.close()
    catalog.close()


def test_reads_see_committed_writes_and_only_their_tenant(
    tmp_path: Path, new_catalog: NewCatalog
) -> None:
    catalog = new_catalog()
    reads = StoreReads(catalog, FileBlobStore(tmp_path), threads=2)

    async def scenario() -> None:
        assert await reads.get("t", "id1") is None
        catalog.insert(record("id1", SHA, key="k"))
        # The write went through the writer's connection; the readers' see it at once.
        assert (await reads.get("t", "id1")) is not None
        assert (await reads.find_by_idempotency_key("t", "k")).id == "id1"  # type: ignore[union-attr]
        page = await reads.list_page("t", "", "", 10)
        assert [r.id for r in page] == ["id1"]
        assert await reads.get("other-tenant", "id1") is None

    try:
        asyncio.run(scenario())
    finally:
        reads.close()
        catalog.close()
