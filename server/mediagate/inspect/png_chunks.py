"""PNG read chunk by chunk without a decoder: framing, CRCs, the image data, metadata sizes.

Nothing inflated is kept: the image data is checked as it streams through zlib, so a probe
of a 50-megapixel PNG holds a megabyte at a time, not the pixels.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from typing import BinaryIO, Protocol

from mediagate.inspect.bombs import ratio_exceeded
from mediagate.inspect.facts import ProbeLimits
from mediagate.inspect.structure import ImageStructure, too_many_frames, too_many_pixels
from mediagate.inspect.trailing_data import check_trailing
from mediagate.reasons import Finding, Reason

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_READ = 64 * 1024
_INFLATE_STEP = 1024 * 1024  # the most inflated bytes alive at once
_MAX_CHUNK_LENGTH = 2**31 - 1
_MAX_TEXT_HEADER = 64 * 1024  # keyword, language and translated keyword of an iTXt chunk
_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
_DEPTHS = {0: {1, 2, 4, 8, 16}, 2: {8, 16}, 3: {1, 2, 4, 8}, 4: {8, 16}, 6: {8, 16}}
# Adam7 passes: x offset, y offset, x step, y step.
_ADAM7 = (
    (0, 0, 8, 8),
    (4, 0, 8, 8),
    (0, 4, 4, 8),
    (2, 0, 4, 4),
    (0, 2, 2, 4),
    (1, 0, 2, 2),
    (0, 1, 1, 2),
)


class _Consumer(Protocol):
    def feed(self, data: bytes) -> None: ...


@dataclass(frozen=True)
class _Header:
    width: int
    height: int
    depth: int
    color: int
    interlaced: bool

    def row_plan(self) -> list[tuple[int, int]]:
        """(rows, bytes per row before the filter byte) for each non-empty pass."""
        bits = self.depth * _CHANNELS[self.color]
        if not self.interlaced:
            return [(self.height, (self.width * bits + 7) // 8)]
        plan = []
        for x0, y0, dx, dy in _ADAM7:
            cols = (self.width - x0 + dx - 1) // dx if self.width > x0 else 0
            rows = (self.height - y0 + dy - 1) // dy if self.height > y0 else 0
            if cols and rows:
                plan.append((rows, (cols * bits + 7) // 8))
        return plan


def _parse_header(data: bytes) -> _Header | None:
    width, height, depth, color, compression, filtering, interlace = struct.unpack(">IIBBBBB", data)
    valid = (
        0 < width <= _MAX_CHUNK_LENGTH
        and 0 < height <= _MAX_CHUNK_LENGTH
        and depth in _DEPTHS.get(color, ())
        and compression == 0
        and filtering == 0
        and interlace in (0, 1)
    )
    return _Header(width, height, depth, color, interlace == 1) if valid else None


class _ImageData:
    """The IDAT zlib stream, inflated and dropped piece by piece.

    Checks that it inflates, carries a valid filter byte at the start of every row, holds
    at least as many bytes as the header's rows need, and ends.
    """

    def __init__(self, header: _Header) -> None:
        self._inflater = zlib.decompressobj()
        self._plan = header.row_plan()
        self.expected = sum(rows * (size + 1) for rows, size in self._plan)
        self.produced = 0
        self.error: str | None = None
        self.seen = False
        # Past the rows the header needs, decoders stop reading; so does this check.
        self.overflowed = False
        self._pass = 0
        self._rows_left = self._plan[0][0] if self._plan else 0
        self._next_filter = 0

    @property
    def ended(self) -> bool:
        return self._inflater.eof

    def feed(self, data: bytes) -> None:
        self.seen = True
        if self.error or self.overflowed or self._inflater.eof:
            return
        try:
            self._take(self._inflater.decompress(data, _INFLATE_STEP))
            while self._inflater.unconsumed_tail and not self.error and not self.overflowed:
                self._take(self._inflater.decompress(self._inflater.unconsumed_tail, _INFLATE_STEP))
        except zlib.error as exc:
            self.error = f"the image data is not a valid zlib stream ({exc})"

    def _take(self, out: bytes) -> None:
        start = self.produced
        end = start + len(out)
        while self._next_filter < min(end, self.expected):
            if out[self._next_filter - start] > 4:
                self.error = f"invalid row filter type {out[self._next_filter - start]}"
                return
            self._advance_row()
        self.produced = end
        if self.produced > self.expected:
            self.overflowed = True

    def _advance_row(self) -> None:
        self._next_filter += self._plan[self._pass][1] + 1
        self._rows_left -= 1
        if self._rows_left == 0 and self._pass + 1 < len(self._plan):
            self._pass += 1
            self._rows_left = self._plan[self._pass][0]

    def verdict(self) -> Finding | None:
        meta = {"part": "IDAT"}
        if not self.seen:
            return Finding(Reason.CORRUPT, "The PNG has no image data (IDAT).", meta)
        if self.error:
            return Finding(Reason.CORRUPT, f"The PNG image data is damaged: {self.error}.", meta)
        if self.overflowed:
            return None
        if self.produced < self.expected:
            return Finding(
                Reason.CORRUPT,
                f"The PNG image data holds {self.produced} of the {self.expected} bytes "
                "its header needs.",
                meta,
            )
        if not self._inflater.eof:
            return Finding(Reason.CORRUPT, "The PNG image data stream does not end.", meta)
        return None


class _MetadataBudget:
    def __init__(self, limits: ProbeLimits) -> None:
        self.limit = limits.max_metadata_bytes
        self.max_ratio = limits.max_compression_ratio
        self.used = 0


class _CompressedMetadata:
    """A zTXt, iTXt or iCCP chunk: inflated against the shared budget, then dropped."""

    def __init__(self, kind: bytes, budget: _MetadataBudget) -> None:
        self.kind = kind
        self._budget = budget
        self._head = b""
        self._inflater: zlib._Decompress | None = None
        self._skip = False
        self.consumed = 0
        self.produced = 0
        self.over_budget = False

    def feed(self, data: bytes) -> None:
        if self._skip or self.over_budget:
            return
        if self._inflater is None:
            self._head += data
            start = self._compressed_start()
            if start is None:
                self._skip = len(self._head) > _MAX_TEXT_HEADER
                return
            self._inflater = zlib.decompressobj()
            data, self._head = self._head[start:], b""
        try:
            self._inflate(data)
        except zlib.error:
            # A damaged text or ICC chunk is ancillary: decoders skip it, so it is no finding.
            self._skip = True

    def _compressed_start(self) -> int | None:
        """Offset where the compressed bytes begin; None while the header is incomplete."""
        nul = self._head.find(b"\x00")
        if nul < 0:
            return None
        if self.kind != b"iTXt":
            return nul + 2 if len(self._head) >= nul + 2 else None
        if len(self._head) < nul + 3:
            return None
        if self._head[nul + 1] != 1:
            self._skip = True  # an uncompressed iTXt: nothing to inflate
            return None
        language_end = self._head.find(b"\x00", nul + 3)
        keyword_end = self._head.find(b"\x00", language_end + 1) if language_end >= 0 else -1
        return keyword_end + 1 if keyword_end >= 0 else None

    def _inflate(self, data: bytes) -> None:
        assert self._inflater is not None
        self.consumed += len(data)
        while data and not self._inflater.eof:
            room = self._budget.limit - self._budget.used
            out = self._inflater.decompress(data, max(1, min(_INFLATE_STEP, room + 1)))
            self.produced += len(out)
            self._budget.used += len(out)
            if self._budget.used > self._budget.limit:
                self.over_budget = True
                return
            data = self._inflater.unconsumed_tail

    def verdict(self) -> Finding | None:
        name = self.kind.decode()
        meta = {"part": name, "limit": str(self._budget.limit)}
        if self.over_budget:
            return Finding(
                Reason.DECOMPRESSION_BOMB,
                f"The PNG's compressed metadata ({name}) inflates past {self._budget.limit} bytes.",
                {**meta, "actual": str(self._budget.used)},
            )
        if ratio_exceeded(self.consumed, self.produced, self._budget.max_ratio):
            return Finding(
                Reason.DECOMPRESSION_BOMB,
                f"A {name} chunk inflates {self.consumed} bytes into {self.produced}.",
                {
                    "part": name,
                    "limit": f"{self._budget.max_ratio:g}",
                    "actual": f"{self.produced / max(self.consumed, 1):.0f}",
                },
            )
        return None


def walk_png(path: str, limits: ProbeLimits) -> ImageStructure:
    found = ImageStructure()
    with open(path, "rb") as fh:
        _walk(fh, limits, found)
    return found


def _walk(fh: BinaryIO, limits: ProbeLimits, found: ImageStructure) -> None:
    if fh.read(len(_SIGNATURE)) != _SIGNATURE:
        found.add(Finding(Reason.CORRUPT, "The file does not start with the PNG signature."))
        return
    budget = _MetadataBudget(limits)
    image_data: _ImageData | None = None
    animation_frames = 0
    first = True
    while True:
        head = fh.read(8)
        if len(head) < 8:
            found.add(
                Finding(Reason.TRUNCATED, "The PNG ends before its IEND chunk.", {"part": "IEND"})
            )
            return
        length, kind = struct.unpack(">I4s", head)
        name = kind.decode("latin-1")
        if not kind.isalpha() or length > _MAX_CHUNK_LENGTH:
            found.add(Finding(Reason.CORRUPT, f"Invalid PNG chunk header {head!r}."))
            return
        if first and (kind != b"IHDR" or length != 13):
            found.add(Finding(Reason.CORRUPT, "The PNG does not start with a valid IHDR chunk."))
            return
        consumer: _Consumer | None = None
        metadata: _CompressedMetadata | None = None
        if kind == b"IDAT":
            consumer = image_data
        elif kind in (b"zTXt", b"iTXt", b"iCCP"):
            consumer = metadata = _CompressedMetadata(kind, budget)
        body = bytearray() if kind == b"IHDR" else None
        crc = zlib.crc32(kind)
        left = length
        while left:
            piece = fh.read(min(_READ, left))
            if not piece:
                found.add(
                    Finding(Reason.TRUNCATED, f"The PNG's {name} chunk is cut.", {"part": name})
                )
                return
            crc = zlib.crc32(piece, crc)
            if consumer is not None:
                consumer.feed(piece)
            if body is not None:
                body += piece
            left -= len(piece)
        stored = fh.read(4)
        if len(stored) < 4:
            found.add(Finding(Reason.TRUNCATED, f"The PNG's {name} chunk is cut.", {"part": name}))
            return
        if struct.unpack(">I", stored)[0] != crc & 0xFFFFFFFF:
            found.add(
                Finding(Reason.CORRUPT, f"The PNG's {name} chunk fails its CRC.", {"part": name})
            )
            return
        first = False
        if body is not None:
            header = _parse_header(bytes(body))
            if header is None:
                found.add(Finding(Reason.CORRUPT, "The PNG header (IHDR) is invalid."))
                return
            found.width, found.height = header.width, header.height
            found.has_alpha = header.color in (4, 6)
            if header.width * header.height > limits.max_pixels:
                # Leave image_data unset: the pixels are never inflated past the cap.
                found.add(too_many_pixels(header.width, header.height, limits.max_pixels))
            else:
                image_data = _ImageData(header)
        elif metadata is not None:
            verdict = metadata.verdict()
            if verdict is not None and not found.has(Reason.DECOMPRESSION_BOMB):
                found.add(verdict)
        elif kind == b"tRNS":
            found.has_alpha = True
        elif kind == b"fcTL":
            animation_frames += 1
        elif kind == b"IEND":
            break
    found.frame_count = max(animation_frames, 1)
    if found.frame_count > limits.max_frames:
        found.add(too_many_frames(found.frame_count, limits.max_frames))
    if image_data is not None:
        verdict = image_data.verdict()
        if verdict is not None:
            found.add(verdict)
    trailing = check_trailing(fh, fh.tell(), "after IEND")
    if trailing is not None:
        found.add(trailing)
