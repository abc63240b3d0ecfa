"""An attachment committed with its renditions (a photo's display JPEG, a voice message's
playback): one step for every blob and row, nothing new kept for a repeated key, and the
renditions deleted with the original."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from mediagate.store.attachments import AttachmentStore, MissingBlob
from mediagate.store.blobs import FileBlobStore
from mediagate.store.records import AttachmentRecord, RenditionRef
from tests.unit.store.conftest import NewCatalog
from tests.unit.store.test_store import record, stage


@pytest.fixture
def store(tmp_path: Path, new_catalog: NewCatalog) -> AttachmentStore:
    s = AttachmentStore(FileBlobStore(tmp_path), new_catalog())
    yield s
    s.close()


def _photo(store: AttachmentStore, id_: str, key: str = "") -> tuple[Path, AttachmentRecord]:
    path, sha = stage(store, b"heic bytes " + id_.encode())
    return path, replace(record(id_, sha, key=key), detected_mime_type="image/heic")


def _display(store: AttachmentStore, id_: str) -> tuple[Path, AttachmentRecord]:
    path, sha = stage(store, b"jpeg bytes " + id_.encode())
    return path, replace(record(id_, sha), detected_mime_type="image/jpeg")


def _listing(original: AttachmentRecord, rendition: AttachmentRecord) -> AttachmentRecord:
    ref = RenditionRef(rendition.id, "display", "image/jpeg", rendition.size_bytes)
    return replace(original, renditions=(ref,))


def test_the_original_and_its_rendition_are_kept_together(store: AttachmentStore) -> None:
    staged, original = _photo(store, "1" * 32)
    rendition_file, rendition = _display(store, "2" * 32)
    original = _listing(original, rendition)
    stored = store.commit_with_renditions(staged, original, [rendition_file], [rendition])
    assert stored == original
    assert store.catalog.get("t", original.id) == original
    assert store.catalog.get("t", rendition.id) == rendition
    assert store.blobs.exists(original.sha256) and store.blobs.exists(rendition.sha256)
    assert store.catalog.voice_details("t", original.id) is None
    assert not list(store.blobs.staging_dir.iterdir())


def test_deleting_the_original_deletes_its_rendition(store: AttachmentStore) -> None:
    staged, original = _photo(store, "1" * 32)
    rendition_file, rendition = _display(store, "2" * 32)
    original = _listing(original, rendition)
    store.commit_with_renditions(staged, original, [rendition_file], [rendition])
    assert store.delete("t", original.id) == original
    assert store.catalog.get("t", rendition.id) is None
    assert not store.blobs.exists(original.sha256)
    assert not store.blobs.exists(rendition.sha256)


def test_a_rendition_deleted_on_its_own_leaves_the_original(store: AttachmentStore) -> None:
    staged, original = _photo(store, "1" * 32)
    rendition_file, rendition = _display(store, "2" * 32)
    original = _listing(original, rendition)
    store.commit_with_renditions(staged, original, [rendition_file], [rendition])
    store.delete("t", rendition.id)
    assert store.catalog.get("t", original.id) == original
    assert store.delete("t", original.id) == original  # its listed rendition is gone already


def test_a_repeated_key_returns_the_first_and_keeps_nothing_new(store: AttachmentStore) -> None:
    staged, first = _photo(store, "1" * 32, key="k")
    rendition_file, rendition = _display(store, "2" * 32)
    first = _listing(first, rendition)
    store.commit_with_renditions(staged, first, [rendition_file], [rendition])
    staged2, second = _photo(store, "3" * 32, key="k")
    rendition_file2, rendition2 = _display(store, "4" * 32)
    second = _listing(second, rendition2)
    stored = store.commit_with_renditions(staged2, second, [rendition_file2], [rendition2])
    assert stored == first
    assert store.catalog.get("t", rendition2.id) is None
    assert not store.blobs.exists(second.sha256) and not store.blobs.exists(rendition2.sha256)
    assert store.catalog.usage("t").tenant_attachments == 2


def test_a_rendition_said_to_be_stored_must_be(store: AttachmentStore) -> None:
    staged, original = _photo(store, "1" * 32)
    _, rendition = _display(store, "2" * 32)
    with pytest.raises(MissingBlob):
        store.commit_with_renditions(staged, original, [None], [rendition])
    assert store.catalog.get("t", original.id) is None


def test_a_voice_message_keeps_its_details(store: AttachmentStore) -> None:
    staged, recording = _photo(store, "1" * 32)
    rendition_file, rendition = _display(store, "2" * 32)
    details = {"renditions": [{"id": rendition.id}], "waveform": [0.5]}
    store.commit_with_renditions(
        staged, recording, [rendition_file], [rendition], voice_details=details
    )
    assert store.catalog.voice_details("t", recording.id) == details
    # Listed only in the voice details (as rows from before records listed renditions).
    store.delete("t", recording.id)
    assert store.catalog.get("t", rendition.id) is None
