"""The one entry point of rendering: picks the renderer for a stored file's detected type and
turns anything a decoder raises into a RenderFailure, so a worker never sends back an
exception for a bad file."""

from __future__ import annotations

from mediagate.preview.failures import PREVIEW_UNSUPPORTED, from_exception
from mediagate.preview.image_preview import FORMATS as IMAGE_TYPES
from mediagate.preview.image_preview import render_image
from mediagate.preview.pdf_preview import render_pdf
from mediagate.preview.spec import PreviewSpec, RenderedPreview, RenderFailure

PDF_TYPE = "application/pdf"


def render_preview(
    path: str, mime: str, spec: PreviewSpec, max_pixels: int
) -> RenderedPreview | RenderFailure:
    try:
        if mime in IMAGE_TYPES:
            return render_image(path, mime, spec, max_pixels)
        if mime == PDF_TYPE:
            return render_pdf(path, spec, max_pixels)
    except Exception as exc:
        what = (
            "The document cannot be rendered" if mime == PDF_TYPE else "The image cannot be decoded"
        )
        return from_exception(what, exc, path)
    return RenderFailure(PREVIEW_UNSUPPORTED, f"There is no preview for {mime or 'this'} files.")
