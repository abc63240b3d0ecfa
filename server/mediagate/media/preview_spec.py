"""What a caller asks of a preview, normalised so that equal requests share one cache entry.

Plain data below every package that names a preview: profiles (eager previews), the renderers
and the edge all speak it, and it crosses into worker processes."""

from __future__ import annotations

import enum
from dataclasses import dataclass

DEFAULT_BOX = 300
MAX_BOX = 2048
DEFAULT_QUALITY = 80
# A preview's byte budget unless the server is configured otherwise (MEDIAGATE_PREVIEW_MAX_BYTES):
# it travels inline in one gRPC message. Every spec within the limits above fits: the encoder
# lowers the quality, then the size, until it does (preview/encode.py).
DEFAULT_MAX_PREVIEW_BYTES = 1024 * 1024


class PreviewFormat(enum.StrEnum):
    WEBP = "webp"
    JPEG = "jpeg"
    PNG = "png"

    @property
    def mime_type(self) -> str:
        return f"image/{self.value}"


class SpecError(ValueError):
    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name


@dataclass(frozen=True)
class PreviewSpec:
    """A bounding box, an encoding, and for documents the 1-based page. An image fits inside
    the box and is never enlarged; a document page (whose size in points is only a unit) is
    rendered to fill the box, at most 4x its 72 dpi size."""

    max_width: int = DEFAULT_BOX
    max_height: int = DEFAULT_BOX
    format: PreviewFormat = PreviewFormat.WEBP
    quality: int = DEFAULT_QUALITY  # 0 for PNG, which is lossless
    page: int = 1

    @property
    def cache_key(self) -> str:
        return (
            f"{self.max_width}x{self.max_height}-{self.format.value}-q{self.quality}-p{self.page}"
        )


def normalise(
    max_width: int, max_height: int, fmt: PreviewFormat | None, quality: int, page: int
) -> PreviewSpec:
    """Applies the defaults (0 means default) and the limits; raises SpecError."""
    width = max_width or DEFAULT_BOX
    height = max_height or DEFAULT_BOX
    for name, value in (("max_width", width), ("max_height", height)):
        if not 1 <= value <= MAX_BOX:
            raise SpecError(name, f"{name} must be 1..{MAX_BOX} (0 for {DEFAULT_BOX})")
    fmt = fmt or PreviewFormat.WEBP
    if fmt is PreviewFormat.PNG:
        quality = 0
    else:
        quality = quality or DEFAULT_QUALITY
        if not 1 <= quality <= 100:
            raise SpecError("quality", "quality must be 1..100 (0 for 80)")
    page = page or 1
    if page < 1:
        raise SpecError("page", "page is 1-based (0 for the first page)")
    return PreviewSpec(width, height, fmt, quality, page)
