"""Where a file's length, size, count and offset fields and its chunks are, for the mutations
that aim at them.

Random byte flips rarely land on the four bytes of a chunk's length, yet lengths are what
parsers trust most: they size reads, allocations and loops. These walkers find those fields
(and the chunks they frame) in the formats the seeds come in, by the signature at the start of
the bytes, so a file that earlier mutations changed or spliced is walked as what it now looks
like. They are test code run on hostile bytes: each loop is bounded, and a walk ends at the
first thing it cannot follow, keeping what it found until then.
"""

from __future__ import annotations

import contextlib
import itertools
import re
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

Encoding = Literal["big", "little", "vint", "ascii"]

_MAX_ITEMS = 400  # fields or spans per walk: plenty for few-KiB seeds, bounded for splices


@dataclass(frozen=True)
class Field:
    """A number stored at data[offset : offset + width]: binary in either byte order, an EBML
    variable-length integer (width = its length), or ASCII digits (PDF, XML)."""

    offset: int
    width: int
    encoding: Encoding
    what: str  # for the example's description: "PNG IHDR length", ...


@dataclass
class Layout:
    fields: list[Field] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)  # chunks, segments, boxes, pages

    def add_field(self, offset: int, width: int, encoding: Encoding, what: str) -> None:
        if len(self.fields) < _MAX_ITEMS:
            self.fields.append(Field(offset, width, encoding, what))

    def add_span(self, start: int, end: int) -> None:
        if len(self.spans) < _MAX_ITEMS and start < end:
            self.spans.append((start, end))


def layout(data: bytes) -> Layout:
    """The fields and spans of whatever format `data` starts as (for a format no walker knows,
    its ASCII numbers, and its XML elements or lines)."""
    found = Layout()
    walk = _walker(data)
    # What was found before the walk lost its way still counts.
    with contextlib.suppress(IndexError, ValueError, struct.error):
        walk(data, found)
    return found


def _walker(data: bytes) -> Callable[[bytes, Layout], None]:
    if data[4:8] in (b"ftyp", b"moov", b"mdat", b"free", b"wide"):
        return _bmff
    for signature, walk in _WALKERS:
        if data.startswith(signature):
            return walk
    return _ascii_numbers


# ---------------------------------------------------------------------------------------------
# Chunked binary formats


def _png(data: bytes, found: Layout) -> None:
    pos = 8
    while pos + 8 <= len(data) and len(found.spans) < _MAX_ITEMS:
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        name = kind.decode("latin-1")
        found.add_field(pos, 4, "big", f"PNG {name} length")
        body = pos + 8
        if kind == b"IHDR":
            found.add_field(body, 4, "big", "PNG width")
            found.add_field(body + 4, 4, "big", "PNG height")
        elif kind == b"acTL":
            found.add_field(body, 4, "big", "APNG frame count")
        elif kind == b"fcTL":
            found.add_field(body + 4, 4, "big", "APNG frame width")
            found.add_field(body + 8, 4, "big", "APNG frame height")
            found.add_field(body + 12, 4, "big", "APNG frame x offset")
        found.add_span(pos, min(len(data), body + length + 4))
        if kind == b"IEND":
            return
        pos = body + length + 4


def _riff(data: bytes, found: Layout) -> None:
    found.add_field(4, 4, "little", "RIFF size")
    _riff_chunks(data, 12, len(data), found)


def _riff_chunks(data: bytes, pos: int, end: int, found: Layout) -> None:
    while pos + 8 <= end and len(found.spans) < _MAX_ITEMS:
        kind = data[pos : pos + 4]
        (size,) = struct.unpack("<I", data[pos + 4 : pos + 8])
        name = kind.decode("latin-1")
        body = pos + 8
        found.add_field(pos + 4, 4, "little", f"RIFF {name} size")
        if kind == b"fmt ":
            found.add_field(body + 2, 2, "little", "WAV channels")
            found.add_field(body + 4, 4, "little", "WAV sample rate")
            found.add_field(body + 8, 4, "little", "WAV byte rate")
            found.add_field(body + 12, 2, "little", "WAV block align")
            found.add_field(body + 14, 2, "little", "WAV bits per sample")
        elif kind == b"VP8 ":
            found.add_field(body + 6, 2, "little", "WebP VP8 width")
            found.add_field(body + 8, 2, "little", "WebP VP8 height")
        elif kind == b"VP8L":
            found.add_field(body + 1, 4, "little", "WebP VP8L size bits")
        elif kind == b"VP8X":
            found.add_field(body + 4, 3, "little", "WebP canvas width")
            found.add_field(body + 7, 3, "little", "WebP canvas height")
        elif kind == b"ANMF":
            found.add_field(body + 6, 3, "little", "WebP frame width")
            found.add_field(body + 9, 3, "little", "WebP frame height")
            _riff_chunks(data, body + 16, min(end, body + size), found)
        found.add_span(pos, min(end, body + size + (size & 1)))
        pos = body + size + (size & 1)


