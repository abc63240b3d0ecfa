"""EXIF read just enough to strip it: the Orientation tag, whether a GPS IFD is there (and its
size), and a tiny TIFF block that carries Orientation and nothing else.

The same TIFF structure rides in a JPEG's APP1 (after "Exif\\0\\0"), a PNG's eXIf chunk and a
WebP's EXIF chunk. Nothing here trusts an offset: every read is checked against the block.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

EXIF_PREFIX = b"Exif\x00\x00"
_ORIENTATION = 0x0112
_GPS_IFD = 0x8825
_SHORT = 3
# Bytes per value of each TIFF type (1 BYTE ... 12 DOUBLE, 13 IFD).
_TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4}
_MAX_ENTRIES = 4096


@dataclass(frozen=True)
class ExifSummary:
    orientation: int  # 1..8; 0 when absent or invalid
    gps_bytes: int  # the GPS IFD with its values; 0 when there is none
    only_orientation: bool  # IFD0 holds Orientation and nothing else, and no IFD follows
    big_endian: bool


def read_exif(block: bytes) -> ExifSummary | None:
    """The summary of a TIFF block (an optional "Exif\\0\\0" prefix is skipped); None when it is
    not a TIFF structure a reader would follow."""
    try:
        return _summary(block)
    except struct.error:  # a value cut short by the block's end
        return None


def _summary(block: bytes) -> ExifSummary | None:
    tiff = block[len(EXIF_PREFIX) :] if block.startswith(EXIF_PREFIX) else block
    if tiff[:4] == b"MM\x00*":
        order = ">"
    elif tiff[:4] == b"II*\x00":
        order = "<"
    else:
        return None
    (ifd0,) = struct.unpack(order + "I", tiff[4:8])
    entries = _entries(tiff, order, ifd0)
    if entries is None:
        return None
    orientation = 0
    gps_bytes = 0
    for tag, kind, count, value in entries:
        if tag == _ORIENTATION and kind == _SHORT and count == 1:
            (orientation,) = struct.unpack(order + "H", value[:2])
            if not 1 <= orientation <= 8:
                orientation = 0
        elif tag == _GPS_IFD:
            (offset,) = struct.unpack(order + "I", value)
            gps_bytes = _ifd_size(tiff, order, offset) or len(value)
    next_at = ifd0 + 2 + 12 * len(entries)
    (next_ifd,) = struct.unpack(order + "I", tiff[next_at : next_at + 4] or b"\x00\x00\x00\x00")
    only = len(entries) == 1 and orientation != 0 and next_ifd == 0
    return ExifSummary(orientation, gps_bytes, only, order == ">")


def orientation_only(orientation: int, big_endian: bool) -> bytes:
    """A TIFF block whose IFD0 holds the Orientation tag alone (no prefix)."""
    order = ">" if big_endian else "<"
    head = b"MM\x00*" if big_endian else b"II*\x00"
    entry = struct.pack(order + "HHIH2x", _ORIENTATION, _SHORT, 1, orientation)
    return head + struct.pack(order + "IH", 8, 1) + entry + struct.pack(order + "I", 0)


def _entries(tiff: bytes, order: str, offset: int) -> list[tuple[int, int, int, bytes]] | None:
    if offset < 8 or offset + 2 > len(tiff):
        return None
    (count,) = struct.unpack(order + "H", tiff[offset : offset + 2])
    end = offset + 2 + 12 * count
    if count > _MAX_ENTRIES or end > len(tiff):
        return None
    out = []
    for at in range(offset + 2, end, 12):
        tag, kind, n = struct.unpack(order + "HHI", tiff[at : at + 8])
        out.append((tag, kind, n, tiff[at + 8 : at + 12]))
    return out


def _ifd_size(tiff: bytes, order: str, offset: int) -> int:
    """The bytes an IFD takes: its directory and the values stored outside it (0 if invalid)."""
    entries = _entries(tiff, order, offset)
    if entries is None:
        return 0
    size = 2 + 12 * len(entries) + 4
    for _, kind, count, _ in entries:
        values = _TYPE_SIZES.get(kind, 1) * count
        if values > 4:
            size += min(values, len(tiff))
    return size
