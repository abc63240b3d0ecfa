"""JPEG read marker by marker without a decoder: scripts hidden in segments, the end marker,
and what follows it.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from typing import BinaryIO

from mediagate.inspect.jpeg_trailers import announced_video_length, recognised_trailer
from mediagate.inspect.structure import ImageStructure
from mediagate.inspect.trailing_data import check_trailing
from mediagate.reasons import Finding, Reason

_BLOCK = 1024 * 1024
# In entropy-coded data 0xFF is followed by 0x00 (stuffing) or a restart marker; anything else
# ends the scan, and EOI (0xD9) can appear nowhere else.
_SCAN_END = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")
_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})
_SOI, _EOI, _SOS, _COM, _APP1 = 0xD8, 0xD9, 0xDA, 0xFE, 0xE1
# MPO files (stereo cameras) store further JPEGs after the first EOI; each is walked in turn.
_MAX_IMAGES = 8
_EXTRANEOUS_BYTES = 16

# Long needles are safe in binary APPn payloads (EXIF thumbnails, ICC profiles); short ones
# would match compressed bytes by chance, so they are looked for in comments only.
_NEEDLES = ((re.compile(rb"<\?php", re.I), "php"), (re.compile(rb"<script", re.I), "script"))
_COMMENT_NEEDLES = (
    *_NEEDLES,
    (re.compile(rb"<\?="), "php"),
    (re.compile(rb"<%[=@\s]"), "asp"),
)


@dataclass
class _Walk(ImageStructure):
    """The structure, plus what the first image's XMP announces after the image."""

    video_length: int | None = None


class _Cut(Exception):
    """The file ended inside a segment."""


def walk_jpeg(path: str) -> ImageStructure:
    found = _Walk()
    with open(path, "rb") as fh:
        if fh.read(2) != b"\xff\xd8":
            found.add(Finding(Reason.CORRUPT, "The file does not start with a JPEG SOI marker."))
            return found
        try:
            for index in range(1, _MAX_IMAGES + 1):
                _walk_image(fh, found, index)
                if found.damaged or not _another_image_follows(fh):
                    break
        except _Cut:
            found.add(Finding(Reason.TRUNCATED, "The JPEG ends before its EOI marker."))
            return found
        if not found.damaged:
            end_of_image = fh.tell()
            kind = recognised_trailer(fh, end_of_image, found.video_length)
            if kind:
                # Kept, and marked for strip_metadata to remove.
                found.trailer_offset, found.trailer_kind = end_of_image, kind
            else:
                trailing = check_trailing(fh, end_of_image, "after EOI")
                if trailing is not None:
                    found.add(trailing)
    return found


def _another_image_follows(fh: BinaryIO) -> bool:
    here = fh.tell()
    if fh.read(3) == b"\xff\xd8\xff":
        fh.seek(here + 2)
        return True
    fh.seek(here)
    return False


def _read(fh: BinaryIO, size: int) -> bytes:
    data = fh.read(size)
    if len(data) < size:
        raise _Cut
    return data


def _next_marker(fh: BinaryIO) -> int | None:
    """The next marker code, or None when the bytes at this point are not a marker."""
    # libjpeg skips a few extraneous bytes before a marker (some phone cameras write them);
    # more than a few would be a place to hide data.
    for _ in range(_EXTRANEOUS_BYTES + 1):
        if _read(fh, 1) == b"\xff":
            break
    else:
        return None
    code = _read(fh, 1)[0]
    while code == 0xFF:  # fill bytes before a marker are allowed
        code = _read(fh, 1)[0]
    return code


def _walk_image(fh: BinaryIO, found: _Walk, index: int) -> None:
    """From just after SOI to just after EOI."""
    image = "" if index == 1 else f" (image {index})"
    marker = _next_marker(fh)
    while True:
        if marker is None:
            found.add(Finding(Reason.CORRUPT, f"A JPEG segment is not where one should be{image}."))
            return
        if marker == _EOI:
            return
        if marker in _STANDALONE:
            marker = _next_marker(fh)
            continue
        if marker == _SOI:
            found.add(Finding(Reason.CORRUPT, f"A JPEG image starts inside another{image}."))
            return
        (length,) = struct.unpack(">H", _read(fh, 2))
        if length < 2:
            found.add(Finding(Reason.CORRUPT, f"A JPEG segment has an invalid length{image}."))
            return
        body = _read(fh, length - 2)
        if marker == _COM or 0xE0 <= marker <= 0xEF:
            _look_for_scripts(found, marker, body)
        if marker == _APP1 and index == 1 and found.video_length is None:
            found.video_length = announced_video_length(body)
        elif marker in _SOF and len(body) >= 5 and index == 1:
            found.height, found.width = struct.unpack(">HH", body[1:5])
        if marker == _SOS:
            marker = _scan_entropy_data(fh)
            continue
        marker = _next_marker(fh)


def _look_for_scripts(found: ImageStructure, marker: int, body: bytes) -> None:
    part = "COM" if marker == _COM else f"APP{marker - 0xE0}"
    needles = _COMMENT_NEEDLES if marker == _COM else _NEEDLES
    for pattern, kind in needles:
        if pattern.search(body) and not any(
            f.reason is Reason.POLYGLOT and f.metadata.get("part") == part for f in found.findings
        ):
            found.add(
                Finding(
                    Reason.POLYGLOT,
                    f"The JPEG's {part} segment carries {kind} code.",
                    {"part": part, "kind": kind},
                )
            )


def _scan_entropy_data(fh: BinaryIO) -> int:
    """Skips entropy-coded data; returns the marker that ends it, the file just past it."""
    carry = b""
    while True:
        block = fh.read(_BLOCK)
        if not block:
            raise _Cut
        data = carry + block
        match = _SCAN_END.search(data)
        if match:
            fh.seek(match.end() - len(data), 1)
            return data[match.start() + 1]
        # A 0xFF at the very end may pair with the first byte of the next block.
        carry = data[-1:] if data.endswith(b"\xff") else b""
