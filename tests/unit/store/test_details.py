"""A record's fields beyond the catalog's columns (original_sha256, metadata, renditions) kept
in the `details` column, and a catalog from before that column (schema version 1) upgraded."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

from mediagate.store.catalog import SqliteCatalog
from mediagate.store.records import AttachmentRecord, MetadataItem, RenditionRef
from tests.unit.store.conftest import NewCatalog

SHA = "a" * 64


def record(attachment_id: str) -> AttachmentRecord:
    return AttachmentRecord(
        id=attachment_id,
        tenant="t",
        file_name="photo.jpg",
        declared_mime_type="image/jpeg",
        detected_mime_type="image/jpeg",
        size_bytes=10,
        sha256=SHA,
        profile="web-messaging",
        conversation_id="c",
        create_time=1.0,
        expire_time=2.0,
    )


def test_details_round_trip(new_catalog: NewCatalog) -> None:
    catalog = new_catalog()
    try:
        full = replace(
            record("1"),
            original_sha256="b" * 64,
            metadata=(MetadataItem("exif-gps", 120, True), MetadataItem("pdf-info", 40, False)),
            renditions=(RenditionRef("2" * 32, "display", "image/jpeg", 999),),
        )
        catalog.insert(full)
        catalog.insert(record("2"))
        assert catalog.get("t", "1") == full
        assert catalog.get("t", "2") == record("2")
    finally:
        catalog.close()


def test_a_catalog_from_before_details_is_upgraded_and_its_rows_read(tmp_path: Path) -> None:
    path = tmp_path / "catalog.sqlite3"
    catalog = SqliteCatalog(path)
    catalog.insert(record("1"))
    catalog.close()
    # As version 1 left it: no details column.
    with sqlite3.connect(path) as db:
        db.executescript("ALTER TABLE attachments DROP COLUMN details; PRAGMA user_version = 1;")
    db.close()
    catalog = SqliteCatalog(path)
    try:
        assert catalog.get("t", "1") == record("1")
        catalog.insert(replace(record("3"), original_sha256="c" * 64))
        stored = catalog.get("t", "3")
        assert stored is not None and stored.original_sha256 == "c" * 64
    finally:
        catalog.close()
