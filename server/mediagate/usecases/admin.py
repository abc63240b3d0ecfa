"""What operators ask of the whole server (AdminService): a retention sweep now, finding and
removing stored files nothing references, a storage report, and a dry run of a profiles file.

Every tenant's storage at once, so only callers with the "admin" scope reach it (the edge's
authentication says who). Store work runs in a thread: it walks folders and takes the store's
commit lock, neither of which may stall the event loop.

Orphans, and why cleaning them while uploads run is safe (store/attachments.py says the commit
order): an upload spools into staging/, renames the durable file into blobs/ and commits its
catalog row, the last two in one hold of the store's commit lock. So a blob without a row is
either left by a crash or a failed cleanup, or is the blob of a commit in that very instant;
remove_orphan_blob checks the references again and deletes under the same lock, so it sees
the commit either not begun (the blob is not the commit's) or finished (the row references
it), never half done. The age (min_age, an hour by default) is a second guard, and the only
one for staged files: those belong to an upload from its first byte to its commit, with no
row to check, and every step of an upload (idle 30 s, the probe, scan and strip timeouts) is
bounded far below an hour, so a staged file that old belongs to no live upload.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from mediagate.errors import ErrorReason, MediagateError
from mediagate.policy.profiles import Profile, ProfileError, parse_profiles
from mediagate.store.attachments import AttachmentStore, Swept
from mediagate.store.blobs import BlobUsage, FileInfo
from mediagate.store.deliveries import DeliveryState
from mediagate.store.inbox import ImportState
from mediagate.store.usage import Usage

log = logging.getLogger(__name__)

DEFAULT_MIN_AGE_SECONDS = 3600.0
# An answer lists at most this many orphans; its counts cover them all.
MAX_LISTED = 1000


class OrphanKind:
    BLOB = "BLOB"
    STAGED_FILE = "STAGED_FILE"
    DERIVED = "DERIVED"
    UNFINISHED_UPLOAD = "UNFINISHED_UPLOAD"


@dataclass(frozen=True)
class Orphan:
    kind: str  # an OrphanKind
    file: FileInfo
    removed: bool


@dataclass
class OrphanCleanup:
    dry_run: bool
    orphans: list[Orphan] = field(default_factory=list)
    truncated: bool = False
    found_count: int = 0
    found_bytes: int = 0
    removed_count: int = 0
    removed_bytes: int = 0
    young_count: int = 0

    def note(self, orphan: Orphan) -> None:
        self.found_count += 1
        self.found_bytes += orphan.file.size_bytes
        if orphan.removed:
            self.removed_count += 1
            self.removed_bytes += orphan.file.size_bytes
        if len(self.orphans) < MAX_LISTED:
            self.orphans.append(orphan)
        else:
            self.truncated = True


@dataclass(frozen=True)
class StorageReport:
    tenants: Mapping[str, Usage]
    quota_bytes: int
    quota_attachments: int
    catalog_bytes: int
    storage_cap_bytes: int
    files: BlobUsage
    free_bytes: int
    min_free_bytes: int
    deliveries: Mapping[DeliveryState, int]
    imports: Mapping[ImportState, int]
    report_time: float


@dataclass(frozen=True)
class ProfilesCheck:
    errors: list[str]
    profiles: dict[str, Profile]  # empty when there are errors
    added: list[str]
    changed: list[str]
    removed: list[str]

    @property
    def valid(self) -> bool:
        return not self.errors


class Admin:
    def __init__(
        self,
        store: AttachmentStore,
        deliveries: Callable[[], Mapping[DeliveryState, int]],
        imports: Callable[[], Mapping[ImportState, int]],
        profiles: Mapping[str, Profile],
        required_profiles: tuple[str, ...],
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._store = store
        self._deliveries = deliveries
        self._imports = imports
        self._profiles = dict(profiles)
        self._required = required_profiles  # the default and voice profiles the server names
        self._clock = clock

    async def sweep(self) -> Swept:
        swept = await asyncio.to_thread(self._store.sweep, self._clock())
        log.info(
            "admin sweep removed %d expired attachments, %d bytes freed",
            swept.attachments,
            swept.freed_bytes,
        )
        return swept

    async def clean_orphans(self, dry_run: bool, min_age_seconds: float | None) -> OrphanCleanup:
        age = DEFAULT_MIN_AGE_SECONDS if min_age_seconds is None else min_age_seconds
        if age < 0:
            raise MediagateError(
                ErrorReason.MALFORMED_REQUEST, "min_age must not be negative.", {"min_age": "<0"}
            )
        cleanup = await asyncio.to_thread(self._clean, dry_run, self._clock() - age)
        if not dry_run and cleanup.removed_count:
            log.warning(
                "admin orphan cleanup removed %d files, %d bytes",
                cleanup.removed_count,
                cleanup.removed_bytes,
            )
        return cleanup

    def _clean(self, dry_run: bool, written_before: float) -> OrphanCleanup:
        cleanup = OrphanCleanup(dry_run)
        # A snapshot; each removal checks its digest again under the commit lock.
        referenced = self._store.catalog.digests()
        for kind, info, remove in self._candidates(referenced):
            if info.modify_time >= written_before:
                cleanup.young_count += 1
                continue
            removed = False
            if not dry_run:
                removed = remove(written_before) is not None
            cleanup.note(Orphan(kind, info, removed))
        return cleanup

    def _candidates(
        self, referenced: set[str]
    ) -> Iterator[tuple[str, FileInfo, Callable[[float], int | None]]]:
        store, blobs = self._store, self._store.blobs
        orphan_blobs: set[str] = set()
        for digest in list(blobs.all_digests()):
            if digest in referenced:
                continue
            info = blobs.blob_info(digest)
            if info is not None:
                orphan_blobs.add(digest)
                yield OrphanKind.BLOB, info, _bind(store.remove_orphan_blob, digest)
        for digest in list(blobs.derived_sources()):
            # An orphan blob's derived files go with it.
            if digest in referenced or digest in orphan_blobs:
                continue
            info = blobs.derived_info(digest)
            if info is not None:
                yield OrphanKind.DERIVED, info, _bind(store.remove_orphan_derived, digest)
        for info in list(blobs.staged_files()):
            name = info.path.rsplit("/", 1)[-1]
            yield OrphanKind.STAGED_FILE, info, _bind(blobs.remove_staged, name)
        # A replica that died mid-way through a multipart upload leaves its parts behind.
        for info in list(blobs.unfinished_uploads()):
            yield OrphanKind.UNFINISHED_UPLOAD, info, _bind(blobs.abort_upload, info.path)

    async def storage_report(self) -> StorageReport:
        return await asyncio.to_thread(self._report)

    def _report(self) -> StorageReport:
        store = self._store
        tenants = store.catalog.tenant_usages()
        catalog_bytes = store.catalog.usage("").stored_bytes
        return StorageReport(
            tenants=tenants,
            quota_bytes=store.limits.quota_bytes,
            quota_attachments=store.limits.quota_attachments,
            catalog_bytes=catalog_bytes,
            storage_cap_bytes=store.limits.storage_cap_bytes,
            files=store.blobs.usage(),
            free_bytes=store.space.free_bytes(),
            min_free_bytes=store.space.min_free_bytes,
            deliveries=self._deliveries(),
            imports=self._imports(),
            report_time=self._clock(),
        )

    def check_profiles(self, text: str) -> ProfilesCheck:
        return check_profiles(text, self._profiles, self._required)


def check_profiles(
    text: str, running: Mapping[str, Profile], required: tuple[str, ...]
) -> ProfilesCheck:
    """Exactly the server's start (the loader, then the profiles the settings name), compared
    with `running`. Changes nothing: the CLI's --local runs it without a server."""
    try:
        loaded = parse_profiles(text, "<CheckProfiles>")
        for name in required:
            if name not in loaded:
                # app.py refuses to start with this message.
                raise ProfileError(f"profile {name!r} is not defined")
    except (ValueError, TypeError, AttributeError, KeyError) as exc:
        # ProfileError is a ValueError; the others are the loader meeting a value of a shape
        # it does not expect (a list where a table goes): the server would stop on those too.
        return ProfilesCheck([str(exc)], {}, [], [], [])
    return ProfilesCheck(
        errors=[],
        profiles=loaded,
        added=sorted(set(loaded) - set(running)),
        changed=sorted(n for n in loaded if n in running and loaded[n] != running[n]),
        removed=sorted(set(running) - set(loaded)),
    )


def _bind(remove: Callable[[str, float], int | None], key: str) -> Callable[[float], int | None]:
    return lambda written_before: remove(key, written_before)
