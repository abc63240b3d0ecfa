"""PNG: text, time and EXIF chunks out; every other chunk copied with its CRC.

Kept: every critical chunk, and the ancillary chunks that say how the pixels look (iCCP, sRGB,
gAMA, cHRM, sBIT, pHYs, tRNS, bKGD, cICP, mDCv, cLLi, APNG's acTL/fcTL/fdAT, ...). An eXIf
whose only tag is Orientation stays, and one with more is replaced by one with only its
Orientation, as in a JPEG.

Removed, each reported with its size in the original file (chunk header and CRC included):
    png-text    tEXt, zTXt, iTXt
    xmp         an iTXt keyed XML:com.adobe.xmp
    png-time    tIME
    exif, exif-gps   eXIf (and the GPS IFD inside it)
    trailer     bytes after IEND
"""

from __future__ import annotations

import struct
import zlib
from typing import BinaryIO

from mediagate.store.records import MetadataItem
from mediagate.strip.exif import orientation_only, read_exif
from mediagate.strip.splice import (
    Piece,
    Report,
    StripError,
    clean_by_plan,
    file_size,
    strip_by_plan,
)

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_TEXT = frozenset({b"tEXt", b"zTXt", b"iTXt"})
_XMP_KEYWORD = b"XML:com.adobe.xmp\x00"
# Larger eXIf chunks are dropped whole rather than read to keep their Orientation.
_MAX_EXIF_READ = 1024 * 1024
_MAX_CHUNK_LENGTH = 2**31 - 1


def strip_png(src: str, dst: str) -> list[MetadataItem]:
    """Writes src without its metadata chunks to dst and reports what was removed. When nothing
    is removed, dst is not written and the report is empty. Raises StripError for a file that
    is not a whole PNG."""
    return strip_by_plan(src, dst, _plan)


def is_clean(src: str) -> bool:
    """Whether strip_png would remove nothing."""
    return clean_by_plan(src, _plan)


def _plan(fh: BinaryIO, report: Report) -> list[Piece]:
    size = file_size(fh)
    fh.seek(0)
    if fh.read(len(_SIGNATURE)) != _SIGNATURE:
        raise StripError("the file does not start with the PNG signature")
    pieces: list[Piece] = []
    kept_from = 0
    while True:
        start = fh.tell()
        head = fh.read(8)
        if len(head) < 8:
            raise StripError("the PNG ends before its IEND chunk")
        length, kind = struct.unpack(">I4s", head)
        end = start + 12 + length
        if not kind.isalpha() or length > _MAX_CHUNK_LENGTH or end > size:
            raise StripError("a PNG chunk is invalid or cut")
        replacement: bytes | None = None
        removed = ""
        gps_bytes = 0
        if kind in _TEXT:
            removed = "xmp" if fh.read(len(_XMP_KEYWORD)) == _XMP_KEYWORD else "png-text"
        elif kind == b"tIME":
            removed = "png-time"
        elif kind == b"eXIf":
            removed = "exif"
            summary = read_exif(fh.read(length)) if length <= _MAX_EXIF_READ else None
            if summary is not None and summary.only_orientation:
                removed = ""
            elif summary is not None:
                if summary.orientation:
                    block = orientation_only(summary.orientation, summary.big_endian)
                    replacement = _chunk(b"eXIf", block)
                gps_bytes = summary.gps_bytes
        if removed:
            pieces.append((kept_from, start))
            if replacement:
                pieces.append(replacement)
            kept_from = end
            report.add(removed, end - start)
            if gps_bytes:
                report.add("exif-gps", gps_bytes)
        fh.seek(end)
        if kind == b"IEND":
            break
    pieces.append((kept_from, end))
    if end < size:
        report.add("trailer", size - end)
    return pieces


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)
