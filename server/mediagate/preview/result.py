"""What a renderer hands back: a preview, or why there is none. Plain data that crosses back
from worker processes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from mediagate.errors import ErrorReason


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
    # The quality it was encoded at: the spec's, or lower when that would not have fit the byte
    # budget (preview/encode.py); 0 for PNG.
    quality: int = 0


@dataclass(frozen=True)
class RenderFailure:
    """Why a preview could not be made: PREVIEW_UNSUPPORTED (no renderer for the type),
    PREVIEW_FAILED (the source cannot be rendered: encrypted, corrupt, over the pixel cap, or
    too large to encode within the byte budget), or PAGE_OUT_OF_RANGE."""

    reason: ErrorReason
    message: str
    metadata: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DisplayJpeg:
    """A JPEG display rendition written to the file the server named (preview/display.py)."""

    sha256: str
    size_bytes: int
    width: int  # as displayed (the orientation applied)
    height: int
    quality: int


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
    | {"image/heic", "image/heif", "image/avif"}
    # Audio previews are waveform images.
    | AUDIO_PREVIEW_TYPES
)
