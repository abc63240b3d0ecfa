"""Reading a Range header (RFC 9110 section 14): one byte range, or the whole representation.

Only a single range is served. Several ranges (a multipart/byteranges answer) are answered with
the whole representation, 200, which RFC 9110 allows (a server may ignore Range): crawlers and
players ask for one range, and one answer shape keeps Content-Length exact. A header that does
not parse, or names another unit, is ignored the same way (RFC 9110 14.2). A single range that
starts at or past the end, or a suffix of zero bytes, is Unsatisfiable (416).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SPEC = re.compile(r"^(\d*)-(\d*)$")


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # exclusive

    def content_range(self, size: int) -> str:
        return f"bytes {self.start}-{self.end - 1}/{size}"


class Unsatisfiable(Exception):
    pass


def requested_range(header: str | None, size: int) -> ByteRange | None:
    """The one range asked for, clipped to size; None for the whole representation."""
    if header is None:
        return None
    unit, equals, spec = header.strip().partition("=")
    if not equals or unit.strip().lower() != "bytes" or "," in spec:
        return None
    match = _SPEC.match(spec.strip())
    if match is None:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # a suffix: the last N bytes
        length = int(last)
        if length == 0 or size == 0:
            raise Unsatisfiable
        return ByteRange(max(0, size - length), size)
    start = int(first)
    if last and int(last) < start:
        return None  # invalid, so ignored
    if start >= size:
        raise Unsatisfiable
    return ByteRange(start, min(size, int(last) + 1) if last else size)
