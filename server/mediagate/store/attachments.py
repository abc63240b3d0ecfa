"""Keeps blobs and catalog rows consistent: commit, delete, expire, and recover after a crash.

The order that makes a SIGKILL at any instant safe: the spool file is fsynced, renamed into the
blob store (directory fsynced), and only then is the catalog row committed and the upload
acknowledged. A crash before the row leaves at most an unreferenced blob, which `recover`
removes at the next start; staged spool files are never referenced and are cleared too.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mediagate.store.blobs import BlobStore
from mediagate.store.catalog import Catalog
from mediagate.store.records import AttachmentRecord

log = logging.getLogger(__name__)


class MissingBlob(Exception):
    pass


@dataclass(frozen=True)
class Recovery:
    staged_removed: int
    orphan_blobs_removed: int


class AttachmentStore:
    def __init__(self, blobs: BlobStore, catalog: Catalog) -> None:
        self.blobs = blobs
        self.catalog = catalog
        # Serialises "adopt blob + insert row" against "delete row + drop unreferenced blob",
        # so a delete never removes bytes that a concurrent commit of the same digest relies on.
        self._refs = threading.Lock()

    def commit(self, staged: Path, record: AttachmentRecord) -> AttachmentRecord:
        """Adopts a durable staged file and records it; returns the stored record (the first one
        when the idempotency key was already used, in which case nothing new is kept)."""
        with self._refs:
            self.blobs.adopt(staged, record.sha256)
            stored = self.catalog.insert(record)
            if stored.id != record.id and self.catalog.references(record.sha256) == 0:
                self.blobs.delete(record.sha256)
            return stored

    def commit_voice(
        self,
        staged: Path,
        recording: AttachmentRecord,
        rendition_file: Path | None,
        renditions: list[AttachmentRecord],
        details: dict[str, Any],
    ) -> AttachmentRecord:
        """A voice message in one step: the recording's blob, the rendition's blob (staged, or
        already stored when the rendition came from the cache), and one catalog transaction
        for both rows and the voice details. Raises MissingBlob if a cached rendition's bytes
        are gone (deleted meanwhile): the caller renders again."""
        with self._refs:
            if rendition_file is None and not all(self.blobs.exists(r.sha256) for r in renditions):
                raise MissingBlob("a cached rendition's bytes are no longer stored")
            self.blobs.adopt(staged, recording.sha256)
            if rendition_file is not None:
                for rendition in renditions:
                    self.blobs.adopt(rendition_file, rendition.sha256)
            stored = self.catalog.insert_voice_message(recording, renditions, details)
            if stored.id != recording.id:  # an idempotent repeat keeps nothing new
                for digest in {recording.sha256, *(r.sha256 for r in renditions)}:
                    if self.catalog.references(digest) == 0:
                        self.blobs.delete(digest)
            return stored

    def delete(self, tenant: str, attachment_id: str) -> AttachmentRecord | None:
        """Deletes an attachment; a voice message takes its renditions with it."""
        with self._refs:
            voice = self.catalog.voice_details(tenant, attachment_id)
            removed = self._delete_one(tenant, attachment_id)
            if removed is not None and voice is not None:
                for rendition in voice.get("renditions", []):
                    self._delete_one(tenant, rendition["id"])
            return removed

    def _delete_one(self, tenant: str, attachment_id: str) -> AttachmentRecord | None:
        removed = self.catalog.delete(tenant, attachment_id)
        if removed is not None and self.catalog.references(removed.sha256) == 0:
            self.blobs.delete(removed.sha256)
        return removed

    def sweep_expired(self, now: float, batch: int = 500) -> int:
        """Deletes attachments whose retention has passed; returns how many."""
        removed = 0
        while True:
            expired = self.catalog.expired(now, batch)
            for record in expired:
                if self.delete(record.tenant, record.id) is not None:
                    removed += 1
            if len(expired) < batch:
                return removed

    def recover(self) -> Recovery:
        """Run before serving: drops staged files and blobs that no row references."""
        staged = self.blobs.clear_staging()
        referenced = self.catalog.digests()
        orphans = 0
        for digest in list(self.blobs.all_digests()):
            if digest not in referenced:
                self.blobs.delete(digest)
                orphans += 1
        # A render that finished while its source was being deleted leaves derived blobs behind.
        for digest in list(self.blobs.derived_sources()):
            if digest not in referenced:
                self.blobs.drop_derived(digest)
        if staged or orphans:
            log.warning("recovered: removed %d staged files and %d orphan blobs", staged, orphans)
        return Recovery(staged, orphans)

    def close(self) -> None:
        self.catalog.close()
