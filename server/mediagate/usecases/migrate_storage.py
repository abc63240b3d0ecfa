"""Copying an embedded data directory (files + SQLite) into S3 + PostgreSQL (`mediagate
migrate-storage`): resumable, and verified by sha256 at both ends.

The order, for each attachment with its renditions (a voice message's playback, a photo's
display JPEG: attachments of their own, in the same catalog transaction as their original):
1. each blob: hashed while it is copied out of the source into the S3 store's staging folder
   (bytes on disk that do not hash to their name fail here and are never sent), then sent by
   the S3 store's own adopt path, which names the sha256 as the S3 checksum (S3 refuses bytes
   that do not match it: BadDigest); a blob already in the bucket with that size and sha256
   (one HEAD) is not sent again. After the upload a HEAD must show the size and sha256, and
   with read_back the object is read back whole and hashed.
2. then the rows, through the target catalog's own commit path (insert_with_renditions, which
   writes every field as given: ids, times, expiry, labels, details, idempotency keys, voice
   details), without limits (what is migrated was admitted once already); the catalog's
   triggers keep each tenant's usage and the server's as they are in SQLite. A row the target
   has already (same id) is skipped.

So a run stopped anywhere leaves at most blobs without rows, which the next run finds by HEAD
and does not send again, and never a row without its blob. Rows whose blob failed are not
migrated and are reported.

Not copied, on purpose: derived entries (previews, the voice-rendition cache). Previews are a
cache under a byte budget and are rendered again on the first request; the voice cache only
spares rendering a recording uploaded again with the same bytes. Copying them would cost a
listing and a transfer per source for nothing a reader can tell. Rendition attachments, which
readers do see, are migrated like any attachment. Deliveries and the inbox are ledgers in each
process's own SQLite files: they are not migrated (finish or cancel deliveries first).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from mediagate.store.blobs import FileBlobStore
from mediagate.store.catalog import Catalog
from mediagate.store.records import NAME_PREFIX, RENDITION_OF_LABEL, AttachmentRecord
from mediagate.store.s3_blobs import S3BlobStore
from mediagate.store.usage import NO_LIMITS

log = logging.getLogger(__name__)

PAGE = 500
CHUNK = 1024 * 1024

NOT_MIGRATED = (
    "deliveries and the Genesys inbox are not migrated: they are per-process SQLite ledgers "
    "(deliveries.sqlite3, inbox.sqlite3); finish or cancel deliveries before moving"
)


@dataclass
class MigrationReport:
    attachments_copied: int = 0
    attachments_present: int = 0  # in the target already (a run before this one)
    attachments_failed: int = 0
    blobs_uploaded: int = 0
    blobs_present: int = 0  # in the bucket already, with the right size and sha256
    blobs_failed: int = 0
    bytes_uploaded: int = 0
    failures: list[str] = field(default_factory=list)
    stopped_early: bool = False  # max_blobs reached: run again to finish
    # Every tenant's usage and the server's stored bytes equal in source and target (None: not
    # compared, after a dry run or an early stop).
    usage_matches: bool | None = None

    @property
    def complete(self) -> bool:
        return not self.stopped_early and not self.failures


class _StopEarly(Exception):
    pass


class StorageMigration:
    """One run. dry_run reads and hashes the source and looks at the target, sending nothing;
    max_blobs stops the run before its (max_blobs+1)th upload (as a killed run would stop)."""

    def __init__(
        self,
        source_blobs: FileBlobStore,
        source_catalog: Catalog,
        target_blobs: S3BlobStore,
        target_catalog: Catalog,
        *,
        dry_run: bool = False,
        read_back: bool = False,
        max_blobs: int | None = None,
        progress: Callable[[str], None] = lambda line: None,
    ) -> None:
        self._source_blobs = source_blobs
        self._source = source_catalog
        self._target_blobs = target_blobs
        self._target = target_catalog
        self._dry_run = dry_run
        self._read_back = read_back
        self._max_blobs = max_blobs
        self._progress = progress
        self._blob_ok: dict[str, bool] = {}  # digests settled in this run
        self.report = MigrationReport()

    def run(self) -> MigrationReport:
        try:
            for tenant in self._source.tenant_usages():
                for record in self._records(tenant):
                    group = self._group(record)
                    if group is not None:
                        self._migrate(group)
        except _StopEarly:
            self.report.stopped_early = True
            return self.report
        if not self._dry_run:
            self.report.usage_matches = self._usage_matches()
        return self.report

    def _records(self, tenant: str) -> Iterator[AttachmentRecord]:
        before = ""
        while page := self._source.list_page(tenant, "", before, PAGE):
            yield from page
            before = page[-1].id

    def _group(self, record: AttachmentRecord) -> list[AttachmentRecord] | None:
        """The record and its renditions, to migrate together; None for a rendition whose
        original will bring it."""
        parent_name = record.labels.get(RENDITION_OF_LABEL, "")
        if parent_name.startswith(NAME_PREFIX):
            parent = self._source.get(record.tenant, parent_name.removeprefix(NAME_PREFIX))
            if parent is not None and any(r.attachment_id == record.id for r in parent.renditions):
                return None
        renditions = [
            self._source.get(record.tenant, ref.attachment_id) for ref in record.renditions
        ]
        return [record, *(r for r in renditions if r is not None)]

    def _migrate(self, group: list[AttachmentRecord]) -> None:
        record = group[0]
        failed = [sha for sha in dict.fromkeys(r.sha256 for r in group) if not self._blob(sha)]
        if failed:
            self._fail(group, f"blob {failed[0]} could not be copied")
            return
        if self._target.get(record.tenant, record.id) is not None:
            self.report.attachments_present += len(group)
            return
        if self._dry_run:
            self.report.attachments_copied += len(group)
            return
        voice = self._source.voice_details(record.tenant, record.id)
        try:
            stored = self._target.insert_with_renditions(record, group[1:], NO_LIMITS, voice)
        except Exception as exc:  # another run inserted it meanwhile, or the database refused
            if self._target.get(record.tenant, record.id) is not None:
                self.report.attachments_present += len(group)
                return
            self._fail(group, f"the catalog refused it: {exc}")
            return
        if stored.id != record.id:
            self._fail(group, f"its idempotency key is taken in the target by {stored.name}")
            return
        self.report.attachments_copied += len(group)
        done = self.report.attachments_copied + self.report.attachments_present
        if done % 100 == 0 or done < 100:
            self._progress(f"{done} attachments done, {self.report.bytes_uploaded} bytes sent")

    def _fail(self, group: list[AttachmentRecord], why: str) -> None:
        self.report.attachments_failed += len(group)
        names = ", ".join(f"{r.tenant}/{r.name} ({r.file_name})" for r in group)
        line = f"FAILED {names}: {why}"
        self.report.failures.append(line)
        self._progress(line)

    def _blob(self, sha256: str) -> bool:
        """Whether the blob is in the bucket, verified (or, in a dry run, would be)."""
        if sha256 not in self._blob_ok:
            ok = self._copy_blob(sha256)
            self._blob_ok[sha256] = ok
            if not ok:
                self.report.blobs_failed += 1
        return self._blob_ok[sha256]

    def _copy_blob(self, sha256: str) -> bool:
        source = self._source_blobs.local_path(sha256)
        try:
            size = source.stat().st_size
        except FileNotFoundError:
            self._progress(f"FAILED blob {sha256}: missing from the source")
            return False
        there = self._target_blobs.stored_digest(sha256)
        if there == (size, sha256):
            self.report.blobs_present += 1
            return True
        if self._max_blobs is not None and self.report.blobs_uploaded >= self._max_blobs:
            raise _StopEarly
        staged = self._target_blobs.staging_dir / f"migrate-{sha256}"
        try:
            digest = _copy_hashing(source, None if self._dry_run else staged)
            if digest != sha256:
                self._progress(f"FAILED blob {sha256}: its bytes on disk hash to {digest}")
                return False
            if self._dry_run:
                self.report.blobs_uploaded += 1
                self.report.bytes_uploaded += size
                return True
            if there is not None:  # an object under this name with other bytes: replace it
                log.warning("replacing %s in the bucket: %s", sha256[:16], there)
                self._target_blobs.delete(sha256)
            self._target_blobs.adopt(staged, sha256)
            return self._verify(sha256, size)
        except OSError as exc:
            self._progress(f"FAILED blob {sha256}: {exc}")
            return False
        finally:
            staged.unlink(missing_ok=True)

    def _verify(self, sha256: str, size: int) -> bool:
        there = self._target_blobs.stored_digest(sha256)
        if there != (size, sha256):
            self._progress(f"FAILED blob {sha256}: the bucket holds {there} after the upload")
            return False
        if self._read_back:
            digest = hashlib.sha256()
            with self._target_blobs.open(sha256) as stored:
                while chunk := stored.read(CHUNK):
                    digest.update(chunk)
            if digest.hexdigest() != sha256:
                self._progress(f"FAILED blob {sha256}: read back as {digest.hexdigest()}")
                return False
        self.report.blobs_uploaded += 1
        self.report.bytes_uploaded += size
        return True

    def _usage_matches(self) -> bool:
        source, target = self._source.tenant_usages(), self._target.tenant_usages()
        return {
            t: (u.tenant_bytes, u.tenant_attachments, u.stored_bytes) for t, u in source.items()
        } == {t: (u.tenant_bytes, u.tenant_attachments, u.stored_bytes) for t, u in target.items()}


def _copy_hashing(source: Path, target: Path | None) -> str:
    """The source's sha256, computed over the very bytes written to target (if any). No fsync:
    this process sends the file and removes it; a crash means sending it again."""
    digest = hashlib.sha256()
    with source.open("rb") as reader:
        if target is None:
            while chunk := reader.read(CHUNK):
                digest.update(chunk)
            return digest.hexdigest()
        with target.open("wb") as writer:
            while chunk := reader.read(CHUNK):
                digest.update(chunk)
                writer.write(chunk)
    return digest.hexdigest()
