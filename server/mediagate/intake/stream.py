"""Reads an upload stream: the header first, then chunks into a spool, deciding as bytes arrive.

It stops reading the moment the bytes decide the answer (too large, a refused type in the first
64 KiB), so a hostile caller cannot make the server take in more than the limit.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from mediagate.inspect.sniff import Sniffed, sniff
from mediagate.intake.header import Header, HeaderError, parse_header
from mediagate.intake.spool import Spool
from mediagate.policy.decide import check_declared_size, check_head_type, check_received_size
from mediagate.policy.profiles import Profile
from mediagate.reasons import Finding
from mediagate.v1 import attachment_service_pb2 as pb


class ProtocolViolation(Exception):
    """The stream itself is wrong (not the file): reason is an ErrorReason name."""

    def __init__(self, reason: str, message: str, metadata: Mapping[str, str] | None = None):
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.metadata = dict(metadata or {})


class RejectedEarly(Exception):
    """The bytes decided before the stream ended; reading stopped."""

    def __init__(self, finding: Finding, sniffed: Sniffed | None, received: int) -> None:
        super().__init__(finding.message)
        self.finding = finding
        self.sniffed = sniffed
        self.received = received


@dataclass
class Received:
    spool: Spool
    sha256: str
    size: int
    sniffed: Sniffed


async def read_header(
    requests: AsyncIterator[pb.UploadRequest],
    profiles: Mapping[str, Profile],
    default_profile: str,
) -> tuple[Header, Profile]:
    try:
        first = await anext(requests)
    except StopAsyncIteration:
        raise ProtocolViolation("EMPTY_STREAM", "The stream ended before a header.") from None
    if first.WhichOneof("content") != "header":
        raise ProtocolViolation(
            "MISSING_HEADER", "The first message of an upload must carry the header."
        )
    h = first.header
    try:
        header = parse_header(
            file_name=h.file_name,
            declared_mime_type=h.declared_mime_type,
            declared_size_bytes=h.declared_size_bytes,
            sha256=h.sha256,
            profile=h.profile,
            conversation_id=h.conversation_id,
            labels=dict(h.labels),
            idempotency_key=h.idempotency_key,
            default_profile=default_profile,
        )
    except HeaderError as exc:
        raise ProtocolViolation("INVALID_HEADER", str(exc), {"field": exc.field}) from None
    profile = profiles.get(header.profile)
    if profile is None:
        raise ProtocolViolation(
            "UNKNOWN_PROFILE",
            f"No profile named {header.profile!r}; ListProfiles names them.",
            {"profile": header.profile},
        )
    return header, profile


async def receive_body(
    requests: AsyncIterator[pb.UploadRequest],
    header: Header,
    profile: Profile,
    staging_dir: Path,
    max_chunk_bytes: int,
) -> Received:
    """Spools and hashes the chunks. The caller owns the returned spool: it makes it durable
    before adopting it, or discards it."""
    too_large = check_declared_size(header.declared, profile)
    if too_large:
        raise RejectedEarly(too_large, None, 0)
    spool = Spool(staging_dir)
    try:
        sniffed = await _spool_chunks(requests, spool, profile, max_chunk_bytes)
        sha256 = await spool.sha256()
    except (RejectedEarly, ProtocolViolation):
        await spool.discard_now()
        raise
    except BaseException:  # cancelled: no waiting allowed, the file goes once the write ends
        spool.discard()
        raise
    return Received(spool=spool, sha256=sha256, size=spool.size, sniffed=sniffed)


async def _spool_chunks(
    requests: AsyncIterator[pb.UploadRequest], spool: Spool, profile: Profile, max_chunk: int
) -> Sniffed:
    sniffed: Sniffed | None = None
    async for request in requests:
        if request.WhichOneof("content") != "chunk":
            raise ProtocolViolation(
                "DUPLICATE_HEADER", "Only the first message may carry a header."
            )
        chunk = request.chunk
        if len(chunk) > max_chunk:
            raise ProtocolViolation(
                "CHUNK_TOO_LARGE",
                f"A chunk of {len(chunk)} bytes; at most {max_chunk} are allowed.",
                {"limit": str(max_chunk), "actual": str(len(chunk))},
            )
        over = check_received_size(spool.size + len(chunk), profile)
        if over:
            raise RejectedEarly(over, sniffed, spool.size + len(chunk))
        await spool.write(chunk)
        if sniffed is None and spool.head_complete:
            sniffed = await _sniff_and_check(spool, profile)
    return sniffed or await _sniff_and_check(spool, profile)


async def _sniff_and_check(spool: Spool, profile: Profile) -> Sniffed:
    # libmagic runs many tests on text; off the loop it costs the loop nothing.
    sniffed = await asyncio.to_thread(sniff, spool.head)
    refused = check_head_type(sniffed.mime_type, profile)
    if refused:
        raise RejectedEarly(refused, sniffed, spool.size)
    return sniffed
