"""The RenderFailures renderers hand back, worded for callers: a failure's message reaches the
client, so it names what went wrong with the file, never where the file is stored."""

from __future__ import annotations

from mediagate.errors import ErrorReason
from mediagate.media import pixels
from mediagate.media.scrub import scrub_paths
from mediagate.preview.result import RenderFailure

PREVIEW_FAILED = ErrorReason.PREVIEW_FAILED
PREVIEW_UNSUPPORTED = ErrorReason.PREVIEW_UNSUPPORTED
PAGE_OUT_OF_RANGE = ErrorReason.PAGE_OUT_OF_RANGE

_MAX_DETAIL = 200


def failed(kind: str, message: str, **metadata: str) -> RenderFailure:
    return RenderFailure(PREVIEW_FAILED, message, {"kind": kind, **metadata})


def too_large(max_bytes: int) -> RenderFailure:
    return failed(
        "too_large",
        f"The preview does not fit in {max_bytes} bytes at any quality or size tried.",
        limit=str(max_bytes),
    )


def too_many_pixels(actual: int | None, max_pixels: int) -> RenderFailure:
    message, metadata = pixels.too_many_pixels(actual, max_pixels)
    return failed("too_many_pixels", message, **metadata)


def from_exception(what: str, exc: BaseException, path: str) -> RenderFailure:
    """PREVIEW_FAILED for an exception out of a decoder, with its account scrubbed of the path
    (Pillow, for one, puts the file name in "cannot identify image file '...'")."""
    kind = "out_of_memory" if isinstance(exc, MemoryError) else "corrupt"
    detail = scrub_paths(str(exc), path)[:_MAX_DETAIL] or "no details"
    return failed(kind, f"{what}: {detail}", error=type(exc).__name__)
