"""WebP: the EXIF and XMP chunks of an extended (VP8X) WebP out, their VP8X flags cleared and
the RIFF size fixed; the image chunks (VP8, VP8L, ALPH, ANIM, ANMF) and ICCP copied as they are.

An EXIF chunk whose only tag is Orientation stays (its flag too), and one with more is replaced
by one with only its Orientation, as in a JPEG: viewers and mediagate's previews turn the
picture by it.

Removed, each reported with its size in the original file (chunk header and padding included):
    exif, exif-gps   EXIF (and the GPS IFD inside it)
    xmp              XMP
    trailer          bytes after the RIFF data
"""

from __future__ import annotations

import struct
from typing import BinaryIO

from mediagate.store.records import MetadataItem
from mediagate.strip.exif import EXIF_PREFIX, orientation_only, read_exif
from mediagate.strip.splice import (
    Piece,
    Report,
    StripError,
    clean_by_plan,
    file_size,
    strip_by_plan,
)

_EXIF_FLAG = 0x08
_XMP_FLAG = 0x04
_MAX_EXIF_READ = 1024 * 1024


def strip_webp(src: str, dst: str) -> list[MetadataItem]:
    """Writes src without its EXIF and XMP to dst and reports what was removed. When nothing is
    removed, dst is not written and the report is empty. Raises StripError for a file that is
    not a whole WebP."""
    return strip_by_plan(src, dst, _plan)


def is_clean(src: str) -> bool:
    """Whether strip_webp would remove nothing."""
    return clean_by_plan(src, _plan)


def _plan(fh: BinaryIO, report: Report) -> list[Piece]:
    size = file_size(fh)
    fh.seek(0)
    header = fh.read(12)
    if len(header) < 12 or header[:4] != b"RIFF" or header[8:12] != b"WEBP":
        raise StripError("the file does not start with a RIFF WEBP header")
    (riff_size,) = struct.unpack("<I", header[4:8])
    riff_end = 8 + riff_size
    if riff_end > size:
        raise StripError("the WebP is shorter than its RIFF header says")
    body: list[Piece] = []
    kept_from = 12
    vp8x: tuple[int, bytes] | None = None  # where its flags byte is, and the chunk
    clear = 0
    at = 12
    while at + 8 <= riff_end:
        fh.seek(at)
        fourcc, length = struct.unpack("<4sI", fh.read(8))
        end = at + 8 + length + (length & 1)
        if at + 8 + length > riff_end:
            raise StripError("a WebP chunk reaches past the RIFF data")
        end = min(end, riff_end)
        if fourcc == b"VP8X" and at == 12 and length >= 10:
            vp8x = (at, fh.read(length))
        elif fourcc in (b"EXIF", b"XMP "):
            replacement = b""
            gps_bytes = 0
            kind = "exif" if fourcc == b"EXIF" else "xmp"
            if kind == "exif":
                exif = fh.read(length) if length <= _MAX_EXIF_READ else b""
                summary = read_exif(exif)
                if summary is not None and summary.only_orientation:
                    at = end
                    continue
                if summary is not None and summary.orientation:
                    prefix = EXIF_PREFIX if exif.startswith(EXIF_PREFIX) else b""
                    block = prefix + orientation_only(summary.orientation, summary.big_endian)
                    replacement = _chunk(b"EXIF", block)
                else:
                    clear |= _EXIF_FLAG
                gps_bytes = summary.gps_bytes if summary is not None else 0
            else:
                clear |= _XMP_FLAG
            body.append((kept_from, at))
            if replacement:
                body.append(replacement)
            kept_from = end
            report.add(kind, end - at)
            if gps_bytes:
                report.add("exif-gps", gps_bytes)
        at = end
    if at != riff_end:
        raise StripError("the WebP's chunks do not fill its RIFF data")
    body.append((kept_from, riff_end))
    if riff_end + (riff_size & 1) < size:
        report.add("trailer", size - riff_end - (riff_size & 1))
    if not report.removed:
        return []
    if vp8x is not None and clear:
        body = _with_flags(body, vp8x, clear)
    new_size = 4 + sum(len(p) if isinstance(p, bytes) else p[1] - p[0] for p in body)
    pieces: list[Piece] = [b"RIFF" + struct.pack("<I", new_size) + b"WEBP", *body]
    if new_size & 1:
        pieces.append(b"\x00")
    return pieces


def _with_flags(body: list[Piece], vp8x: tuple[int, bytes], clear: int) -> list[Piece]:
    """The pieces with the VP8X chunk's flags byte patched (VP8X is the first chunk)."""
    at, data = vp8x
    chunk = b"VP8X" + struct.pack("<I", len(data)) + bytes([data[0] & ~clear]) + data[1:]
    first = body[0]
    assert isinstance(first, tuple) and first[0] == at
    rest: list[Piece] = [(at + len(chunk), first[1])] if first[1] > at + len(chunk) else []
    return [chunk, *rest, *body[1:]]


def _chunk(fourcc: bytes, data: bytes) -> bytes:
    pad = b"\x00" if len(data) & 1 else b""
    return fourcc + struct.pack("<I", len(data)) + data + pad
