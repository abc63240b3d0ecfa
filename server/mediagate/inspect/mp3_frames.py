"""The first MPEG audio frame of an MP3, read by hand.

Answers two questions FFmpeg's demuxer does not: where the first frame is and how long (a
file holding less than two frames is cut, not merely unreadable), and whether it carries a
Xing/Info/VBRI header, whose frame count makes the duration a header claims worth checking
(without one, header durations are guesses from the bitrate).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from mediagate.inspect.id3v2 import audio_start

_SEARCH = 64 * 1024  # how far past the ID3 tag the first frame may start
_MPEG1, _MPEG2, _MPEG25 = 3, 2, 0
_BITRATES_KBPS = {
    (True, 3): (0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    (True, 2): (0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (True, 1): (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (False, 3): (0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
    (False, 2): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
    (False, 1): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_SAMPLE_RATES = {
    _MPEG1: (44100, 48000, 32000),
    _MPEG2: (22050, 24000, 16000),
    _MPEG25: (11025, 12000, 8000),
}


@dataclass(frozen=True)
class FirstFrame:
    offset: int
    length: int
    file_size: int
    counted: bool  # it carries a Xing/Info frame count or a VBRI header


def first_frame(path: str) -> FirstFrame | None:
    """The first valid frame header after any ID3v2 tag, or None when there is none."""
    with open(path, "rb") as fh:
        size = fh.seek(0, os.SEEK_END)
        start = audio_start(fh)  # the tag is skipped by offset, never read
        fh.seek(start)
        data = fh.read(_SEARCH)
    pos = data.find(b"\xff")
    while 0 <= pos < len(data) - 3:
        length = _frame_length(data[pos : pos + 4])
        if length:
            return FirstFrame(
                offset=start + pos,
                length=length,
                file_size=size,
                counted=_has_frame_count(data, pos),
            )
        pos = data.find(b"\xff", pos + 1)
    return None


def _frame_length(header: bytes) -> int:
    """The frame's length in bytes from its 4-byte header; 0 when it is not a valid header."""
    if header[0] != 0xFF or header[1] & 0xE0 != 0xE0:
        return 0
    version = (header[1] >> 3) & 3
    layer = (header[1] >> 1) & 3  # 3 = layer I, 2 = layer II, 1 = layer III
    bitrate_index = header[2] >> 4
    rate_index = (header[2] >> 2) & 3
    if version == 1 or layer == 0 or bitrate_index in (0, 15) or rate_index == 3:
        return 0
    mpeg1 = version == _MPEG1
    bitrate = _BITRATES_KBPS[(mpeg1, layer)][bitrate_index] * 1000
    sample_rate = _SAMPLE_RATES[version][rate_index]
    padding = (header[2] >> 1) & 1
    if layer == 3:
        return (12 * bitrate // sample_rate + padding) * 4
    if layer == 1 and not mpeg1:
        return 72 * bitrate // sample_rate + padding
    return 144 * bitrate // sample_rate + padding


def _has_frame_count(data: bytes, pos: int) -> bool:
    version = (data[pos + 1] >> 3) & 3
    mono = data[pos + 3] >> 6 == 3
    side_info = (17 if mono else 32) if version == _MPEG1 else (9 if mono else 17)
    xing = pos + 4 + side_info
    tag = data[xing : xing + 4]
    if tag in (b"Xing", b"Info") and len(data) >= xing + 8:
        return bool(data[xing + 7] & 1)  # flag 1: the frame count field is present
    return data[pos + 36 : pos + 40] == b"VBRI"
