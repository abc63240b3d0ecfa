"""The one entry point of rendering: picks the renderer for a stored file's detected type and
turns anything a decoder raises into a RenderFailure, so a worker never sends back an
exception for a bad file."""

from __future__ import annotations

from mediagate.media.mime import PILLOW_FORMATS as IMAGE_TYPES
from mediagate.media.preview_spec import DEFAULT_MAX_PREVIEW_BYTES, PreviewSpec
from mediagate.preview.failures import PREVIEW_UNSUPPORTED, from_exception
from mediagate.preview.image_preview import render_image
from mediagate.preview.pdf_preview import render_pdf
from mediagate.preview.result import AUDIO_PREVIEW_TYPES, RenderedPreview, RenderFailure

PDF_TYPE = "application/pdf"
AUDIO_TYPES = AUDIO_PREVIEW_TYPES


def render_preview(
    path: str,
    mime: str,
    spec: PreviewSpec,
    max_pixels: int,
    max_bytes: int = DEFAULT_MAX_PREVIEW_BYTES,
) -> RenderedPreview | RenderFailure:
    """The preview's encoding is at most max_bytes (preview/encode.py says how), or the answer
    is PREVIEW_FAILED too_large."""
    try:
        if mime in IMAGE_TYPES:
            return render_image(path, mime, spec, max_pixels, max_bytes)
        if mime == PDF_TYPE:
            return render_pdf(path, spec, max_pixels, max_bytes)
        if mime in AUDIO_TYPES:
            # A voice message's preview is its waveform (imported here: PyAV is heavy, and
            # image and PDF renders never need it).
            from mediagate.preview.waveform_preview import render_waveform

            return render_waveform(path, mime, spec, max_bytes)
    except Exception as exc:
        what = {PDF_TYPE: "The document cannot be rendered"}.get(
            mime,
            "The audio cannot be decoded" if mime in AUDIO_TYPES else "The image cannot be decoded",
        )
        return from_exception(what, exc, path)
    return RenderFailure(PREVIEW_UNSUPPORTED, f"There is no preview for {mime or 'this'} files.")
