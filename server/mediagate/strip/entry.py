"""The worker-side entry point of stripping: one call per file, in a worker lane, so that a
hostile file that makes a stripper hang or balloon is killed with its worker."""

from __future__ import annotations

import errno
import hashlib
import os
from dataclasses import dataclass

from mediagate.store.records import MetadataItem
from mediagate.strip.splice import StripError

# The types a stripper knows; others are kept as they are.
STRIPPED_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})
REPORTED_TYPES = frozenset({"application/pdf"})
_BLOCK = 1024 * 1024


@dataclass(frozen=True)
class Stripped:
    """What stripping found; sha256 and size are the output's, and empty when the file is kept
    as it is (nothing was removed: dst was not written)."""

    items: tuple[MetadataItem, ...]
    sha256: str = ""
    size: int = 0
    no_space: bool = False  # the disk filled while dst was written

    @property
    def changed(self) -> bool:
        return bool(self.sha256)


def strip_in_worker(
    src: str, dst: str, mime: str, trailer_offset: int = 0, trailer_kind: str = ""
) -> Stripped:
    """Runs the stripper for mime; raises StripError for a file it cannot strip."""
    from mediagate.strip.jpeg import strip_jpeg
    from mediagate.strip.pdf import find_pdf_metadata
    from mediagate.strip.png import strip_png
    from mediagate.strip.webp import strip_webp

    try:
        if mime == "image/jpeg":
            items = strip_jpeg(src, dst, trailer_offset, trailer_kind)
        elif mime == "image/png":
            items = strip_png(src, dst)
        elif mime == "image/webp":
            items = strip_webp(src, dst)
        elif mime == "application/pdf":
            return Stripped(tuple(find_pdf_metadata(src)))
        else:
            return Stripped(())
        if not any(item.removed for item in items):
            return Stripped(tuple(items))
        sha256, size = _digest(dst)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return Stripped((), no_space=True)
        # The message names no path: it may reach the caller.
        raise StripError(
            f"the file could not be stripped ({os.strerror(exc.errno or 0)})"
        ) from None
    return Stripped(tuple(items), sha256, size)


def _digest(path: str) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while block := fh.read(_BLOCK):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size
