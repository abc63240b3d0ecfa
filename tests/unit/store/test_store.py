from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from mediagate.store.attachments import AttachmentStore
from mediagate.store.blobs import FileBlobStore
from mediagate.store.records import AttachmentRecord
from tests.unit.store.conftest import NewCatalog


@pytest.fixture
def store(tmp_path: Path, new_catalog: NewCatalog) -> AttachmentStore:
    s = AttachmentStore(FileBlobStore(tmp_path), new_catalog())
    yield s
    s.close()


def stage(store: AttachmentStore, data: bytes) -> tuple[Path, str]:
    path = store.blobs.staging_dir / f"upload-{os.urandom(4).hex()}"
    path.write_bytes(data)
    return path, hashlib.sha256(data).hexdigest()


def record(
    id_: str,
    sha: str,
    *,
    tenant: str = "t",
    key: str = "",
    expire: float = 1e12,
    conversation: str = "c",
) -> AttachmentRecord:
    return AttachmentRecord(
        id=id_,
        tenant=tenant,
        file_name="f",
        declared_mime_type="",
        detected_mime_type="text/plain",
        size_bytes=3,
        sha256=sha,
        profile="web-messaging",
        conversation_id=conversation,
        create_time=0.0,
        expire_time=expire,
        labels={"k": "v"},
        media={"document": {"page_count": 1}},
        idempotency_key=key,
    )


def test_identical_bytes_are_stored_once_and_kept_while_referenced(store: AttachmentStore) -> None:
    path1, sha = stage(store, b"abc")
    path2, _ = stage(store, b"abc")
    store.commit(path1, record("1" * 32, sha))
    store.commit(path2, record("2" * 32, sha))
    assert list(store.blobs.all_digests()) == [sha]
    assert not list(store.blobs.staging_dir.iterdir())
    store.delete("t", "1" * 32)
    assert store.blobs.exists(sha)
    store.delete("t", "2" * 32)
    assert not store.blobs.exists(sha)


def test_a_repeated_idempotency_key_returns_the_first_record(store: AttachmentStore) -> None:
    path1, sha1 = stage(store, b"first")
    path2, sha2 = stage(store, b"second")
    first = store.commit(path1, record("1" * 32, sha1, key="k"))
    again = store.commit(path2, record("2" * 32, sha2, key="k"))
    assert again == first
    assert not store.blobs.exists(sha2)  # nothing new kept


def test_records_round_trip_and_are_tenant_scoped(store: AttachmentStore) -> None:
    path, sha = stage(store, b"abc")
    stored = store.commit(path, record("1" * 32, sha))
    assert store.catalog.get("t", "1" * 32) == stored
    assert store.catalog.get("other", "1" * 32) is None
    assert store.delete("other", "1" * 32) is None
    assert store.catalog.list_page("other", "", "", 10) == []


def test_listing_is_newest_first_and_filtered(store: AttachmentStore) -> None:
    for i, conv in enumerate(["a", "b", "a"]):
        path, sha = stage(store, bytes([i]))
        store.commit(path, record(f"{i}" * 32, sha, conversation=conv))
    assert [r.id[0] for r in store.catalog.list_page("t", "", "", 10)] == ["2", "1", "0"]
    assert [r.id[0] for r in store.catalog.list_page("t", "a", "", 10)] == ["2", "0"]
    assert [r.id[0] for r in store.catalog.list_page("t", "", "2" * 32, 1)] == ["1"]


def test_recover_removes_staged_files_and_orphan_blobs_only(store: AttachmentStore) -> None:
    kept_path, kept = stage(store, b"kept")
    store.commit(kept_path, record("1" * 32, kept))
    orphan_path, orphan = stage(store, b"orphan")
    store.blobs.adopt(orphan_path, orphan)  # as if killed between the rename and the row
    stage(store, b"half an upload")
    recovery = store.recover()
    assert (recovery.staged_removed, recovery.orphan_blobs_removed) == (1, 1)
    assert list(store.blobs.all_digests()) == [kept]


def test_sweep_deletes_only_expired(store: AttachmentStore) -> None:
    p1, s1 = stage(store, b"old")
    p2, s2 = stage(store, b"new")
    store.commit(p1, record("1" * 32, s1, expire=100.0))
    store.commit(p2, record("2" * 32, s2, expire=300.0))
    assert store.sweep_expired(now=200.0) == 1
    assert store.catalog.get("t", "1" * 32) is None and not store.blobs.exists(s1)
    assert store.catalog.get("t", "2" * 32) is not None and store.blobs.exists(s2)
