"""How long a WAV file's header says its audio is: the data chunk size over the byte rate.

Read by hand because writers that stream (pipes, recorders) leave the size as 0 or
0xFFFFFFFF, which means "unknown", not "four billion bytes"; a parser that takes it
literally would call every such file truncated.
"""

from __future__ import annotations

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
