"""The store on a filesystem filled to the last byte (a small tmpfs of its own): a write that
finds no space is STORAGE_FULL and keeps nothing; a delete works all the same."""

from __future__ import annotations

import errno
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from mediagate.errors import ErrorReason, MediagateError
from mediagate.store.attachments import AttachmentStore
from mediagate.store.blobs import FileBlobStore
from mediagate.store.catalog import SqliteCatalog
from mediagate.store.space import RESERVE_FILE, DiskSpace
from mediagate.store.usage import Usage
from tests.support.small_disk import MIB, fill, free_bytes, small_disk
from tests.unit.store.test_store import record, stage

RESERVE = MIB


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    with small_disk(tmp_path / "disk", 8 * MIB) as mounted:
        yield mounted


def open_store(root: Path, reserve: int = RESERVE) -> AttachmentStore:
    store = AttachmentStore(
        FileBlobStore(root),
        SqliteCatalog(root / "catalog.sqlite3"),
        space=DiskSpace(root, min_free_bytes=0, delete_reserve_bytes=reserve),
    )
    store.recover()  # as the server starts: makes the delete reserve
    return store


def test_a_commit_that_finds_the_disk_full_keeps_nothing(disk: Path) -> None:
    store = open_store(disk)
    try:
        staged, sha = stage(store, b"bytes that arrived before the disk filled")
        fill(disk)
        with pytest.raises(MediagateError) as error:
            store.commit(staged, replace(record("1" * 32, sha), size_bytes=41))
        assert error.value.reason is ErrorReason.STORAGE_FULL
        assert error.value.metadata["scope"] == "disk"
        assert error.value.retry_after_seconds
        assert not list(store.blobs.all_digests())  # the adopted blob was removed again
        assert store.catalog.get("t", "1" * 32) is None
        assert store.catalog.usage("t") == Usage()
        assert (disk / RESERVE_FILE).stat().st_size == RESERVE  # uploads never take it
    finally:
        store.close()


def test_deleting_works_on_a_disk_filled_to_the_last_byte(disk: Path) -> None:
    store = open_store(disk)
    try:
        shas = []
        for i, data in enumerate([b"a" * 300_000, b"b" * 300_000, b"c" * 10]):
            staged, sha = stage(store, data)
            store.commit(staged, replace(record(f"{i}" * 32, sha), size_bytes=len(data)))
            shas.append(sha)
        fill(disk)
        assert free_bytes(disk) == 0

        assert store.delete("t", "0" * 32) is not None
        assert not store.blobs.exists(shas[0])
        assert store.catalog.get("t", "0" * 32) is None
        # The space the blob gave back went to the reserve, which the delete had used.
        assert 0 < (disk / RESERVE_FILE).stat().st_size <= RESERVE
        assert store.delete("t", "1" * 32) is not None
        assert store.delete("t", "2" * 32) is not None
        assert not list(store.blobs.all_digests())
        assert store.catalog.usage("t") == Usage()
    finally:
        store.close()


def test_without_a_reserve_a_delete_on_a_full_disk_is_storage_full(disk: Path) -> None:
    """What the reserve is for: the same delete, with none kept, cannot be written."""
    store = open_store(disk, reserve=0)
    try:
        staged, sha = stage(store, b"a" * 1000)
        store.commit(staged, replace(record("1" * 32, sha), size_bytes=1000))
        fill(disk)
        with pytest.raises(MediagateError) as error:
            store.delete("t", "1" * 32)
        assert error.value.reason is ErrorReason.STORAGE_FULL
        assert store.catalog.get("t", "1" * 32) is not None  # nothing half-deleted
        assert store.blobs.exists(sha)
    finally:
        store.close()


def test_a_cache_entry_that_finds_the_disk_full_leaves_no_torn_file(disk: Path) -> None:
    store = open_store(disk)
    try:
        staged, sha = stage(store, b"source")
        store.commit(staged, replace(record("1" * 32, sha), size_bytes=6))
        fill(disk)
        with pytest.raises(OSError) as error:
            store.blobs.put_derived(sha, "preview-x", b"p" * 100_000)
        assert error.value.errno == errno.ENOSPC
        assert store.blobs.get_derived(sha, "preview-x") is None
        assert not list((disk / "derived").rglob(".tmp-*"))
    finally:
        store.close()
