"""The ISO BMFF boxes of a HEIF file (HEIC, AVIF): whether the file holds every box it announces,
and the largest image its properties declare, read before libheif or libavif is handed it."""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from typing import BinaryIO

from mediagate.inspect.facts import ProbeLimits
from mediagate.inspect.structure import ImageStructure, too_many_pixels
from mediagate.inspect.trailing_data import check_trailing
from mediagate.reasons import Finding, Reason

_MAX_META_BYTES = 4 * 1024 * 1024  # an iPhone's meta is a few KiB; a 48-tile grid's ~10 KiB
_CONTAINERS = frozenset({b"iprp", b"ipco"})  # where ispe lives, inside meta
# The top-level boxes of HEIF images and sequences (ISO/IEC 14496-12 and 23008-12). A box of
# another type running past the end is taken for bytes appended to the file, not a truncation.
_TOP_LEVEL = frozenset(
    {b"ftyp", b"meta", b"mdat", b"moov", b"free", b"skip", b"uuid", b"idat", b"etyp", b"styp"}
    | {b"moof", b"mfra", b"sidx", b"pdin", b"prft", b"emsg", b"imda"}
)


def walk_heif(path: str, limits: ProbeLimits) -> ImageStructure:
    """Top-level boxes end to end: TRUNCATED when a box runs past the end of the file, CORRUPT
    when the file does not start with ftyp, POLYGLOT when what follows the last box is more
    than padding; TOO_MANY_PIXELS when an image's ispe (in meta/iprp/ipco) is over the cap."""
    found = ImageStructure()
    with open(path, "rb") as fh:
        end = fh.seek(0, os.SEEK_END)
        pos = 0
        while pos < end:
            fh.seek(pos)
            box = _box_header(fh, end - pos)
            if box is None and pos > 0 and _cut_header(fh, pos, end):
                found.add(
                    Finding(
                        Reason.TRUNCATED,
                        f"The file ends {end - pos} bytes into a box's header, at {end} bytes.",
                        {"actual": str(end)},
                    )
                )
                break
            if box is None or (pos == 0 and box[0] != b"ftyp"):
                if pos == 0:
                    found.add(Finding(Reason.CORRUPT, "The file does not start with an ftyp box."))
                else:
                    trailing = check_trailing(fh, pos, "after the last box")
                    if trailing is not None:
                        found.add(trailing)
                break
            kind, size, header = box
            if pos + size > end and kind not in _TOP_LEVEL:
                trailing = check_trailing(fh, pos, "after the last box")
                if trailing is not None:
                    found.add(trailing)
                break
            if pos + size > end:
                name = kind.decode("ascii")
                found.add(
                    Finding(
                        Reason.TRUNCATED,
                        f"The file holds {end} bytes; its {name} box promises {pos + size}.",
                        {"limit": str(pos + size), "actual": str(end)},
                    )
                )
                break
            if kind == b"meta":
                _check_meta(fh, size - header, limits, found)
                if found.damaged:
                    break
            pos += size
    return found


def _cut_header(fh: BinaryIO, pos: int, end: int) -> bool:
    """Whether the bytes from pos are too few for a box header (16 with a 64-bit size) and
    are not zero padding: the next box was cut off."""
    if end - pos >= 16:
        return False
    fh.seek(pos)
    return bool(fh.read().strip(b"\0"))


def _box_header(fh: BinaryIO, left: int) -> tuple[bytes, int, int] | None:
    """(type, size, header length) of the box at the file's position, or None when the bytes
    there are no box (too short, a type that is not four letters, digits or spaces, a size
    smaller than its own header)."""
    raw = fh.read(8)
    if len(raw) < 8:
        return None
    size, kind = struct.unpack(">I4s", raw)
    header = 8
    if size == 1:  # a 64-bit size follows the type
        wide = fh.read(8)
        if len(wide) < 8:
            return None
        (size,) = struct.unpack(">Q", wide)
        header = 16
    elif size == 0:  # the box runs to the end of the file
        size = left
    if size < header or not kind.replace(b" ", b"").isalnum():
        return None
    return kind, size, header


def _check_meta(fh: BinaryIO, length: int, limits: ProbeLimits, found: ImageStructure) -> None:
    if length > min(_MAX_META_BYTES, limits.max_metadata_bytes):
        found.add(
            Finding(
                Reason.CORRUPT,
                f"The meta box is {length} bytes, more than an image's description needs.",
                {"limit": str(_MAX_META_BYTES), "actual": str(length)},
            )
        )
        return
    body = fh.read(length)
    # meta is a full box: version and flags come before its children.
    sizes = [(w, h) for w, h in _image_sizes(body, 4) if w and h]
    if not sizes:
        return
    width, height = max(sizes, key=lambda s: s[0] * s[1])
    found.width, found.height = width, height
    if width * height > limits.max_pixels:
        found.add(too_many_pixels(width, height, limits.max_pixels))


def _image_sizes(data: bytes, start: int) -> Iterator[tuple[int, int]]:
    """Every ispe (image spatial extents) under iprp/ipco in a meta box's body."""
    pos = start
    while pos + 8 <= len(data):
        size, kind = struct.unpack_from(">I4s", data, pos)
        if size == 0:
            size = len(data) - pos
        if size < 8 or pos + size > len(data):
            return  # libheif reports a damaged meta box better than a guess here
        if kind in _CONTAINERS:
            yield from _image_sizes(data[pos + 8 : pos + size], 0)
        elif kind == b"ispe" and size >= 20:
            # A full box: version and flags, then width and height.
            yield struct.unpack_from(">II", data, pos + 12)
        pos += size
