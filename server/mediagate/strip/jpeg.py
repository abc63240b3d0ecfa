"""JPEG: metadata segments out, every other byte copied as it is.

Kept: JFIF's APP0 (without a thumbnail), the ICC profile (APP2 ICC_PROFILE: colours stay
right), Adobe's APP14 (it says how CMYK and YCCK samples decode), an EXIF block that holds
Orientation and nothing else, and every segment a decoder needs (tables, frame and scan
headers, the entropy-coded data byte for byte). Nothing is re-encoded, so the pixels decode
exactly as before.

Removed, each reported with its size in the original file:
    exif          EXIF (replaced by a tiny APP1 carrying only Orientation when it had one)
    exif-gps      the GPS IFD inside that EXIF (its bytes are part of "exif" too)
    xmp           XMP and extended XMP (APP1)
    iptc          APP13 (Photoshop IRB, IPTC)
    comment       COM segments
    mpf           the MPF index of further images (APP2)
    mpf-images    further images after the first one's EOI (MPO, gain maps, depth maps)
    jfif-thumbnail, app<N>   a JFIF thumbnail, any other APPn
    <trailer_kind> or trailer   the bytes after the image's end (a Motion Photo's MP4, ...)
"""

from __future__ import annotations

import re
import struct
from typing import BinaryIO

from mediagate.store.records import MetadataItem
from mediagate.strip.exif import EXIF_PREFIX, orientation_only, read_exif
from mediagate.strip.splice import Piece, Report, StripError, file_size, write_pieces

_BLOCK = 1024 * 1024
_SCAN_END = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")
_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})
_SOI, _EOI, _SOS, _COM, _APP0 = 0xD8, 0xD9, 0xDA, 0xFE, 0xE0
_EXTRANEOUS_BYTES = 16
_XMP = (b"http://ns.adobe.com/xap/1.0/\x00", b"http://ns.adobe.com/xmp/extension/\x00")


def strip_jpeg(
    src: str, dst: str, trailer_offset: int = 0, trailer_kind: str = ""
) -> list[MetadataItem]:
    """Writes src without its metadata to dst and reports what was removed. When nothing is
    removed, dst is not written (the input is the output) and the report is empty. Raises
    StripError for a file that is not a whole JPEG."""
    report = Report()
    with open(src, "rb") as fh:
        pieces = _Plan(fh, report).run(trailer_offset, trailer_kind)
        if report.removed:
            write_pieces(fh, dst, pieces)
    return report.items()


def header_is_clean(src: str) -> bool:
    """Whether the segments before the first scan hold nothing strip_jpeg would remove. Bytes
    after the image's end are not looked at: the probe refused any it did not recognise
    (POLYGLOT) and reported those it did (ImageFacts.trailer_offset)."""
    report = Report()
    try:
        with open(src, "rb") as fh:
            _Plan(fh, report).header()
    except (StripError, OSError, struct.error):
        return False
    return not report.removed


