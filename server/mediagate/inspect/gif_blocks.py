"""GIF read block by block without a decoder: frame count, frame extents, the trailer.

Pillow decodes every earlier frame when it seeks, so counting frames through it would
decompress the whole animation; skipping sub-blocks here reads only their lengths.
"""

from __future__ import annotations

import struct
from typing import BinaryIO

from mediagate.inspect.facts import ProbeLimits
from mediagate.inspect.structure import ImageStructure, too_many_frames, too_many_pixels
from mediagate.inspect.trailing_data import check_trailing
from mediagate.reasons import Finding, Reason

_EXTENSION, _IMAGE, _TRAILER = 0x21, 0x2C, 0x3B
_GRAPHIC_CONTROL = 0xF9


class _Cut(Exception):
    """The file ended inside a block."""


def walk_gif(path: str, limits: ProbeLimits) -> ImageStructure:
    found = ImageStructure()
    with open(path, "rb") as fh:
        try:
            _walk(fh, limits, found)
        except _Cut:
            found.add(Finding(Reason.TRUNCATED, "The GIF ends before its trailer."))
    return found


def _read(fh: BinaryIO, size: int) -> bytes:
    data = fh.read(size)
    if len(data) < size:
        raise _Cut
    return data


def _skip_sub_blocks(fh: BinaryIO) -> bytes:
    """Skips a chain of data sub-blocks; returns the first one (extensions keep their fields
    there)."""
    first = b""
    size = _read(fh, 1)[0]
    while size:
        data = _read(fh, size + 1)
        if not first:
            first = data[:-1]
        size = data[-1]
    return first


def _walk(fh: BinaryIO, limits: ProbeLimits, found: ImageStructure) -> None:
    header = _read(fh, 13)
    if header[:6] not in (b"GIF87a", b"GIF89a"):
        found.add(Finding(Reason.CORRUPT, "The file does not start with a GIF signature."))
        return
    width, height, flags = struct.unpack("<HHB", header[6:11])
    found.width, found.height = width, height
    if width * height > limits.max_pixels:
        found.add(too_many_pixels(width, height, limits.max_pixels))
        return
    if flags & 0x80:
        _read(fh, 3 << ((flags & 7) + 1))
    canvas_w, canvas_h = width, height
    frames = 0
    while True:
        introducer = _read(fh, 1)[0]
        if introducer == _TRAILER:
            break
        if introducer == _EXTENSION:
            label = _read(fh, 1)[0]
            fields = _skip_sub_blocks(fh)
            if label == _GRAPHIC_CONTROL and fields and fields[0] & 1:
                found.has_alpha = True
            continue
        if introducer != _IMAGE:
            found.add(
                Finding(Reason.CORRUPT, f"Unexpected GIF block introducer 0x{introducer:02x}.")
            )
            return
        frames += 1
        if frames > limits.max_frames:
            found.frame_count = frames
            found.add(too_many_frames(frames, limits.max_frames))
            return
        left, top, w, h, image_flags = struct.unpack("<HHHHB", _read(fh, 9))
        # Like decoders, grow the canvas to hold a frame that reaches past the logical screen.
        canvas_w, canvas_h = max(canvas_w, left + w), max(canvas_h, top + h)
        if canvas_w * canvas_h > limits.max_pixels:
            found.add(
                Finding(
                    Reason.DECOMPRESSION_BOMB,
                    f"Frame {frames} of a {width}x{height} GIF reaches out to "
                    f"{canvas_w}x{canvas_h} ({canvas_w * canvas_h} pixels); the limit is "
                    f"{limits.max_pixels}.",
                    {
                        "part": f"frame {frames}",
                        "limit": str(limits.max_pixels),
                        "actual": str(canvas_w * canvas_h),
                    },
                )
            )
            return
        if image_flags & 0x80:
            _read(fh, 3 << ((image_flags & 7) + 1))
        _read(fh, 1)  # LZW minimum code size
        _skip_sub_blocks(fh)
    found.frame_count = frames
    if frames == 0:
        found.add(Finding(Reason.CORRUPT, "The GIF holds no image."))
        return
    trailing = check_trailing(fh, fh.tell(), "after the GIF trailer")
    if trailing is not None:
        found.add(trailing)
