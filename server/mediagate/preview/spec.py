"""What a caller asks of a preview, normalised so that equal requests share one cache entry,
and what a renderer hands back. Plain data: it crosses into worker processes."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

DEFAULT_BOX = 300
MAX_BOX = 2048
DEFAULT_QUALITY = 80


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


@dataclass(frozen=True)
class RenderedPreview:
    data: bytes
    mime_type: str
    width: int
    height: int
    source_width: int  # pixels of the source image, or of the page at 72 dpi for documents
    source_height: int
    page: int = 0  # 1-based page rendered; 0 for images
    page_count: int = 0  # pages in the document; 0 for images
    frame: int = 0  # which frame of an animation (always the first)
    # Left 0 by the image renderer: counting GIF frames walks the whole file (6 ms for 20
    # frames, a third of the render), and intake has already counted them.
    frame_count: int = 0


@dataclass(frozen=True)
class RenderFailure:
    """Why a preview could not be made. reason is an ErrorReason name:
    PREVIEW_UNSUPPORTED (no renderer for the type), PREVIEW_FAILED (the source cannot be
    rendered: encrypted, corrupt, over the pixel cap), PAGE_OUT_OF_RANGE."""

    reason: str
    message: str
    metadata: Mapping[str, str] = field(default_factory=dict)


def fitted_size(width: int, height: int, box_width: int, box_height: int) -> tuple[int, int]:
    """The size of width x height scaled to fit the box, never enlarged, never under 1 px."""
    scale = min(box_width / width, box_height / height, 1.0)
    return max(1, round(width * scale)), max(1, round(height * scale))


AUDIO_PREVIEW_TYPES = frozenset(
    {"audio/mpeg", "audio/wav", "audio/ogg", "audio/webm", "audio/mp4", "audio/aac"}
)
# Stored types a renderer exists for; anything else is PREVIEW_UNSUPPORTED without a worker trip.
PREVIEWABLE_TYPES = frozenset(
    {"image/jpeg", "image/png", "image/gif", "image/webp", "image/tiff", "application/pdf"}
    # Audio previews are waveform images.
    | AUDIO_PREVIEW_TYPES
)
