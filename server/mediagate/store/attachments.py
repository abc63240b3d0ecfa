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
import time
from collections.abc import Callable, Iterable, Sequence
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


@dataclass
class Swept:
    """What a retention sweep removed."""

    attachments: int = 0  # expired attachments deleted (each with its renditions)
    logical_bytes: int = 0  # their rows' sizes (renditions included), as quotas count them
    freed_bytes: int = 0  # blob bytes removed from disk (bytes another row still has stay)


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
        self._prepare([(staged, record.sha256)])
        with self._refs, self.catalog.blob_guard():
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

    def commit_with_renditions(
        self,
        staged: Path,
        record: AttachmentRecord,
        rendition_files: Sequence[Path | None],
        renditions: Sequence[AttachmentRecord],
        voice_details: dict[str, Any] | None = None,
    ) -> AttachmentRecord:
        """An attachment and its renditions (a voice message's playback, a photo's display
        JPEG) in one step: the record's blob, each rendition's blob (rendition_files[i] is
        renditions[i]'s staged file, or None when its bytes are stored already, as a cached
        voice rendition's are), and one catalog transaction for every row (and a voice
        message's details). Returns the stored record: the first one when the idempotency key
        was used already, and then nothing new is kept. Raises MissingBlob if bytes said to
        be stored are gone (deleted meanwhile): the caller renders again."""
        if len(rendition_files) != len(renditions):
            raise ValueError("one rendition file (or None) per rendition")
        digests = [record.sha256, *(r.sha256 for r in renditions)]
        self._prepare(
            [(staged, record.sha256)]
            + [(f, r.sha256) for f, r in zip(rendition_files, renditions, strict=True) if f]
        )
        with self._refs, self.catalog.blob_guard():
            for file, rendition in zip(rendition_files, renditions, strict=True):
                if file is None and not self.blobs.exists(rendition.sha256):
                    raise MissingBlob("a cached rendition's bytes are no longer stored")
            try:
                self.blobs.adopt(staged, record.sha256)
                for file, rendition in zip(rendition_files, renditions, strict=True):
                    if file is not None:
                        self.blobs.adopt(file, rendition.sha256)
                stored = self.catalog.insert_with_renditions(
                    record, renditions, self.limits, voice_details
                )
            except BaseException as exc:
                self._drop_unreferenced(digests)
                if is_no_space(exc):
                    raise self.space.full() from exc
                raise
            if stored.id != record.id:  # an idempotent repeat keeps nothing new
                self._drop_unreferenced(digests)
            return stored

    def _prepare(self, staged: Sequence[tuple[Path, str]]) -> None:
        """The slow part of adopting (an object store's upload) before _refs is taken; a
        failure is handled as adopt's would be (nothing kept, STORAGE_FULL on a full disk)."""
        try:
            for path, sha256 in staged:
                self.blobs.prepare(path, sha256)
        except BaseException as exc:
            with self._refs, self.catalog.blob_guard():
                self._drop_unreferenced([sha256 for _, sha256 in staged])
            if is_no_space(exc):
                raise self.space.full() from exc
            raise

    def _drop_unreferenced(self, digests: Iterable[str]) -> None:
        """Removes those of these blobs that no row references (called with _refs held, so no
        commit can be adopting them). A failure here must not hide the one being handled."""
        for digest in dict.fromkeys(digests):
            try:
                if self.catalog.references(digest) == 0:
                    self.blobs.delete(digest)
            except Exception:
                log.exception("could not remove the unreferenced blob %s", digest[:16])

    def delete(
        self, tenant: str, attachment_id: str, tally: Swept | None = None
    ) -> AttachmentRecord | None:
        """Deletes an attachment and its renditions (a voice message's playback, a photo's
        display JPEG). Works on a full disk: see _with_reserve. `tally` adds up what went."""
        with self._refs, self.catalog.blob_guard():
            voice = self.catalog.voice_details(tenant, attachment_id)
            removed = self._delete_one(tenant, attachment_id, tally)
            if removed is not None:
                # The record lists its renditions; a voice message stored before records did
                # (schema 1) lists them in its voice details only.
                listed = [r.attachment_id for r in removed.renditions]
                listed += [r["id"] for r in (voice or {}).get("renditions", [])]
                for rendition_id in dict.fromkeys(listed):
                    self._delete_one(tenant, rendition_id, tally)
            # Space a delete gave back goes to the reserve first (a no-op when it is whole).
            self.space.restore_reserve()
            return removed

    def _delete_one(
        self, tenant: str, attachment_id: str, tally: Swept | None = None
    ) -> AttachmentRecord | None:
        removed = self._with_reserve(lambda: self.catalog.delete(tenant, attachment_id))
        if removed is not None and tally is not None:
            tally.logical_bytes += removed.size_bytes
        if removed is not None and self.catalog.references(removed.sha256) == 0:
            self.blobs.delete(removed.sha256)
            if tally is not None:  # a blob's size is its rows' size: it is their bytes
                tally.freed_bytes += removed.size_bytes
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
        return self.sweep(now, batch).attachments

    def sweep(self, now: float, batch: int = 500) -> Swept:
        """Deletes attachments whose retention has passed; says what went."""
        swept = Swept()
        while True:
            expired = self.catalog.expired(now, batch)
            for record in expired:
                if self.delete(record.tenant, record.id, swept) is not None:
                    swept.attachments += 1
            if len(expired) < batch:
                return swept

    # Orphans at run time (usecases/admin.py). recover() removes them all at start, when no
    # upload is in flight; while uploads run, these remove one at a time under the same lock as
    # commit and delete, after checking again that no row references the bytes.

    def remove_orphan_blob(self, sha256: str, written_before: float) -> int | None:
        """Removes a blob (and its derived files) that no row references and that was last
        written before `written_before`; returns its size, or None when it was kept.

        Why a blob about to be committed is never taken: commit adopts the blob and inserts
        its row in one hold of _refs, and this check and delete run in one hold of it too, so
        this runs either before the adopt (the blob it sees then is an older orphan of the same
        bytes: the commit's adopt finds it gone and renames its own staged file into place) or
        after the row is committed (references() is then 1, and the blob stays). A commit that
        reuses stored bytes without a staged file (a cached voice rendition) checks they exist
        under the lock too, and renders again when they do not."""
        with self._refs, self.catalog.blob_guard():
            if self.catalog.references(sha256) != 0:
                return None
            info = self.blobs.blob_info(sha256)
            if info is None or info.modify_time >= written_before:
                return None
            self.blobs.delete(sha256)
            return info.size_bytes

    def remove_orphan_derived(self, sha256: str, written_before: float) -> int | None:
        """Removes the derived files of bytes no row references and no blob holds, when the
        newest of them was written before `written_before`; returns their size, or None."""
        with self._refs, self.catalog.blob_guard():
            if self.catalog.references(sha256) != 0 or self.blobs.exists(sha256):
                return None
            info = self.blobs.derived_info(sha256)
            if info is None or info.modify_time >= written_before:
                return None
            self.blobs.drop_derived(sha256)
            return info.size_bytes

    def recover(self, orphan_grace_seconds: float = 0.0) -> Recovery:
        """Run before serving: drops staged files and blobs that no row references.

        With blobs shared by other running servers (one S3 bucket), a blob another server has
        just uploaded and not yet recorded is unreferenced too: only orphans older than the
        grace are taken then (remove_orphan_blob), as the admin cleanup does at run time."""
        staged = self.blobs.clear_staging()
        referenced = self.catalog.digests()
        before = time.time() - orphan_grace_seconds
        orphans = 0
        for digest in list(self.blobs.all_digests()):
            if digest in referenced:
                continue
            if orphan_grace_seconds <= 0:
                self.blobs.delete(digest)
                orphans += 1
            elif self.remove_orphan_blob(digest, before) is not None:
                orphans += 1
        # A render that finished while its source was being deleted leaves derived blobs behind.
        for digest in list(self.blobs.derived_sources()):
            if digest in referenced:
                continue
            if orphan_grace_seconds <= 0:
                self.blobs.drop_derived(digest)
            else:
                self.remove_orphan_derived(digest, before)
        if staged or orphans:
            log.warning("recovered: removed %d staged files and %d orphan blobs", staged, orphans)
        self.space.restore_reserve()
        return Recovery(staged, orphans)

    def close(self) -> None:
        self.catalog.close()
