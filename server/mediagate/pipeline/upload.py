"""The steps of an upload, in order. Any step may end it with a refusal; the security checks
come before any decoding, and nothing is kept here: the spool an accepted file ends in is the
caller's to adopt or discard.

    step            package   what it decides
    read_header     intake    the header, checked and cleaned            (INVALID_HEADER, ...)
    find_profile    policy    the profile the header names                (UNKNOWN_PROFILE)
    declared_size   policy    a declared size over the limit: refused before any byte
    room            pipeline  a declared size the quota, the storage cap or the disk has no
                              room for (QUOTA_EXCEEDED, STORAGE_FULL): before any byte
    receive         intake    spool + sha256 as bytes arrive; the size limit and the room left
                              while they arrive; the type libmagic sees in the first 64 KiB
    probe           inspect   the structural probe, in the probe lane, beside the spool's fsync
    decide          policy    every reason found, the most decisive first

Upload, Validate and UploadVoiceMessage all go through these steps (usecases/uploads.py).
A write that finds the disk full (the spool, its fsync) is STORAGE_FULL, and the spool is gone.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from mediagate.errors import ErrorReason, MediagateError
from mediagate.inspect.entry import probe_in_worker
from mediagate.inspect.facts import Facts
from mediagate.inspect.sniff import Sniffed
from mediagate.intake.header import Header
from mediagate.intake.parts import Parts
from mediagate.intake.spool import Spool
from mediagate.intake.stream import Received, RejectedEarly, read_header, receive_body
from mediagate.media.declared import Declared
from mediagate.pipeline.room import Room
from mediagate.policy.decide import (
    check_declared_size,
    check_received_size,
    decide,
    refuse_head,
)
from mediagate.policy.profiles import Profile
from mediagate.reasons import Finding
from mediagate.store.records import MetadataItem
from mediagate.store.space import is_no_space
from mediagate.telemetry.tracing import stage
from mediagate.workers.failures import refusal
from mediagate.workers.pool import WorkerFailed, WorkerPool


@dataclass
class Examined:
    """An upload after every step: the verdict, and the spool when the whole file arrived."""

    header: Header
    profile: Profile
    facts: Facts
    findings: list[Finding]
    size: int = 0
    sha256: str = ""
    # None when reading stopped early; otherwise the caller must adopt or discard it.
    spool: Spool | None = None
    stopped_early: bool = field(default=False)
    # Set by the finishing steps (pipeline/finish.py) when the stored bytes differ from the
    # bytes sent: the sha256 of what was sent, and the metadata found (and removed or not).
    original_sha256: str = ""
    metadata: list[MetadataItem] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return not self.findings

    def discard(self) -> None:
        """Removes the spool unless the store adopted it (then this is a no-op)."""
        if self.spool is not None:
            self.spool.discard()


@dataclass(frozen=True)
class UploadPipeline:
    """What the steps need: the profiles, where to spool, the chunk limit, the probe lane."""

    profiles: Mapping[str, Profile]
    staging_dir: Path
    max_chunk_bytes: int
    probe_lane: WorkerPool
    min_chunk_bytes: int = 0

    async def start(self, parts: Parts, default_profile: str) -> tuple[Header, Profile]:
        """read_header, find_profile: what a caller may answer from before any byte (an
        idempotent repeat)."""
        header = await read_header(parts, default_profile)
        return header, self.find_profile(header.profile)

    def find_profile(self, name: str) -> Profile:
        profile = self.profiles.get(name)
        if profile is None:
            raise MediagateError(
                ErrorReason.UNKNOWN_PROFILE,
                f"No profile named {name[:128]!r}; ListProfiles names them.",
                {"profile": name},
            )
        return profile

    async def examine(self, parts: Parts, header: Header, profile: Profile, room: Room) -> Examined:
        """declared_size, receive, probe, decide. Raises MediagateError (the stream is wrong,
        there is no room for the file, or the probe lane is overloaded); a refused file is an
        answer, not an exception."""
        too_large = check_declared_size(header.declared, profile)
        if too_large:
            return _stopped(header, profile, [too_large], None, 0)
        # Not declared (0): whatever arrives needs at least a byte.
        no_room = room.check(max(header.declared.size_bytes, 1))
        if no_room:
            raise no_room
        try:
            with stage("intake", profile=profile.name):
                received = await receive_body(
                    parts,
                    _ProfileGate(profile, room, header.declared),
                    self.staging_dir,
                    self.max_chunk_bytes,
                    self.min_chunk_bytes,
                )
        except RejectedEarly as early:
            return _stopped(header, profile, early.findings, early.sniffed, early.received)
        except OSError as exc:
            if is_no_space(exc):
                raise room.no_space() from exc
            raise
        try:
            # fsync runs beside the probe: both wait on different things (disk, a worker).
            with stage("inspect", size_bytes=received.size):
                facts, _ = await asyncio.gather(
                    self._probe(received, profile), asyncio.to_thread(received.spool.make_durable)
                )
            facts.magic_description = received.sniffed.description
            with stage("policy", mime_type=facts.mime_type) as span:
                findings = decide(facts, profile, header.declared, received.size, received.sha256)
                span.set_attribute("findings", ",".join(f.reason.value for f in findings))
        except BaseException as exc:
            received.spool.discard()
            if is_no_space(exc):
                raise room.no_space() from exc
            raise
        return Examined(
            header=header,
            profile=profile,
            facts=facts,
            findings=findings,
            size=received.size,
            sha256=received.sha256,
            spool=received.spool,
        )

    async def _probe(self, received: Received, profile: Profile) -> Facts:
        sniffed_mime = received.sniffed.mime_type
        if received.size == 0:
            return Facts(mime_type="inode/x-empty", magic_mime=sniffed_mime)
        try:
            facts = await self.probe_lane.run(
                probe_in_worker, str(received.spool.path), sniffed_mime, profile.probe_limits()
            )
        except WorkerFailed as failed:
            # The worker has already been replaced; the file is refused (workers/failures.py).
            facts = Facts(mime_type=sniffed_mime, findings=[refusal(failed, sniffed_mime)])
        facts.magic_mime = sniffed_mime
        return facts


class _ProfileGate:
    """Intake's questions while bytes arrive, answered by the profile's policy and the room."""

    def __init__(self, profile: Profile, room: Room, declared: Declared) -> None:
        self._profile = profile
        self._room = room
        self._declared = declared

    def over_size(self, received: int) -> Finding | None:
        return check_received_size(received, self._profile)

    def out_of_room(self, received: int) -> MediagateError | None:
        return self._room.check(received)

    def refused_head(self, sniffed: Sniffed) -> list[Finding]:
        return refuse_head(sniffed.mime_type, self._profile, self._declared)


def _stopped(
    header: Header,
    profile: Profile,
    findings: list[Finding],
    sniffed: Sniffed | None,
    received: int,
) -> Examined:
    return Examined(
        header=header,
        profile=profile,
        facts=Facts(mime_type=sniffed.mime_type if sniffed else ""),
        findings=findings,
        size=received,
        stopped_early=True,
    )
