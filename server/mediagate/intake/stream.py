"""Reads an upload stream: the header first, then chunks into a spool, deciding as bytes arrive.

It stops reading the moment the bytes decide the answer (too large, a refused type in the first
64 KiB, more than the tenant's quota or the server's storage has room for), so a hostile
caller cannot make the server take in more than the limit. What decides is not intake's
business: the caller passes a Gate, and the pipeline answers it with policy and the room left.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from mediagate.errors import ErrorReason, MediagateError
from mediagate.inspect.sniff import Sniffed, sniff
from mediagate.intake.header import Header, HeaderError, parse_header
from mediagate.intake.parts import HeaderFields, Parts
from mediagate.intake.spool import Spool
from mediagate.reasons import Finding


class Gate(Protocol):
    """The questions intake asks while bytes arrive; each answer None lets them keep coming."""

    def over_size(self, received: int) -> Finding | None:
        """A refusal of the file: more bytes than its profile allows."""

    def out_of_room(self, received: int) -> MediagateError | None:
        """An error for the caller: more bytes than are left for it (its quota, the server's
        storage, free disk space). Asked after over_size, with the same count."""

    def refused_head(self, sniffed: Sniffed) -> list[Finding]:
        """Every reason the first bytes already give to refuse the file, the most decisive
        first; empty lets them keep coming."""


class RejectedEarly(Exception):
    """The bytes decided before the stream ended; reading stopped. `findings` holds every
    reason known at that point, the most decisive first (never empty)."""

    def __init__(self, findings: list[Finding], sniffed: Sniffed | None, received: int) -> None:
        super().__init__(findings[0].message)
        self.findings = findings
        self.sniffed = sniffed
        self.received = received


@dataclass
class Received:
    spool: Spool
    sha256: str
    size: int
    sniffed: Sniffed


def _violation(reason: ErrorReason, message: str, **metadata: str) -> MediagateError:
    return MediagateError(reason, message, metadata)


async def read_header(parts: Parts, default_profile: str) -> Header:
    """The first part, which must be the header, checked. Raises MediagateError."""
    try:
        first = await anext(parts)
    except StopAsyncIteration:
        raise _violation(ErrorReason.EMPTY_STREAM, "The stream ended before a header.") from None
    if not isinstance(first, HeaderFields):
        raise _violation(
            ErrorReason.MISSING_HEADER, "The first message of an upload must carry the header."
        )
    try:
        return parse_header(first, default_profile)
    except HeaderError as exc:
        raise _violation(ErrorReason.INVALID_HEADER, str(exc), field=exc.field) from None


async def receive_body(
    parts: Parts, gate: Gate, staging_dir: Path, max_chunk: int, min_chunk: int = 0
) -> Received:
    """Spools and hashes the chunks. The caller owns the returned spool: it makes it durable
    before adopting it, or discards it. Raises RejectedEarly or MediagateError, and then no
    spool file is left."""
    spool = Spool(staging_dir)
    try:
        sniffed = await _spool_chunks(parts, spool, gate, max_chunk, min_chunk)
        sha256 = await spool.sha256()
    except (RejectedEarly, MediagateError, OSError):  # OSError: a full disk, say
        await spool.discard_now()
        raise
    except BaseException:  # cancelled: no waiting allowed, the file goes once the write ends
        spool.discard()
        raise
    return Received(spool=spool, sha256=sha256, size=spool.size, sniffed=sniffed)


async def _spool_chunks(
    parts: Parts, spool: Spool, gate: Gate, max_chunk: int, min_chunk: int
) -> Sniffed:
    sniffed: Sniffed | None = None
    chunks = 0
    async for part in parts:
        if not isinstance(part, bytes):
            raise _violation(
                ErrorReason.DUPLICATE_HEADER, "Only the first message may carry a header."
            )
        chunks += 1
        _check_economy(chunks, spool.size + len(part), min_chunk)
        if len(part) > max_chunk:
            raise _violation(
                ErrorReason.CHUNK_TOO_LARGE,
                f"A chunk of {len(part)} bytes; at most {max_chunk} are allowed.",
                limit=str(max_chunk),
                actual=str(len(part)),
            )
        over = gate.over_size(spool.size + len(part))
        if over:
            raise RejectedEarly([over], sniffed, spool.size + len(part))
        no_room = gate.out_of_room(spool.size + len(part))
        if no_room:
            raise no_room
        await spool.write(part)
        # The writer holds the chunk until it is written; this loop need not hold it too while
        # the next one arrives (a megabyte per upload in flight).
        del part
        if sniffed is None and spool.head_complete:
            sniffed = await _sniff_and_check(spool, gate)
    return sniffed or await _sniff_and_check(spool, gate)


# Chunks a stream may send before its chunks must average min_chunk bytes: room for a few
# small ones (a reader's odd buffer, the last piece) without letting a stream of tiny ones
# cost the server a message each.
FREE_CHUNKS = 16


def _check_economy(chunks: int, received: int, min_chunk: int) -> None:
    if min_chunk <= 0 or chunks <= FREE_CHUNKS + received // min_chunk:
        return
    average = received // chunks
    raise _violation(
        ErrorReason.CHUNK_TOO_SMALL,
        f"{chunks} chunks for {received} bytes (an average of {average}); chunks must average "
        f"at least {min_chunk} bytes.",
        limit=str(min_chunk),
        actual=str(average),
    )


async def _sniff_and_check(spool: Spool, gate: Gate) -> Sniffed:
    # libmagic runs many tests on text; off the loop it costs the loop nothing.
    sniffed = await asyncio.to_thread(sniff, spool.head)
    refused = gate.refused_head(sniffed)
    if refused:
        raise RejectedEarly(refused, sniffed, spool.size)
    return sniffed
