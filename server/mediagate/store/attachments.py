"""Keeps blobs and catalog rows consistent: commit, delete, expire, and recover after a crash.

The order that makes a SIGKILL at any instant safe: the spool file is fsynced, renamed into the
blob store (directory fsynced), and only then is the catalog row committed and the upload
acknowledged. A crash before the row leaves at most an unreferenced blob, which `recover`
removes at the next start; staged spool files are never referenced and are cleared too.

Limits: a commit is checked against the tenant's quota and the storage cap inside the catalog's
transaction (store/usage.py), so a commit that does not fit keeps nothing. A write that finds
the disk full is STORAGE_FULL, and keeps nothing either: a blob adopted for a row that was not
committed is removed again. Deleting never needs free space: when the catalog cannot write,
the delete reserve is released and the delete tried again (store/space.py).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from mediagate.store.blobs import BlobStore
from mediagate.store.catalog import Catalog
from mediagate.store.records import AttachmentRecord
from mediagate.store.space import DiskSpace, NoSpace, is_no_space
from mediagate.store.usage import NO_LIMITS, Limits

T = TypeVar("T")

log = logging.getLogger(__name__)


class MissingBlob(Exception):
    pass


@dataclass(frozen=True)
class Recovery:
    staged_removed: int
    orphan_blobs_removed: int


class AttachmentStore:
    def __init__(
        self,
        blobs: BlobStore,
        catalog: Catalog,
        limits: Limits = NO_LIMITS,
        space: DiskSpace | None = None,
    ) -> None:
        self.blobs = blobs
        self.catalog = catalog
        self.limits = limits
        # The embedded stores keep everything on one filesystem; staging is on it by design.
        self.space = space or DiskSpace(blobs.staging_dir)
        # Serialises "adopt blob + insert row" against "delete row + drop unreferenced blob",
        # so a delete never removes bytes that a concurrent commit of the same digest relies on.
        self._refs = threading.Lock()

    def commit(self, staged: Path, record: AttachmentRecord) -> AttachmentRecord:
        """Adopts a durable staged file and records it; returns the stored record (the first one
        when the idempotency key was already used, in which case nothing new is kept)."""
        with self._refs:
            try:
                self.blobs.adopt(staged, record.sha256)
                stored = self.catalog.insert(record, self.limits)
            except BaseException as exc:
                self._drop_unreferenced([record.sha256])
                if is_no_space(exc):
                    raise self.space.full() from exc
                raise
            if stored.id != record.id:
                self._drop_unreferenced([record.sha256])
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
        digests = [recording.sha256, *(r.sha256 for r in renditions)]
        with self._refs:
            if rendition_file is None and not all(self.blobs.exists(r.sha256) for r in renditions):
                raise MissingBlob("a cached rendition's bytes are no longer stored")
            try:
                self.blobs.adopt(staged, recording.sha256)
                if rendition_file is not None:
                    for rendition in renditions:
                        self.blobs.adopt(rendition_file, rendition.sha256)
                stored = self.catalog.insert_voice_message(
                    recording, renditions, details, self.limits
                )
            except BaseException as exc:
                self._drop_unreferenced(digests)
                if is_no_space(exc):
                    raise self.space.full() from exc
                raise
            if stored.id != recording.id:  # an idempotent repeat keeps nothing new
                self._drop_unreferenced(digests)
            return stored

    def _drop_unreferenced(self, digests: Iterable[str]) -> None:
        """Removes those of these blobs that no row references (called with _refs held, so no
        commit can be adopting them). A failure here must not hide the one being handled."""
        for digest in dict.fromkeys(digests):
            try:
                if self.catalog.references(digest) == 0:
                    self.blobs.delete(digest)
            except Exception:
                log.exception("could not remove the unreferenced blob %s", digest[:16])

    def delete(self, tenant: str, attachment_id: str) -> AttachmentRecord | None:
        """Deletes an attachment; a voice message takes its renditions with it. Works on a full
        disk: see _with_reserve."""
        with self._refs:
            voice = self.catalog.voice_details(tenant, attachment_id)
            removed = self._delete_one(tenant, attachment_id)
            if removed is not None and voice is not None:
                for rendition in voice.get("renditions", []):
                    self._delete_one(tenant, rendition["id"])
            # Space a delete gave back goes to the reserve first (a no-op when it is whole).
            self.space.restore_reserve()
            return removed

    def _delete_one(self, tenant: str, attachment_id: str) -> AttachmentRecord | None:
        removed = self._with_reserve(lambda: self.catalog.delete(tenant, attachment_id))
        if removed is not None and self.catalog.references(removed.sha256) == 0:
            self.blobs.delete(removed.sha256)
        return removed

    def _with_reserve(self, write: Callable[[], T]) -> T:
        """Runs a catalog write that frees space; if the disk is too full for it, releases the
        delete reserve and runs it again."""
        try:
            return write()
        except NoSpace as exc:
            if not self.space.release_reserve():
                raise self.space.full() from exc
        try:
            return write()
        except NoSpace as exc:
            raise self.space.full() from exc

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
        self.space.restore_reserve()
        return Recovery(staged, orphans)

    def close(self) -> None:
        self.catalog.close()