class _Plan:
    def __init__(self, fh: BinaryIO, report: Report) -> None:
        self._fh = fh
        self._report = report
        self._pieces: list[Piece] = []
        self._kept_from = 0  # where the range being kept started
        self._exif_seen = False
        self._size = file_size(fh)

    def run(self, trailer_offset: int, trailer_kind: str) -> list[Piece]:
        size = self._size
        self._fh.seek(0)
        if self._fh.read(2) != b"\xff\xd8":
            raise StripError("the file does not start with a JPEG SOI marker")
        end = self._walk_image()
        self._pieces.append((self._kept_from, end))
        if end < size:
            self._report_rest(end, size, trailer_offset, trailer_kind)
        return self._pieces

    def header(self) -> None:
        """Judges the segments before the first scan only (nothing after it is read)."""
        self._fh.seek(0)
        if self._fh.read(2) != b"\xff\xd8":
            raise StripError("the file does not start with a JPEG SOI marker")
        self._walk_image(header_only=True)

    def _walk_image(self, header_only: bool = False) -> int:
        """From just after SOI to just after the first EOI; returns where that EOI ends (with
        header_only, stops at the first scan and returns where it starts)."""
        code, start = self._next_marker()
        while code != _EOI:
            if header_only and code == _SOS:
                return start
            if code in _STANDALONE:
                code, start = self._next_marker()
                continue
            if code == _SOI:
                raise StripError("a JPEG image starts inside another")
            (length,) = struct.unpack(">H", self._read(2))
            if length < 2:
                raise StripError("a JPEG segment has an invalid length")
            end = self._fh.tell() + length - 2
            if code == _COM or 0xE0 <= code <= 0xEF:
                self._judge(code, self._read(length - 2), start, end)
            else:
                if end > self._size:
                    raise StripError("the JPEG ends inside a segment")
                self._fh.seek(end)
            if code == _SOS:
                code, start = self._scan_entropy_data()
            else:
                code, start = self._next_marker()
        return self._fh.tell()

    def _judge(self, code: int, body: bytes, start: int, end: int) -> None:
        size = end - start
        if code == _COM:
            self._drop(start, end, "comment", size)
        elif code == _APP0:
            self._app0(body, start, end)
        elif code == 0xE1 and body.startswith(EXIF_PREFIX):
            self._exif(body, start, end)
        elif code == 0xE1 and body.startswith(_XMP):
            self._drop(start, end, "xmp", size)
        elif code == 0xE2 and body.startswith(b"ICC_PROFILE\x00"):
            return
        elif code == 0xE2 and body.startswith(b"MPF\x00"):
            self._drop(start, end, "mpf", size)
        elif code == 0xED:
            self._drop(start, end, "iptc", size)
        elif code == 0xEE and body.startswith(b"Adobe"):
            return
        else:
            self._drop(start, end, f"app{code - _APP0}", size)

    def _app0(self, body: bytes, start: int, end: int) -> None:
        if body.startswith(b"JFIF\x00") and len(body) >= 14:
            if len(body) > 14 or body[12:14] != b"\x00\x00":
                # Version, units and density stay; the thumbnail goes.
                kept = body[:12] + b"\x00\x00"
                segment = b"\xff\xe0" + struct.pack(">H", len(kept) + 2) + kept
                self._drop(start, end, "jfif-thumbnail", len(body) - 14, segment)
        elif body.startswith(b"JFXX\x00"):
            self._drop(start, end, "jfif-thumbnail", end - start)
        else:
            self._drop(start, end, "app0", end - start)

    def _exif(self, body: bytes, start: int, end: int) -> None:
        first, self._exif_seen = not self._exif_seen, True
        summary = read_exif(body) if first else None
        if summary is not None and summary.only_orientation:
            return
        segment = b""
        if summary is not None and summary.orientation:
            block = EXIF_PREFIX + orientation_only(summary.orientation, summary.big_endian)
            segment = b"\xff\xe1" + struct.pack(">H", len(block) + 2) + block
        self._drop(start, end, "exif", end - start, segment)
        if summary is not None and summary.gps_bytes:
            self._report.add("exif-gps", summary.gps_bytes)

    def _drop(self, start: int, end: int, kind: str, size: int, replacement: bytes = b"") -> None:
        self._pieces.append((self._kept_from, start))
        if replacement:
            self._pieces.append(replacement)
        self._kept_from = end
        self._report.add(kind, size)

    def _report_rest(self, end: int, size: int, trailer_offset: int, trailer_kind: str) -> None:
        self._fh.seek(end)
        follows = "mpf-images" if self._fh.read(3) == b"\xff\xd8\xff" else "trailer"
        if end <= trailer_offset < size:
            if trailer_offset > end:
                self._report.add(follows, trailer_offset - end)
            self._report.add(trailer_kind or "trailer", size - trailer_offset)
        else:
            self._report.add(follows, size - end)

    def _read(self, size: int) -> bytes:
        data = self._fh.read(size)
        if len(data) < size:
            raise StripError("the JPEG ends before its EOI marker")
        return data

    def _next_marker(self) -> tuple[int, int]:
        """The next marker's code and where its first 0xFF is."""
        for _ in range(_EXTRANEOUS_BYTES + 1):
            if self._read(1) == b"\xff":
                break
        else:
            raise StripError("a JPEG segment is not where one should be")
        start = self._fh.tell() - 1
        code = self._read(1)[0]
        while code == 0xFF:
            code = self._read(1)[0]
        return code, start

    def _scan_entropy_data(self) -> tuple[int, int]:
        """Skips entropy-coded data; returns the marker that ends it and where it starts."""
        carry = b""
        while True:
            block = self._fh.read(_BLOCK)
            if not block:
                raise StripError("the JPEG ends inside its image data")
            data = carry + block
            match = _SCAN_END.search(data)
            if match:
                self._fh.seek(match.end() - len(data), 1)
                return data[match.start() + 1], self._fh.tell() - 2
            carry = data[-1:] if data.endswith(b"\xff") else b""
