"""A zip's central directory held to the limits before any entry is inflated."""

from __future__ import annotations

import os
import zipfile
from typing import BinaryIO

from mediagate.inspect.bombs import ratio_exceeded
from mediagate.inspect.facts import ProbeLimits
from mediagate.reasons import Finding, Reason

_EOCD = b"PK\x05\x06"
_EOCD_SIZE = 22
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_EOCD = b"PK\x06\x06"


def declared_entry_count(fh: BinaryIO) -> int | None:
    """The entry count the end-of-central-directory record declares (zip64 aware).

    Read by hand because zipfile builds an object per entry before anyone can look: a
    directory of ten million entries would exhaust memory first.
    """
    end = fh.seek(0, os.SEEK_END)
    size = min(end, _EOCD_SIZE + 0xFFFF)  # the record, then a comment of up to 64 KiB
    fh.seek(end - size)
    tail = fh.read(size)
    pos = tail.rfind(_EOCD)
    if pos < 0 or pos + _EOCD_SIZE > len(tail):
        return None
    entries = int.from_bytes(tail[pos + 10 : pos + 12], "little")
    if entries == 0xFFFF and pos >= 20 and tail[pos - 20 : pos - 16] == _ZIP64_LOCATOR:
        offset = int.from_bytes(tail[pos - 12 : pos - 4], "little")
        fh.seek(offset)
        record = fh.read(56)
        if len(record) == 56 and record[:4] == _ZIP64_EOCD:
            entries = int.from_bytes(record[32:40], "little")
    return entries


def too_many_entries(count: int, limits: ProbeLimits) -> Finding:
    return Finding(
        Reason.DECOMPRESSION_BOMB,
        f"The archive holds {count} entries; the limit is {limits.max_zip_entries}.",
        {"limit": str(limits.max_zip_entries), "actual": str(count)},
    )


def check_entries(infos: list[zipfile.ZipInfo], limits: ProbeLimits) -> list[Finding]:
    """DECOMPRESSION_BOMB findings from declared sizes alone: entry count, total size, and
    the first entry whose compression ratio is past the limit."""
    if len(infos) > limits.max_zip_entries:
        return [too_many_entries(len(infos), limits)]
    found = []
    total = sum(info.file_size for info in infos)
    if total > limits.max_uncompressed_bytes:
        found.append(
            Finding(
                Reason.DECOMPRESSION_BOMB,
                f"The archive's entries add up to {total} bytes uncompressed; the limit is "
                f"{limits.max_uncompressed_bytes}.",
                {"limit": str(limits.max_uncompressed_bytes), "actual": str(total)},
            )
        )
    for info in infos:
        if ratio_exceeded(info.compress_size, info.file_size, limits.max_compression_ratio):
            ratio = info.file_size / max(info.compress_size, 1)
            found.append(
                Finding(
                    Reason.DECOMPRESSION_BOMB,
                    f"{info.filename} inflates {info.compress_size} bytes into "
                    f"{info.file_size} ({ratio:.0f}:1).",
                    {
                        "part": info.filename,
                        "limit": f"{limits.max_compression_ratio:g}",
                        "actual": f"{ratio:.0f}",
                    },
                )
            )
            break
    return found
