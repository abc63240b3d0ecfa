"""The worker-side entry point of rendering: decoders (Pillow, PDFium) load only in workers."""

from __future__ import annotations

from mediagate.media.preview_spec import DEFAULT_MAX_PREVIEW_BYTES, PreviewSpec
from mediagate.preview.result import RenderedPreview, RenderFailure


def render_in_worker(
    path: str,
    mime: str,
    spec: PreviewSpec,
    max_pixels: int,
    max_bytes: int = DEFAULT_MAX_PREVIEW_BYTES,
) -> RenderedPreview | RenderFailure:
    from mediagate.preview.render import render_preview

    return render_preview(path, mime, spec, max_pixels, max_bytes)
