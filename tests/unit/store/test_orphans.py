"""Orphan removal at run time (AttachmentStore.remove_orphan_*): never a blob being committed,
and what a sweep says it freed."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from mediagate.store.attachments import AttachmentStore
from mediagate.store.blobs import FileBlobStore
from tests.unit.store.conftest import NewCatalog
from tests.unit.store.test_store import record, stage

FOREVER = float("inf")  # "written before" any time: age never protects a blob here


@pytest.fixture
def store(tmp_path: Path, new_catalog: NewCatalog) -> AttachmentStore:
    s = AttachmentStore(FileBlobStore(tmp_path), new_catalog())
    yield s
    s.close()


def test_a_blob_being_committed_is_never_taken(store: AttachmentStore) -> None:
    """A cleaner looping with no age guard against commits of the same bytes: after every
    commit the blob is there for its row (without the commit lock, the cleaner could remove a
    blob between its adopt and its row)."""
    stop = threading.Event()
    removed: list[int] = []

    def cleaner(sha: str) -> None:
        while not stop.is_set():
            if store.remove_orphan_blob(sha, FOREVER) is not None:
                removed.append(1)

    path, sha = stage(store, b"abc")
    thread = threading.Thread(target=cleaner, args=(sha,))
    thread.start()
    try:
        for i in range(60):
            if i:
                path, _ = stage(store, b"abc")
            kept = store.commit(path, record(f"{i:032x}", sha))
            assert store.blobs.exists(sha)
            store.delete(kept.tenant, kept.id)  # unreferenced again: the cleaner may take it
    finally:
        stop.set()
        thread.join()
    final, _ = stage(store, b"abc")
    store.commit(final, record("f" * 32, sha))
    assert store.remove_orphan_blob(sha, FOREVER) is None
    assert store.blobs.exists(sha)


def test_only_unreferenced_blobs_old_enough_go(store: AttachmentStore) -> None:
    path, live = stage(store, b"live")
    store.commit(path, record("1" * 32, live))
    orphan_path, orphan = stage(store, b"orphan")
    store.blobs.adopt(orphan_path, orphan)
    info = store.blobs.blob_info(orphan)
    assert info is not None
    assert store.remove_orphan_blob(live, FOREVER) is None
    assert store.remove_orphan_blob(orphan, info.modify_time) is None  # not older than that
    assert store.remove_orphan_blob(orphan, info.modify_time + 1) == len(b"orphan")
    assert not store.blobs.exists(orphan) and store.blobs.exists(live)


def test_a_sweep_counts_logical_and_freed_bytes(store: AttachmentStore) -> None:
    first, sha = stage(store, b"abc")
    second, _ = stage(store, b"abc")
    third, other = stage(store, b"defgh")
    store.commit(first, record("1" * 32, sha, expire=10))
    store.commit(second, record("2" * 32, sha, expire=1e12))  # keeps the shared bytes
    store.commit(third, record("3" * 32, other, expire=10))
    swept = store.sweep(now=100)
    # record() gives every row size_bytes=3.
    assert (swept.attachments, swept.logical_bytes, swept.freed_bytes) == (2, 6, 3)
    assert store.blobs.exists(sha) and not store.blobs.exists(other)