def _jpeg(data: bytes, found: Layout) -> None:
    pos = 2
    while pos + 4 <= len(data) and data[pos] == 0xFF and len(found.spans) < _MAX_ITEMS:
        marker = data[pos + 1]
        if marker == 0xD9:
            return
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        found.add_field(pos + 2, 2, "big", f"JPEG FF{marker:02X} length")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            found.add_field(pos + 5, 2, "big", "JPEG height")
            found.add_field(pos + 7, 2, "big", "JPEG width")
            found.add_field(pos + 9, 1, "big", "JPEG component count")
        elif marker == 0xDA:
            found.add_field(pos + 4, 1, "big", "JPEG scan component count")
        end = pos + 2 + length
        if marker == 0xDA:
            # Entropy-coded data runs to the next marker that is not stuffing or a restart.
            match = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]").search(data, end)
            end = match.start() if match else len(data)
        found.add_span(pos, min(end, len(data)))
        pos = end


def _gif(data: bytes, found: Layout) -> None:
    found.add_field(6, 2, "little", "GIF screen width")
    found.add_field(8, 2, "little", "GIF screen height")
    flags = data[10]
    pos = 13 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
    while pos < len(data) and len(found.spans) < _MAX_ITEMS:
        start = pos
        introducer = data[pos]
        if introducer == 0x21:
            pos += 2
        elif introducer == 0x2C:
            for i, what in enumerate(("left", "top", "width", "height")):
                found.add_field(pos + 1 + 2 * i, 2, "little", f"GIF frame {what}")
            image_flags = data[pos + 9]
            pos += 10 + (3 << ((image_flags & 7) + 1) if image_flags & 0x80 else 0) + 1
        else:
            return
        while pos < len(data) and data[pos]:  # data sub-blocks, each led by its size
            found.add_field(pos, 1, "big", "GIF sub-block size")
            pos += data[pos] + 1
        pos += 1
        found.add_span(start, min(pos, len(data)))


def _tiff(data: bytes, found: Layout) -> None:
    order: Literal["big", "little"] = "little" if data[:2] == b"II" else "big"
    fmt = "<" if order == "little" else ">"
    found.add_field(4, 4, order, "TIFF first IFD offset")
    (ifd,) = struct.unpack(fmt + "I", data[4:8])
    seen: set[int] = set()
    while 8 <= ifd < len(data) and ifd not in seen and len(seen) < 16:
        seen.add(ifd)
        (count,) = struct.unpack(fmt + "H", data[ifd : ifd + 2])
        found.add_field(ifd, 2, order, "TIFF IFD entry count")
        for i in range(min(count, 64)):
            entry = ifd + 2 + 12 * i
            if entry + 12 > len(data):
                return
            found.add_field(entry + 4, 4, order, "TIFF value count")
            found.add_field(entry + 8, 4, order, "TIFF value or offset")
            found.add_span(entry, entry + 12)
        next_at = ifd + 2 + 12 * count
        found.add_field(next_at, 4, order, "TIFF next IFD offset")
        (ifd,) = struct.unpack(fmt + "I", data[next_at : next_at + 4])


_BMFF_CONTAINERS = frozenset(
    {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"udta", b"ilst", b"edts", b"dinf", b"mvex"}
)
_BMFF_TABLES = frozenset({b"stts", b"stsc", b"stco", b"co64", b"stss", b"ctts", b"elst", b"dref"})


def _bmff(data: bytes, found: Layout) -> None:
    _bmff_boxes(data, 0, len(data), found, 0)


