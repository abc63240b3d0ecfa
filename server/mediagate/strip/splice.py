"""The output of a stripper: ranges of the input copied byte for byte, with a few small
replacements (a rebuilt EXIF block, a patched header) between them.

Copies go block by block, so memory stays at one block whatever the file's size.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Callable, Sequence
from typing import BinaryIO

from mediagate.store.records import MetadataItem

_BLOCK = 1024 * 1024

# A piece of the output: (start, end) of the input, or bytes made here.
Piece = tuple[int, int] | bytes


class StripError(ValueError):
    """The file's structure is not what its probe found: it is left alone (never half-
    stripped). Messages name no path."""


def write_pieces(src: BinaryIO, dst: str, pieces: Sequence[Piece]) -> None:
    with open(dst, "wb") as out:
        for piece in pieces:
            if isinstance(piece, bytes):
                out.write(piece)
                continue
            start, end = piece
            src.seek(start)
            left = end - start
            while left > 0:
                block = src.read(min(_BLOCK, left))
                if not block:
                    raise StripError("the file ended while being copied")
                out.write(block)
                left -= len(block)


def file_size(src: BinaryIO) -> int:
    return src.seek(0, os.SEEK_END)


class Report:
    """What a stripper found, one item per kind (sizes added up), in the order first met."""

    def __init__(self) -> None:
        self._sizes: dict[tuple[str, bool], int] = {}

    def add(self, kind: str, size: int, removed: bool = True) -> None:
        key = (kind, removed)
        self._sizes[key] = self._sizes.get(key, 0) + size

    @property
    def removed(self) -> bool:
        return any(removed for _, removed in self._sizes)

    def items(self) -> list[MetadataItem]:
        return [MetadataItem(kind, size, removed) for (kind, removed), size in self._sizes.items()]


# Judges a file's parts into the Report and returns what to keep (raises StripError).
Plan = Callable[[BinaryIO, Report], list[Piece]]


def strip_by_plan(src: str, dst: str, plan: Plan) -> list[MetadataItem]:
    """Writes src without what the plan removes to dst and reports it. When nothing is removed,
    dst is not written (the input is the output) and the report is empty."""
    report = Report()
    with open(src, "rb") as fh:
        pieces = plan(fh, report)
        if report.removed:
            write_pieces(fh, dst, pieces)
    return report.items()


def clean_by_plan(src: str, plan: Plan) -> bool:
    """Whether the plan would remove nothing (judged, nothing written); False when unsure."""
    report = Report()
    try:
        with open(src, "rb") as fh:
            plan(fh, report)
    except (StripError, OSError, struct.error):
        return False
    return not report.removed
