"""A PDF's raw bytes read once, front to back, without a PDF parser.

Finds action names (JavaScript, Launch) outside stream bodies, with #xx escapes decoded,
for what a parser misses (objects outside a broken xref); and where the last %%EOF marker
sits, for truncation and appended payloads.

Stream bodies are skipped with bytes.find, not scanned: they are most of a PDF's bytes,
and compressed data matches short names like /JS by chance.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import BinaryIO

_BLOCK = 1024 * 1024
# Longer than any token matched here, so a token cut by a block boundary is seen whole in
# one block or the next.
_OVERLAP = 256
_DELIMITER = rb"(?=[\x00\t\n\x0c\r ()<>\[\]{}/%]|\Z)"
_NAME = re.compile(rb"/(?:JavaScript|JS|Launch)" + _DELIMITER)
_ESCAPED = re.compile(rb"/[A-Za-z0-9#]{0,40}#[0-9A-Fa-f]{2}[A-Za-z0-9#]{0,40}" + _DELIMITER)
_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")
_KINDS = {b"/JavaScript": "javascript", b"/JS": "javascript", b"/Launch": "launch"}
_LETTERS = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


@dataclass
class RawScan:
    kinds: set[str] = field(default_factory=set)  # "javascript", "launch"
    last_eof_end: int | None = None  # offset just past the last %%EOF outside a stream
    size: int = 0


def scan_pdf_bytes(fh: BinaryIO) -> RawScan:
    result = RawScan(size=fh.seek(0, os.SEEK_END))
    fh.seek(0)
    inside_stream = False
    carry = b""
    offset = 0  # file offset of data[0]
    while True:
        block = fh.read(_BLOCK)
        data = carry + block
        if not data:
            break
        # Tokens must start before `limit`; the rest is looked at again with the next block.
        limit = len(data) if not block else max(0, len(data) - _OVERLAP)
        pos = 0
        while pos < limit:
            if inside_stream:
                end = data.find(b"endstream", pos)
                if end < 0 or end >= limit:
                    pos = limit
                    break
                inside_stream, pos = False, end + len(b"endstream")
            else:
                start = _stream_keyword(data, pos, limit)
                stop = limit if start < 0 else start
                _scan_syntax(data, pos, stop, offset, result)
                if start < 0:
                    pos = limit
                    break
                inside_stream, pos = True, start + len(b"stream")
        if not block:
            break
        carry = data[pos:]
        offset += pos
    return result


def _stream_keyword(data: bytes, pos: int, limit: int) -> int:
    """Where the next `stream` keyword (followed by an end of line) starts, or -1."""
    while True:
        at = data.find(b"stream", pos, limit + len(b"stream\r\n"))
        if at < 0 or at >= limit:
            return -1
        after = data[at + 6 : at + 8]
        if (at == 0 or data[at - 1] not in _LETTERS) and after[:1] in (b"\n", b"\r"):
            return at
        pos = at + 1


def _scan_syntax(data: bytes, pos: int, stop: int, offset: int, result: RawScan) -> None:
    """Names and %%EOF markers starting in data[pos:stop] (they may end past `stop`)."""
    reach = min(len(data), stop + _OVERLAP)
    eof = data.rfind(b"%%EOF", pos, stop + len(b"%%EOF") - 1)
    if eof >= 0:
        result.last_eof_end = offset + eof + len(b"%%EOF")
    for match in _NAME.finditer(data, pos, reach):
        if match.start() >= stop:
            break
        result.kinds.add(_KINDS[match.group()])
    if data.find(b"#", pos, stop) < 0:
        return
    for match in _ESCAPED.finditer(data, pos, reach):
        if match.start() >= stop:
            break
        name = _HEX.sub(lambda m: bytes.fromhex(m.group(1).decode()), match.group())
        if name in _KINDS:
            result.kinds.add(_KINDS[name])
