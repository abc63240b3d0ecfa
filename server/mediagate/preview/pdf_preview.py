"""PDF page previews with PDFium: one page, rasterised straight into a bitmap of the preview's
size, never a full-resolution render shrunk afterwards.

PDFium is not thread-safe, which is why this runs in worker processes that render one
document at a time. A page's geometry is the file's to claim (a 14400 pt MediaBox, a /UserUnit
that PDFium ignores): the bitmap's size comes from the box, so no claim can make it larger.
"""

from __future__ import annotations

import math
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from mediagate.media.preview_spec import DEFAULT_MAX_PREVIEW_BYTES, PreviewSpec
from mediagate.preview.encode import as_preview
from mediagate.preview.failures import PAGE_OUT_OF_RANGE, failed
from mediagate.preview.result import RenderedPreview, RenderFailure

# Pixels per point at most: 288 dpi, more than any real page needs to fill the largest box.
MAX_SCALE = 4.0
_WHITE = (255, 255, 255, 255)
# Annotations include filled-in form fields' appearances; without them a form looks empty.
_RENDER_FLAGS = pdfium_c.FPDF_ANNOT
_LOCKED = {
    pdfium_c.FPDF_ERR_PASSWORD: "The PDF is password-protected.",
    pdfium_c.FPDF_ERR_SECURITY: "The PDF is encrypted with a security handler PDFium lacks.",
}


def render_pdf(
    path: str, spec: PreviewSpec, max_pixels: int, max_bytes: int = DEFAULT_MAX_PREVIEW_BYTES
) -> RenderedPreview | RenderFailure:
    try:
        # No password: a file that needs one to open is not previewable by design.
        pdf = pdfium.PdfDocument(path, password=None)
    except pdfium.PdfiumError as exc:
        if exc.err_code in _LOCKED:
            return failed("encrypted", _LOCKED[exc.err_code])
        raise
    try:
        page_count = len(pdf)
        if not 1 <= spec.page <= page_count:
            return RenderFailure(
                PAGE_OUT_OF_RANGE,
                f"Page {spec.page} was asked for; the document has {page_count}.",
                {"limit": str(page_count), "actual": str(spec.page)},
            )
        page = pdf[spec.page - 1]
        try:
            return _render_page(page, spec, page_count, max_pixels, max_bytes)
        finally:
            page.close()
    finally:
        pdf.close()


def _render_page(
    page: Any, spec: PreviewSpec, page_count: int, max_pixels: int, max_bytes: int
) -> RenderedPreview | RenderFailure:
    # The size as displayed: PDFium swaps width and height for a /Rotate of 90 or 270.
    width_pt, height_pt = (float(v) for v in page.get_size())
    if not (math.isfinite(width_pt) and math.isfinite(height_pt)):
        return failed("corrupt", "The page's size is not a number.")
    if width_pt <= 0 or height_pt <= 0:
        return failed("corrupt", "The page has no area.")
    source = (max(1, round(width_pt)), max(1, round(height_pt)))
    size = _within_pixels(_fitted(width_pt, height_pt, spec), max_pixels)
    # PdfPage.render sizes its bitmap as ceil(points x scale), which can come out a pixel past
    # the box; drawing the page onto a bitmap of exactly the fitted size cannot.
    bitmap = pdfium.PdfBitmap.new_native(size[0], size[1], pdfium_c.FPDFBitmap_BGR)
    try:
        bitmap.fill_rect(_WHITE, 0, 0, size[0], size[1])
        # PDFium applies the page's own /Rotate on top of the extra rotation (0) given here.
        pdfium_c.FPDF_RenderPageBitmap(bitmap, page, 0, 0, size[0], size[1], 0, _RENDER_FLAGS)
        image = bitmap.to_pil()  # a copy: BGR is turned into Pillow's RGB
    finally:
        bitmap.close()
    return as_preview(image, spec, max_bytes, source, page=spec.page, page_count=page_count)


def _fitted(width_pt: float, height_pt: float, spec: PreviewSpec) -> tuple[int, int]:
    """The page scaled to fit the box. Unlike an image, a page is drawn, not resampled, so
    filling the box costs no sharpness; the cap only keeps a postage-stamp page (or a bogus
    1 pt one) from being blown up into a box-sized blur."""
    scale = min(spec.max_width / width_pt, spec.max_height / height_pt, MAX_SCALE)
    return (
        min(spec.max_width, max(1, round(width_pt * scale))),
        min(spec.max_height, max(1, round(height_pt * scale))),
    )


def _within_pixels(size: tuple[int, int], max_pixels: int) -> tuple[int, int]:
    """A page has no pixels of its own, so a cap below the box shrinks the render instead of
    refusing it."""
    width, height = size
    if width * height <= max_pixels:
        return size
    factor = math.sqrt(max_pixels / (width * height))
    return max(1, math.floor(width * factor)), max(1, math.floor(height * factor))
