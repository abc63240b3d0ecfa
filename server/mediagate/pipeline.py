"""The one way through for an upload stream: intake -> inspect (in a worker) -> policy.

Servicers call `examine` and then either store the file (Upload) or report the verdict
(Validate). Nothing here stores anything; the spool it returns is the caller's to adopt or
discard.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from mediagate.inspect.entry import probe_in_worker
from mediagate.inspect.facts import Facts
from mediagate.intake.header import Header
from mediagate.intake.spool import Spool
from mediagate.intake.stream import Received, RejectedEarly, read_header, receive_body
from mediagate.policy.decide import decide
from mediagate.policy.profiles import Profile
from mediagate.reasons import Finding, Reason
from mediagate.v1 import attachment_service_pb2 as pb
from mediagate.workers.pool import WorkerFailed, WorkerPool


@dataclass
class Examined:
    header: Header
    profile: Profile
    facts: Facts
    findings: list[Finding]
    size: int = 0
    sha256: str = ""
    # None when reading stopped early; otherwise the caller must adopt or discard it.
    spool: Spool | None = None
    stopped_early: bool = field(default=False)

    @property
    def accepted(self) -> bool:
        return not self.findings


@dataclass(frozen=True)
class Intake:
    """What the pipeline needs from the server: profiles, where to spool, the worker pool."""

    profiles: Mapping[str, Profile]
    default_profile: str
    staging_dir: Path
    max_chunk_bytes: int
    pool: WorkerPool


async def start(
    requests: AsyncIterator[pb.UploadRequest], intake: Intake
) -> tuple[Header, Profile]:
    """Reads and checks the header (the caller may answer from it alone, e.g. idempotency)."""
    return await read_header(requests, intake.profiles, intake.default_profile)


async def examine(
    requests: AsyncIterator[pb.UploadRequest], header: Header, profile: Profile, intake: Intake
) -> Examined:
    """Reads the rest of the stream and judges it. Raises ProtocolViolation, Overloaded."""
    try:
        received = await receive_body(
            requests, header, profile, intake.staging_dir, intake.max_chunk_bytes
        )
    except RejectedEarly as early:
        mime = early.sniffed.mime_type if early.sniffed else ""
        return Examined(
            header=header,
            profile=profile,
            facts=Facts(mime_type=mime),
            findings=[early.finding],
            size=early.received,
            stopped_early=True,
        )
    try:
        # fsync runs beside the probe: both wait on different things (disk, a worker).
        facts, _ = await asyncio.gather(
            _inspect(received, profile, intake),
            asyncio.to_thread(received.spool.make_durable),
        )
        facts.magic_description = received.sniffed.description
        findings = decide(facts, profile, header.declared, received.size, received.sha256)
    except BaseException:
        received.spool.discard()
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


async def _inspect(received: Received, profile: Profile, intake: Intake) -> Facts:
    sniffed_mime = received.sniffed.mime_type
    if received.size == 0:
        return Facts(mime_type="inode/x-empty", magic_mime=sniffed_mime)
    try:
        facts = await intake.pool.run(
            probe_in_worker, str(received.spool.path), sniffed_mime, profile.probe_limits()
        )
    except WorkerFailed as failed:
        # A file that makes its probe hang, blow the memory cap or crash is hostile or broken:
        # either way it is refused, and the worker has already been replaced.
        why = {
            "timeout": "could not be inspected within the time limit",
            "crashed": "made its inspection fail",
            "error": "made its inspection fail",
        }[failed.kind]
        facts = Facts(
            mime_type=sniffed_mime,
            findings=[
                Finding(
                    Reason.CORRUPT,
                    f"The file {why} ({failed.detail}).",
                    {"detected_mime_type": sniffed_mime, "kind": f"probe_{failed.kind}"},
                )
            ],
        )
    facts.magic_mime = sniffed_mime
    return facts
