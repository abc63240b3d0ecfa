"""Usage as the catalog keeps it, and the limits its commits enforce."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from mediagate.errors import ErrorReason, MediagateError
from mediagate.store.attachments import AttachmentStore
from mediagate.store.blobs import FileBlobStore
from mediagate.store.catalog import SqliteCatalog
from mediagate.store.records import AttachmentRecord
from mediagate.store.usage import Limits, Usage
from tests.unit.store.conftest import NewCatalog
from tests.unit.store.test_store import record, stage

SHA_A = "a" * 64
SHA_B = "b" * 64


def sized(id_: str, sha: str, size: int, tenant: str = "t", key: str = "") -> AttachmentRecord:
    return replace(record(id_, sha, tenant=tenant, key=key), size_bytes=size)


def test_a_tenant_counts_logical_bytes_and_the_server_physical_bytes(
    tmp_path: Path, new_catalog: NewCatalog
) -> None:
    catalog = new_catalog()
    try:
        catalog.insert(sized("1", SHA_A, 100))
        catalog.insert(sized("2", SHA_A, 100))  # same bytes again
        catalog.insert(sized("3", SHA_A, 100, tenant="u"))
        catalog.insert(sized("4", SHA_B, 7, tenant="u"))
        assert catalog.usage("t") == Usage(200, 2, 107)
        assert catalog.usage("u") == Usage(107, 2, 107)
        assert catalog.usage("nobody") == Usage(0, 0, 107)
        catalog.delete("t", "1")
        assert catalog.usage("t") == Usage(100, 1, 107)  # the blob is still referenced
        catalog.delete("t", "2")
        catalog.delete("u", "3")
        assert catalog.usage("u") == Usage(7, 1, 7)  # the last reference went: bytes freed
        assert catalog.delete("u", "nope") is None
        assert catalog.usage("u") == Usage(7, 1, 7)
    finally:
        catalog.close()


def test_usage_is_backfilled_from_a_catalog_made_before_it_was_kept(tmp_path: Path) -> None:
    path = tmp_path / "catalog.sqlite3"
    catalog = SqliteCatalog(path)
    catalog.insert(sized("1", SHA_A, 100))
    catalog.insert(sized("2", SHA_A, 100))
    catalog.insert(sized("3", SHA_B, 5, tenant="u"))
    catalog.close()
    # As the previous release left it: no usage tables, no triggers, schema version 0.
    with sqlite3.connect(path) as db:
        db.executescript(
            "DROP TRIGGER usage_after_insert; DROP TRIGGER usage_after_delete;"
            "DROP TABLE tenant_usage; DROP TABLE storage_usage; PRAGMA user_version = 0;"
        )
    db.close()
    catalog = SqliteCatalog(path)
    try:
        assert catalog.usage("t") == Usage(200, 2, 105)
        assert catalog.usage("u") == Usage(5, 1, 105)
        catalog.delete("u", "3")
        assert catalog.usage("u") == Usage(0, 0, 100)
    finally:
        catalog.close()


def test_a_commit_over_a_limit_keeps_nothing(tmp_path: Path, new_catalog: NewCatalog) -> None:
    blobs = FileBlobStore(tmp_path)
    catalog = new_catalog()
    store = AttachmentStore(blobs, catalog, Limits(quota_bytes=10))
    try:
        first, sha1 = stage(store, b"0123456789")
        kept = store.commit(first, replace(record("1", sha1, key="k"), size_bytes=10))
        second, sha2 = stage(store, b"x")
        with pytest.raises(MediagateError) as error:
            store.commit(second, replace(record("2", sha2), size_bytes=1))
        assert error.value.reason is ErrorReason.QUOTA_EXCEEDED
        assert error.value.metadata == {"limit": "10", "actual": "11", "unit": "bytes"}
        assert list(blobs.all_digests()) == [sha1]  # the refused blob was removed again
        assert catalog.get("t", "2") is None
        # A repeat of the first upload stores nothing, so a full quota does not refuse it.
        again, _ = stage(store, b"x")
        assert store.commit(again, replace(record("3", sha2, key="k"), size_bytes=1)) == kept
        assert list(blobs.all_digests()) == [sha1]
    finally:
        store.close()


def test_the_storage_cap_counts_a_shared_blob_once(tmp_path: Path, new_catalog: NewCatalog) -> None:
    blobs = FileBlobStore(tmp_path)
    store = AttachmentStore(blobs, new_catalog(), Limits(storage_cap_bytes=10))
    try:
        path, sha = stage(store, b"0123456789")
        store.commit(path, replace(record("1", sha), size_bytes=10))
        # The same bytes again add no physical bytes: within the cap.
        path, _ = stage(store, b"0123456789")
        store.commit(path, replace(record("2", sha, tenant="u"), size_bytes=10))
        path, other = stage(store, b"y")
        with pytest.raises(MediagateError) as error:
            store.commit(path, replace(record("3", other), size_bytes=1))
        assert error.value.reason is ErrorReason.STORAGE_FULL
        assert error.value.metadata == {
            "limit": "10",
            "actual": "11",
            "unit": "bytes",
            "scope": "cap",
        }
        assert error.value.retry_after_seconds
        assert list(blobs.all_digests()) == [sha]
    finally:
        store.close()


def test_the_attachment_count_quota(tmp_path: Path, new_catalog: NewCatalog) -> None:
    catalog = new_catalog()
    try:
        limits = Limits(quota_attachments=2)
        catalog.insert(sized("1", SHA_A, 1), limits)
        catalog.insert(sized("2", SHA_B, 1), limits)
        with pytest.raises(MediagateError) as error:
            catalog.insert(sized("3", SHA_B, 1), limits)
        assert error.value.reason is ErrorReason.QUOTA_EXCEEDED
        assert error.value.metadata == {"limit": "2", "actual": "3", "unit": "attachments"}
        catalog.insert(sized("3", SHA_B, 1, tenant="u"), limits)
        assert catalog.usage("t").tenant_attachments == 2
    finally:
        catalog.close()
