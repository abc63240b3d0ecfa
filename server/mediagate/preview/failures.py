"""The RenderFailures renderers hand back, worded for callers: a failure's message reaches the
client, so it names what went wrong with the file, never where the file is stored."""

from __future__ import annotations

import os

from mediagate.preview.spec import RenderFailure

PREVIEW_FAILED = "PREVIEW_FAILED"
PREVIEW_UNSUPPORTED = "PREVIEW_UNSUPPORTED"
PAGE_OUT_OF_RANGE = "PAGE_OUT_OF_RANGE"

_MAX_DETAIL = 200


def failed(kind: str, message: str, **metadata: str) -> RenderFailure:
    return RenderFailure(PREVIEW_FAILED, message, {"kind": kind, **metadata})


def too_many_pixels(pixels: int | None, max_pixels: int) -> RenderFailure:
    metadata = {"limit": str(max_pixels)}
    if pixels is not None:
        metadata["actual"] = str(pixels)
    return failed(
        "too_many_pixels",
        f"The image has more pixels than the preview limit of {max_pixels}.",
        **metadata,
    )


def from_exception(what: str, exc: BaseException, path: str) -> RenderFailure:
    """PREVIEW_FAILED for an exception out of a decoder, with its account scrubbed of the path
    (Pillow, for one, puts the file name in "cannot identify image file '...'")."""
    kind = "out_of_memory" if isinstance(exc, MemoryError) else "corrupt"
    return failed(
        kind,
        f"{what}: {_scrubbed(exc, path)}",
        error=type(exc).__name__,
    )


def _scrubbed(exc: BaseException, path: str) -> str:
    text = " ".join(str(exc).split())
    # Longest first, so a directory that prefixes the resolved path is not half replaced.
    variants = {path, os.path.abspath(path), os.path.realpath(path)}
    for variant in sorted((v for v in variants if v), key=len, reverse=True):
        text = text.replace(variant, "<file>")
    return (text or "no details")[:_MAX_DETAIL]
