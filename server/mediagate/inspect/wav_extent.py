"""Whether a WAV holds samples past the end its data chunk declares.

FFmpeg, like every player, stops reading where the data chunk's size field says the samples
end. A writer that stopped updating that field (a recorder killed mid-message, a header
written once with a provisional size) leaves samples after that point, and a forged size
hides them: a 10-minute file that says it lasts 5 s would pass a duration limit with the
rest of its audio kept out of every measurement. Bytes after the data chunk that are
well-formed chunks (LIST/INFO tags, "id3 ", "cue ") are not audio; anything else is, and is
decoded.
"""

from __future__ import annotations

import os
from typing import BinaryIO

_MAX_CHUNKS = 1000
_UNKNOWN_SIZES = (0, 0xFFFFFFFF)  # streaming writers: FFmpeg already reads to the end


def undeclared_bytes(path: str) -> int:
    """How many bytes follow the data chunk without belonging to a chunk; 0 when none do or
    the file is not a RIFF WAVE whose data chunk can be found."""
    with open(path, "rb") as fh:
        file_size = fh.seek(0, os.SEEK_END)
        fh.seek(0)
        head = fh.read(12)
        if head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            return 0
        pos = 12
        for _ in range(_MAX_CHUNKS):
            fh.seek(pos)
            header = fh.read(8)
            if len(header) < 8:
                return 0
            size = int.from_bytes(header[4:], "little")
            pos += 8 + size + (size & 1)  # bodies are padded to even sizes
            if header[:4] == b"data":
                if size in _UNKNOWN_SIZES or pos >= file_size:
                    return 0
                return 0 if _only_chunks_from(fh, pos, file_size) else file_size - pos
    return 0


def _only_chunks_from(fh: BinaryIO, pos: int, file_size: int) -> bool:
    """Whether the bytes from pos to the end are a run of chunks that ends at the end."""
    for _ in range(_MAX_CHUNKS):
        if pos >= file_size:
            return True
        fh.seek(pos)
        header = fh.read(8)
        if len(header) < 8 or not all(0x20 <= byte <= 0x7E for byte in header[:4]):
            return False
        size = int.from_bytes(header[4:], "little")
        end = pos + 8 + size
        # A last chunk may leave out its pad byte; a size past the end is not a chunk.
        if end > file_size:
            return False
        pos = end + (size & 1)
    return False