def _bmff_boxes(data: bytes, pos: int, end: int, found: Layout, depth: int) -> None:
    while pos + 8 <= end and depth < 8 and len(found.spans) < _MAX_ITEMS:
        size, kind = struct.unpack(">I4s", data[pos : pos + 8])
        name = kind.decode("latin-1")
        found.add_field(pos, 4, "big", f"MP4 {name} size")
        header = 8
        if size == 1:
            found.add_field(pos + 8, 8, "big", f"MP4 {name} large size")
            (size,) = struct.unpack(">Q", data[pos + 8 : pos + 16])
            header = 16
        elif size == 0:
            size = end - pos
        body = pos + header
        if kind in _BMFF_CONTAINERS:
            _bmff_boxes(data, body, min(end, pos + size), found, depth + 1)
        elif kind == b"meta":
            _bmff_boxes(data, body + 4, min(end, pos + size), found, depth + 1)
        elif kind == b"stsz":
            found.add_field(body + 4, 4, "big", "MP4 sample size")
            found.add_field(body + 8, 4, "big", "MP4 sample count")
        elif kind in _BMFF_TABLES:
            found.add_field(body + 4, 4, "big", f"MP4 {name} entry count")
        elif kind in (b"mdhd", b"mvhd") and data[body] == 0:
            found.add_field(body + 12, 4, "big", f"MP4 {name} timescale")
            found.add_field(body + 16, 4, "big", f"MP4 {name} duration")
        found.add_span(pos, min(end, pos + max(size, header)))
        if size < header:
            return
        pos += size


def _ogg(data: bytes, found: Layout) -> None:
    pos = 0
    while pos + 27 <= len(data) and data[pos : pos + 4] == b"OggS" and len(found.spans) < 200:
        found.add_field(pos + 6, 8, "little", "Ogg granule position")
        found.add_field(pos + 18, 4, "little", "Ogg page sequence")
        segments = data[pos + 26]
        found.add_field(pos + 26, 1, "big", "Ogg segment count")
        table = data[pos + 27 : pos + 27 + segments]
        for i in range(min(len(table), 8)):
            found.add_field(pos + 27 + i, 1, "big", "Ogg lacing value")
        end = pos + 27 + segments + sum(table)
        found.add_span(pos, min(end, len(data)))
        pos = end


# EBML elements whose children are elements (Matroska / WebM).
_EBML_MASTERS = frozenset(
    {
        0x1A45DFA3,  # EBML header
        0x18538067,  # Segment
        0x114D9B74,  # SeekHead
        0x4DBB,  # Seek
        0x1549A966,  # Info
        0x1654AE6B,  # Tracks
        0xAE,  # TrackEntry
        0xE1,  # Audio
        0x1F43B675,  # Cluster
        0xA0,  # BlockGroup
        0x1C53BB6B,  # Cues
        0xBB,  # CuePoint
        0x1254C367,  # Tags
        0x7373,  # Tag
    }
)


def _vint(data: bytes, pos: int) -> tuple[int, int]:
    """(length, value without the length marker) of the EBML variable-length integer at pos."""
    first = data[pos]
    length = 1
    while length <= 8 and not first & (0x80 >> (length - 1)):
        length += 1
    if length > 8:
        raise ValueError("not a variable-length integer")
    value = first & (0xFF >> length)
    for byte in data[pos + 1 : pos + length]:
        value = value << 8 | byte
    return length, value


def _ebml(data: bytes, found: Layout) -> None:
    _ebml_elements(data, 0, len(data), found, 0)


def _ebml_elements(data: bytes, pos: int, end: int, found: Layout, depth: int) -> None:
    while pos < end and depth < 8 and len(found.spans) < _MAX_ITEMS:
        id_length, _ = _vint(data, pos)
        element = int.from_bytes(data[pos : pos + id_length], "big")
        size_length, size = _vint(data, pos + id_length)
        found.add_field(pos + id_length, size_length, "vint", f"EBML 0x{element:X} size")
        body = pos + id_length + size_length
        unknown = size == (1 << (7 * size_length)) - 1
        stop = end if unknown else min(end, body + size)
        if element in _EBML_MASTERS:
            _ebml_elements(data, body, stop, found, depth + 1)
        found.add_span(pos, stop)
        pos = stop


