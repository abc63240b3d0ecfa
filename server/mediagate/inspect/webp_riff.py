"""The RIFF envelope of a WebP: does the file hold exactly what its size field promises?"""

from __future__ import annotations

import os
import struct

from mediagate.inspect.structure import ImageStructure
from mediagate.inspect.trailing_data import check_trailing
from mediagate.reasons import Finding, Reason


def walk_webp(path: str) -> ImageStructure:
    found = ImageStructure()
    with open(path, "rb") as fh:
        header = fh.read(12)
        if len(header) < 12 or header[:4] != b"RIFF" or header[8:12] != b"WEBP":
            found.add(Finding(Reason.CORRUPT, "The file does not start with a RIFF WEBP header."))
            return found
        (size,) = struct.unpack("<I", header[4:8])
        end = 8 + size + (size & 1)  # RIFF pads an odd-sized payload with one byte
        actual = fh.seek(0, os.SEEK_END)
        if actual < 8 + size:
            found.add(
                Finding(
                    Reason.TRUNCATED,
                    f"The WebP holds {actual} bytes; its RIFF header promises {8 + size}.",
                    {"limit": str(8 + size), "actual": str(actual)},
                )
            )
        elif actual > end:
            trailing = check_trailing(fh, end, "after the RIFF data")
            if trailing is not None:
                found.add(trailing)
    return found
