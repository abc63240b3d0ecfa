"""Bytes after a format's logical end: harmless padding, or a second file riding along."""

from __future__ import annotations

import os
from typing import BinaryIO

from mediagate.inspect.sniff import HEAD_BYTES, sniff
from mediagate.reasons import Finding, Reason

_PADDING = b"\x00\t\n\r\x0c "

# Sloppy writers leave a stray byte or two after the end; a payload worth hiding is longer,
# unless it starts with one of the signatures below.
TOLERATED_BYTES = 16

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"pk\x03\x04", "zip"),
    (b"%pdf", "pdf"),
    (b"mz", "pe"),
    (b"\x7felf", "elf"),
    (b"<?php", "php"),
    (b"<?=", "php"),
    (b"<%", "asp"),
    (b"<html", "html"),
    (b"<script", "script"),
    (b"rar!", "rar"),
    (b"7z\xbc\xaf", "7z"),
)


def signature(head: bytes) -> str | None:
    """The kind of program, archive or script `head` starts with, or None."""
    lowered = head.lower()
    for magic_bytes, name in _SIGNATURES:
        # Short signatures only count at the start: two bytes turn up anywhere by chance.
        if lowered.startswith(magic_bytes) or (len(magic_bytes) >= 5 and magic_bytes in lowered):
            return name
    return None


def check_trailing(fh: BinaryIO, start: int, part: str) -> Finding | None:
    """POLYGLOT when the bytes from `start` to the end of the file are more than padding."""
    end = fh.seek(0, os.SEEK_END)
    pos = fh.seek(start)
    first = -1
    # Skip padding block by block: a hostile file can pad with megabytes of zeros.
    while pos < end:
        block = fh.read(HEAD_BYTES)
        if not block:
            break
        stripped = block.lstrip(_PADDING)
        if stripped:
            first = pos + len(block) - len(stripped)
            break
        pos += len(block)
    if first < 0:
        return None
    fh.seek(first)
    head = fh.read(HEAD_BYTES)
    significant = end - first
    if significant <= len(head):
        significant = len(head.rstrip(_PADDING))
    found = signature(head)
    if found is None and significant <= TOLERATED_BYTES:
        return None
    sniffed = sniff(head)
    kind = sniffed.mime_type
    if found and kind in ("application/octet-stream", "text/plain"):
        kind = found
    return Finding(
        Reason.POLYGLOT,
        f"{significant} bytes of other data {part}: {sniffed.description}.",
        {"part": part, "kind": kind, "actual": str(significant)},
    )
