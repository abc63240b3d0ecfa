"""How long a WAV file's header says its audio is: the data chunk size over the byte rate.

Read by hand because writers that stream (pipes, recorders) leave the size as 0 or
0xFFFFFFFF, which means "unknown", not "four billion bytes"; a parser that takes it
literally would call every such file truncated.
"""

from __future__ import annotations

import os

_MAX_CHUNKS = 1000
_UNKNOWN_SIZES = (0, 0xFFFFFFFF)


def declared_seconds(path: str) -> float | None:
    with open(path, "rb") as fh:
        if (head := fh.read(12))[:4] != b"RIFF" or head[8:12] != b"WAVE":
            return None
        byte_rate = 0
        for _ in range(_MAX_CHUNKS):
            header = fh.read(8)
            if len(header) < 8:
                return None
            chunk, size = header[:4], int.from_bytes(header[4:], "little")
            if chunk == b"data":
                if size in _UNKNOWN_SIZES or not byte_rate:
                    return None
                return size / byte_rate
            body = fh.read(16) if chunk == b"fmt " and size >= 16 else b""
            if len(body) == 16:
                byte_rate = int.from_bytes(body[8:12], "little")
            fh.seek(size + (size & 1) - len(body), 1)  # bodies are padded to even sizes
    return None


def holds_no_samples(path: str) -> bool:
    """Whether the file is a RIFF WAVE with a format chunk and a data chunk that declares no
    samples (0, or "unknown" from a streaming writer) and holds none: a recording of nothing,
    which is empty rather than cut. A data chunk that declares samples the file no longer
    holds is a cut file."""
    with open(path, "rb") as fh:
        file_size = fh.seek(0, os.SEEK_END)
        fh.seek(0)
        if (head := fh.read(12))[:4] != b"RIFF" or head[8:12] != b"WAVE":
            return False
        has_format = False
        for _ in range(_MAX_CHUNKS):
            header = fh.read(8)
            if len(header) < 8:
                return False
            chunk, size = header[:4], int.from_bytes(header[4:], "little")
            if chunk == b"data":
                return has_format and size in _UNKNOWN_SIZES and fh.tell() == file_size
            has_format = has_format or (chunk == b"fmt " and size >= 16)
            fh.seek(size + (size & 1), 1)
    return False
