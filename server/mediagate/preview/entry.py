"""The worker-side entry points of rendering: decoders (Pillow, PDFium) load only in workers."""

from __future__ import annotations

from mediagate.media.preview_spec import DEFAULT_MAX_PREVIEW_BYTES, PreviewSpec
from mediagate.preview.result import DisplayJpeg, RenderedPreview, RenderFailure


def render_in_worker(
    path: str,
    mime: str,
    spec: PreviewSpec,
    max_pixels: int,
    max_bytes: int = DEFAULT_MAX_PREVIEW_BYTES,
) -> RenderedPreview | RenderFailure:
    from mediagate.preview.render import render_preview

    return render_preview(path, mime, spec, max_pixels, max_bytes)


def display_in_worker(
    path: str, mime: str, max_pixels: int, out_path: str
) -> DisplayJpeg | RenderFailure:
    """The JPEG display rendition of a HEIC, HEIF or AVIF photo (preview/display.py)."""
    from mediagate.preview.display import render_display_jpeg

    return render_display_jpeg(path, mime, max_pixels, out_path)
