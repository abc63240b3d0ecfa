"""ID3v2 tags at the start of an MP3 (or ADTS AAC): where they end, read from their headers only.

A tag holds cover art and padding, and phones' and taggers' tags of one or two megabytes are
normal, so the audio may start far past the first 64 KiB libmagic sees. Only each tag's
10-byte header is read (the size is syncsafe: 7 bits a byte); the frames inside, which may be
compressed, are never parsed or inflated.
"""

from __future__ import annotations

import os
from typing import BinaryIO

# What libmagic's answer becomes for a head that is all ID3 tag: audio whose frames lie past
# the head. The probe looks past the tag and reports the type it finds there.
ID3_TAGGED = "audio/x-id3v2-tagged"
# The types an ID3v2 tag precedes that mediagate reads.
AFTER_TAG = frozenset({"audio/mpeg", "audio/aac"})

HEADER_BYTES = 10
_FOOTER_FLAG = 0x10  # ID3v2.4: a copy of the header follows the tag
# Windows Media Player and some taggers stack tags; more than a few is no longer a tag.
_MAX_TAGS = 8


def tag_length(header: bytes) -> int | None:
    """The whole tag's length (header, body, footer) from its first 10 bytes; None when they
    are not an ID3v2 header."""
    if len(header) < HEADER_BYTES or header[:3] != b"ID3":
        return None
    major, revision, flags = header[3], header[4], header[5]
    size = header[6:10]
    if major not in (2, 3, 4) or revision == 0xFF or any(b & 0x80 for b in size):
        return None
    body = (size[0] << 21) | (size[1] << 14) | (size[2] << 7) | size[3]
    footer = HEADER_BYTES if major == 4 and flags & _FOOTER_FLAG else 0
    return HEADER_BYTES + body + footer


def audio_start(fh: BinaryIO) -> int:
    """The offset just past the ID3v2 tags at the start of the file (0 when there are none).

    It may lie past the end of the file: the tag then claims more bytes than the file holds.
    """
    start = 0
    end = fh.seek(0, os.SEEK_END)
    for _ in range(_MAX_TAGS):
        if start + HEADER_BYTES > end:
            break
        fh.seek(start)
        length = tag_length(fh.read(HEADER_BYTES))
        if length is None:
            break
        start += length
    return start