_ZIP_RECORDS = (
    # signature, (offset, width, what) of its numbers
    (b"PK\x03\x04", ((6, 2, "flags"), (18, 4, "compressed size"), (22, 4, "size"),
                     (26, 2, "name length"), (28, 2, "extra length"))),
    (b"PK\x01\x02", ((8, 2, "flags"), (20, 4, "compressed size"), (24, 4, "size"),
                     (28, 2, "name length"), (30, 2, "extra length"), (32, 2, "comment length"),
                     (42, 4, "local header offset"))),
    (b"PK\x05\x06", ((8, 2, "entries on disk"), (10, 2, "entries"), (12, 4, "directory size"),
                     (16, 4, "directory offset"), (20, 2, "comment length"))),
)  # fmt: skip


def _zip(data: bytes, found: Layout) -> None:
    for signature, numbers in _ZIP_RECORDS:
        pos = data.find(signature)
        while pos >= 0 and len(found.fields) < _MAX_ITEMS:
            for offset, width, what in numbers:
                found.add_field(pos + offset, width, "little", f"ZIP {what}")
            if signature == b"PK\x03\x04" and pos + 30 <= len(data):
                compressed, _, name, extra = struct.unpack("<IIHH", data[pos + 18 : pos + 30])
                found.add_span(pos, min(len(data), pos + 30 + name + extra + compressed))
            elif signature == b"PK\x01\x02" and pos + 46 <= len(data):
                name, extra, comment = struct.unpack("<HHH", data[pos + 28 : pos + 34])
                found.add_span(pos, min(len(data), pos + 46 + name + extra + comment))
            pos = data.find(signature, pos + 4)


_MP3_SYNC = re.compile(rb"\xff[\xe2-\xff]")


def _mp3(data: bytes, found: Layout) -> None:
    start = 0
    if data.startswith(b"ID3"):
        found.add_field(6, 4, "big", "ID3 tag size")
        start = 10 + ((data[6] << 21) | (data[7] << 14) | (data[8] << 7) | data[9])
    for tag in (b"Xing", b"Info"):
        at = data.find(tag, start)
        if at >= 0:
            found.add_field(at + 8, 4, "big", "Xing frame count")
            found.add_field(at + 12, 4, "big", "Xing byte count")
    # Frames, roughly: from one sync word to the next.
    syncs = [m.start() for m in _MP3_SYNC.finditer(data, start)][:_MAX_ITEMS]
    for here, after in itertools.pairwise(syncs):
        if after - here >= 24:
            found.add_field(here + 2, 1, "big", "MPEG bitrate and sample rate")
            found.add_span(here, after)


# ---------------------------------------------------------------------------------------------
# Text formats: numbers spelt in ASCII

_PDF_NUMBERS = re.compile(
    rb"(?:/Length|/Count|/Size|/First|/N|/Prev|/W \[|startxref|/Kids \[)\s*(\d+)"
    rb"|(\d+) \d+ R\b|^(\d{10}) \d{5} [nf]",
    re.M,
)
_PDF_OBJECT = re.compile(rb"\d+ \d+ obj\b.*?endobj", re.S)


def _pdf(data: bytes, found: Layout) -> None:
    for match in _PDF_NUMBERS.finditer(data):
        group = next(i for i in (1, 2, 3) if match.group(i) is not None)
        start, end = match.span(group)
        found.add_field(start, end - start, "ascii", f"PDF number {match.group(0)[:12]!r}")
    for match in _PDF_OBJECT.finditer(data):
        found.add_span(*match.span())


_XML_NUMBER = re.compile(rb"\b(\d+)\b")
_XML_ELEMENT = re.compile(rb"<[^<>]*>")


def _ascii_numbers(data: bytes, found: Layout) -> None:
    """SVG widths, CSV values, text digits; elements (or lines) as spans."""
    for match in _XML_NUMBER.finditer(data):
        found.add_field(match.start(), match.end() - match.start(), "ascii", "number")
    spans = list(_XML_ELEMENT.finditer(data))
    if spans:
        for match in spans:
            found.add_span(*match.span())
        return
    start = 0
    for line in data.splitlines(keepends=True)[:_MAX_ITEMS]:
        found.add_span(start, start + len(line))
        start += len(line)


