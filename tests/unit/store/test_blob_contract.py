"""The BlobStore contract, run against every backend: the embedded FileBlobStore and the
S3BlobStore on a real SeaweedFS (tests/support/seaweed.py). One module, one fixture whose
param is the backend, so the two cannot drift apart."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from mediagate.store.attachments import AttachmentStore
from mediagate.store.blobs import BlobStore, FileBlobStore
from mediagate.store.cache_index import BLOCK_BYTES
from mediagate.store.catalog import SqliteCatalog
from mediagate.store.s3_blobs import S3BlobStore
from tests.support.seaweed import SeaweedS3
from tests.unit.store.test_store import record

MakeStore = Callable[..., Any]  # (cache_bytes=None, cache_prefixes=()) -> a BlobStore


@pytest.fixture(params=["files", "s3"])
def make_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[MakeStore]:
    """make(cache_bytes=None, cache_prefixes=()) -> a store; made again with the same
    arguments it is the same store after a restart (same folder, same bucket)."""
    if request.param == "files":
        yield lambda **kw: FileBlobStore(tmp_path / "data", **kw)
        return
    seaweed: SeaweedS3 = request.getfixturevalue("seaweed")
    bucket, prefix = seaweed.shared_bucket, f"{os.urandom(6).hex()}/"  # a prefix per test
    client = seaweed.client()
    yield lambda **kw: S3BlobStore(client, bucket, tmp_path / "data", prefix=prefix, **kw)


@pytest.fixture
def blobs(make_store: MakeStore) -> BlobStore:
    store: BlobStore = make_store()
    return store


def stage(blobs: BlobStore, data: bytes) -> tuple[Path, str]:
    path = blobs.staging_dir / f"upload-{os.urandom(4).hex()}"
    path.write_bytes(data)
    return path, hashlib.sha256(data).hexdigest()


def adopt(blobs: BlobStore, data: bytes) -> str:
    path, sha = stage(blobs, data)
    blobs.adopt(path, sha)
    return sha


def test_an_adopted_file_is_the_blob_and_leaves_staging(blobs: BlobStore) -> None:
    data = os.urandom(70_000)
    path, sha = stage(blobs, data)
    blobs.adopt(path, sha)
    assert not path.exists()
    assert blobs.exists(sha)
    with blobs.open(sha) as f:
        assert f.read() == data
    assert list(blobs.all_digests()) == [sha]
    info = blobs.blob_info(sha)
    assert info is not None and info.size_bytes == len(data)
    assert abs(info.modify_time - time.time()) < 60


def test_adopting_bytes_already_stored_drops_the_staged_file(blobs: BlobStore) -> None:
    sha = adopt(blobs, b"same bytes")
    again, _ = stage(blobs, b"same bytes")
    blobs.adopt(again, sha)
    assert not again.exists()
    assert list(blobs.all_digests()) == [sha]


def test_a_blob_reads_from_any_offset_in_pieces(blobs: BlobStore) -> None:
    data = os.urandom(300_000)
    sha = adopt(blobs, data)
    with blobs.open(sha) as f:
        f.seek(123_456)
        pieces = [f.read(10_000), f.read(50_000)]
        assert b"".join(pieces) == data[123_456:183_456]
        f.seek(299_990)
        assert f.read(100) == data[299_990:]
        assert f.read(100) == b""
        f.seek(5)
        assert f.read(5) == data[5:10]


def test_missing_blobs(blobs: BlobStore) -> None:
    missing = "0" * 64
    assert not blobs.exists(missing)
    assert blobs.blob_info(missing) is None
    with pytest.raises(FileNotFoundError):
        blobs.open(missing)
    blobs.delete(missing)  # nothing to delete: no error
    with pytest.raises(ValueError):
        blobs.exists("../etc/passwd")


def test_local_path_is_a_file_with_the_blob_bytes(blobs: BlobStore) -> None:
    data = os.urandom(50_000)
    sha = adopt(blobs, data)
    assert blobs.local_path(sha).read_bytes() == data
    assert blobs.local_path(sha).read_bytes() == data  # a second time: the same


def test_derived_entries_belong_to_their_source(blobs: BlobStore) -> None:
    sha = adopt(blobs, b"source")
    other = adopt(blobs, b"other")
    assert blobs.get_derived(sha, "voice-1") is None
    blobs.put_derived(sha, "voice-1", b"result")
    blobs.put_derived(sha, "voice-2", b"second")
    blobs.put_derived(other, "voice-1", b"theirs")
    assert blobs.get_derived(sha, "voice-1") == b"result"
    assert sorted(blobs.derived_sources()) == sorted([sha, other])
    info = blobs.derived_info(sha)
    assert info is not None and info.size_bytes == len(b"result") + len(b"second")
    blobs.put_derived(sha, "voice-1", b"replaced")
    assert blobs.get_derived(sha, "voice-1") == b"replaced"
    blobs.delete(sha)
    assert blobs.get_derived(sha, "voice-1") is None
    assert blobs.derived_info(sha) is None
    assert list(blobs.derived_sources()) == [other]
    blobs.drop_derived(other)
    assert list(blobs.derived_sources()) == []
    with pytest.raises(ValueError):
        blobs.put_derived(other, "../escape", b"x")


ENTRY = 3 * BLOCK_BYTES  # each test entry is charged three blocks


def test_cache_puts_evict_the_least_recently_used_and_hits_count(make_store: MakeStore) -> None:
    blobs = make_store(cache_bytes=7 * BLOCK_BYTES, cache_prefixes=("preview-",))
    sha = adopt(blobs, b"source")
    blobs.put_derived(sha, "preview-a", b"a" * ENTRY)
    blobs.put_derived(sha, "preview-b", b"b" * ENTRY)
    assert blobs.get_derived(sha, "preview-a") is not None  # a is now the most recent
    blobs.put_derived(sha, "preview-c", b"c" * ENTRY)  # over budget: b goes
    assert blobs.get_derived(sha, "preview-b") is None
    assert blobs.get_derived(sha, "preview-a") is not None
    assert blobs.get_derived(sha, "preview-c") is not None
    # Voice results are not cache entries: neither charged nor evicted.
    blobs.put_derived(sha, "voice-x", b"v" * 10 * ENTRY)
    assert blobs.get_derived(sha, "voice-x") is not None
    usage = blobs.usage()
    assert (usage.cache_entries, usage.cache_bytes) == (2, 2 * ENTRY)
    assert usage.derived_bytes == 10 * ENTRY
    assert usage.cache_budget_bytes == 7 * BLOCK_BYTES


def test_cache_refuses_what_cannot_be_kept(make_store: MakeStore) -> None:
    blobs = make_store(cache_bytes=7 * BLOCK_BYTES, cache_prefixes=("preview-",))
    sha = adopt(blobs, b"source")
    blobs.put_derived(sha, "preview-huge", b"h" * 8 * BLOCK_BYTES)  # larger than the budget
    assert blobs.get_derived(sha, "preview-huge") is None
    gone = adopt(blobs, b"deleted source")
    blobs.delete(gone)
    blobs.put_derived(gone, "preview-a", b"a")  # its source is gone: not kept
    assert blobs.get_derived(gone, "preview-a") is None


def test_a_restart_rebuilds_the_cache_and_fits_a_smaller_budget(make_store: MakeStore) -> None:
    # (Which entry goes is the oldest written: tested for files in test_preview_cache.py; S3
    # keeps whole seconds only, so two entries written now may tie.)
    blobs = make_store(cache_bytes=7 * BLOCK_BYTES, cache_prefixes=("preview-",))
    sha = adopt(blobs, b"source")
    blobs.put_derived(sha, "preview-a", b"a" * ENTRY)
    blobs.put_derived(sha, "preview-b", b"b" * ENTRY)
    again = make_store(cache_bytes=4 * BLOCK_BYTES, cache_prefixes=("preview-",))
    assert again.cache_usage()[:2] == (1, ENTRY)
    kept = [k for k in ("preview-a", "preview-b") if again.get_derived(sha, k) is not None]
    assert len(kept) == 1


def test_staging_lists_ages_out_and_clears(blobs: BlobStore) -> None:
    old, _ = stage(blobs, b"old")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    new, _ = stage(blobs, b"new")
    assert {Path(i.path).name for i in blobs.staged_files()} == {old.name, new.name}
    assert blobs.remove_staged(new.name, time.time() - 60) is None  # written since
    assert blobs.remove_staged(old.name, time.time() - 60) == 3
    assert blobs.remove_staged("../../etc/passwd", time.time()) is None
    assert blobs.clear_staging() == 1
    assert list(blobs.staged_files()) == []


def test_usage_counts_blobs_and_staging(blobs: BlobStore) -> None:
    adopt(blobs, b"x" * 1000)
    adopt(blobs, b"y" * 500)
    stage(blobs, b"z" * 10)
    usage = blobs.usage()
    assert (usage.blob_count, usage.blob_bytes) == (2, 1500)
    assert (usage.staging_files, usage.staging_bytes) == (1, 10)


def test_an_attachment_store_keeps_blobs_while_referenced_and_recovers(
    blobs: BlobStore, tmp_path: Path
) -> None:
    store = AttachmentStore(blobs, SqliteCatalog(tmp_path / "catalog.sqlite3"))
    try:
        path1, sha = stage(blobs, b"abc")
        path2, _ = stage(blobs, b"abc")
        store.commit(path1, record("1" * 32, sha))
        store.commit(path2, record("2" * 32, sha))
        assert list(blobs.all_digests()) == [sha]
        store.delete("t", "1" * 32)
        assert blobs.exists(sha)
        orphan = adopt(blobs, b"nobody's")
        stage(blobs, b"half an upload")
        recovered = store.recover()
        assert (recovered.staged_removed, recovered.orphan_blobs_removed) == (1, 1)
        assert not blobs.exists(orphan)
        store.delete("t", "2" * 32)
        assert not blobs.exists(sha)
        assert list(blobs.all_digests()) == []
    finally:
        store.close()


def test_prepare_then_adopt_even_when_a_delete_came_between(blobs: BlobStore) -> None:
    """AttachmentStore prepares outside its lock and adopts inside it: a delete of the same
    bytes in between must not leave the adopted blob missing."""
    data = os.urandom(10_000)
    path, sha = stage(blobs, data)
    blobs.prepare(path, sha)
    assert path.exists()  # still staged until adopted
    blobs.delete(sha)
    blobs.adopt(path, sha)
    assert not path.exists()
    with blobs.open(sha) as f:
        assert f.read() == data


def test_recovery_with_shared_blobs_spares_fresh_orphans(blobs: BlobStore, tmp_path: Path) -> None:
    """A blob another replica has just uploaded and not yet recorded looks like an orphan:
    with a grace, start-up recovery leaves it; without one (a data directory of its own), it
    goes."""
    store = AttachmentStore(blobs, SqliteCatalog(tmp_path / "catalog.sqlite3"))
    try:
        fresh = adopt(blobs, b"being committed elsewhere")
        blobs.put_derived(fresh, "preview-1", b"p")
        assert store.recover(orphan_grace_seconds=3600).orphan_blobs_removed == 0
        assert blobs.exists(fresh) and blobs.get_derived(fresh, "preview-1") == b"p"
        assert store.recover().orphan_blobs_removed == 1
        assert not blobs.exists(fresh)
    finally:
        store.close()
