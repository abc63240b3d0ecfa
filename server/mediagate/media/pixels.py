"""The one wording of "too many pixels", shared by intake's refusal and a preview's failure."""

from __future__ import annotations


def too_many_pixels(actual: int | None, limit: int, size: str = "") -> tuple[str, dict[str, str]]:
    """A message and ErrorInfo metadata for an image over the pixel cap. `size` ("WxH") and
    `actual` are given when known (a decoder may refuse before saying how large)."""
    metadata = {"limit": str(limit)}
    if actual is None:
        return f"The image has more pixels than the limit of {limit}.", metadata
    metadata["actual"] = str(actual)
    shown = f"{size} ({actual} pixels)" if size else f"{actual} pixels"
    return f"The image is {shown}; the limit is {limit}.", metadata