_WALKERS: tuple[tuple[bytes, Callable[[bytes, Layout], None]], ...] = (
    (b"\x89PNG\r\n\x1a\n", _png),
    (b"RIFF", _riff),
    (b"\xff\xd8", _jpeg),
    (b"GIF8", _gif),
    (b"II*\x00", _tiff),
    (b"MM\x00*", _tiff),
    (b"OggS", _ogg),
    (b"\x1a\x45\xdf\xa3", _ebml),
    (b"PK\x03\x04", _zip),
    (b"%PDF", _pdf),
    (b"ID3", _mp3),
    (b"\xff\xfb", _mp3),
    (b"\xff\xf3", _mp3),
)


# ---------------------------------------------------------------------------------------------
# Writing numbers back


def extremes(field_: Field, data: bytes) -> list[int]:
    """The values worth writing into a field: zero, one, the signed and unsigned edges of its
    width (so -1 and INT_MIN as unsigned), and the current value nudged and doubled."""
    bits = 7 * field_.width if field_.encoding == "vint" else 8 * field_.width
    if field_.encoding == "ascii":
        bits = 64
    top = (1 << bits) - 1
    values = [0, 1, top, top - 1, top >> 1, (top >> 1) + 1, len(data), len(data) + 1]
    current = read(field_, data)
    if current is not None:
        values += [current + 1, max(current - 1, 0), current * 2, current * 256]
    return [v & top for v in values]


def read(field_: Field, data: bytes) -> int | None:
    raw = data[field_.offset : field_.offset + field_.width]
    if len(raw) < field_.width:
        return None
    if field_.encoding in ("big", "little"):
        return int.from_bytes(raw, field_.encoding)
    if field_.encoding == "ascii":
        return int(raw) if raw.isdigit() else None
    try:
        length, value = _vint(raw, 0)
    except (IndexError, ValueError):
        return None
    return value if length == field_.width else None


def write(field_: Field, data: bytearray, value: int, negative: bool = False) -> bytearray:
    """data with the field set to value (ASCII fields may change length, and may be -value)."""
    start, end = field_.offset, field_.offset + field_.width
    if end > len(data):
        return data
    if field_.encoding == "ascii":
        data[start:end] = f"{'-' if negative else ''}{value}".encode()
    elif field_.encoding == "vint":
        marker = 1 << (7 * field_.width)
        data[start:end] = (marker | (value & (marker - 1))).to_bytes(field_.width, "big")
    else:
        data[start:end] = (value & ((1 << (8 * field_.width)) - 1)).to_bytes(
            field_.width, field_.encoding
        )
    return data


# ---------------------------------------------------------------------------------------------
# Checksums, recomputed so a mutation reaches the parser behind them

_OGG_CRC = []
for _byte in range(256):
    _crc = _byte << 24
    for _ in range(8):
        _crc = (_crc << 1) ^ 0x04C11DB7 if _crc & 0x80000000 else _crc << 1
    _OGG_CRC.append(_crc & 0xFFFFFFFF)


def _ogg_crc(page: bytes) -> int:
    crc = 0
    for byte in page:
        crc = ((crc << 8) & 0xFFFFFFFF) ^ _OGG_CRC[(crc >> 24) ^ byte]
    return crc


def has_checksums(data: bytes | bytearray) -> bool:
    return data.startswith((b"\x89PNG\r\n\x1a\n", b"OggS"))


def fix_checksums(data: bytearray) -> bytearray:
    """PNG chunk CRCs and Ogg page CRCs made right again: both formats drop a damaged chunk or
    page before its contents are parsed, which would keep most mutations from reaching the
    chunk and packet parsers at all."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        pos = 8
        while pos + 12 <= len(data):
            (length,) = struct.unpack(">I", data[pos : pos + 4])
            end = pos + 8 + length
            if end + 4 > len(data):
                break
            data[end : end + 4] = struct.pack(">I", zlib.crc32(data[pos + 4 : end]) & 0xFFFFFFFF)
            pos = end + 4
    elif data.startswith(b"OggS"):
        pos = 0
        while pos + 27 <= len(data) and data[pos : pos + 4] == b"OggS":
            segments = data[pos + 26]
            end = pos + 27 + segments + sum(data[pos + 27 : pos + 27 + segments])
            if end > len(data):
                break
            data[pos + 22 : pos + 26] = b"\x00\x00\x00\x00"
            data[pos + 22 : pos + 26] = struct.pack("<I", _ogg_crc(bytes(data[pos:end])))
            pos = end
    return data
