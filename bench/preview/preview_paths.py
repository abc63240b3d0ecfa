"""The three ways of making a 300 x 300 WebP preview that the benchmark compares.

tutorial   what copy-pasted tutorial code does: full decode, orientation, LANCZOS thumbnail;
           for a PDF, pdf2image's rasterisation of every page at 150 dpi.
bare       the cheapest honest codec path: JPEG DCT-domain downscaling (draft), Pillow's
           reduce-then-resample thumbnail, a WebP encode; for a PDF, one pdfium render of page
           1 at the scale that fits the box. No orientation, no colour management, no limits:
           a floor that a production renderer can approach but not beat.
mediagate  the service's own renderer, in this process (no worker, no gRPC).

Each returns the encoded preview and its size, so the bench can check the outputs are real
previews (a fast path that produces garbage must not look good).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

BOX = (300, 300)
MAX_PIXELS = 50_000_000  # the web-messaging profile's cap, as the service would pass it


@dataclass(frozen=True)
class Output:
    data: bytes
    width: int
    height: int


RenderPath = Callable[[Path, str], Output]


def _webp(image: Image.Image, quality: int, method: int | None = None) -> Output:
    buffer = io.BytesIO()
    if method is None:
        image.save(buffer, "WEBP", quality=quality)
    else:
        image.save(buffer, "WEBP", quality=quality, method=method)
    return Output(buffer.getvalue(), image.width, image.height)


def _fitted(width: int, height: int) -> tuple[int, int]:
    scale = min(BOX[0] / width, BOX[1] / height, 1.0)
    return max(1, round(width * scale)), max(1, round(height * scale))


def tutorial(path: Path, mime: str) -> Output:
    if mime == "application/pdf":
        from pdf2image import convert_from_path

        # The tutorial default: every page rasterised (pdftoppm, PPM through a pipe), though
        # only the first is shown.
        pages = convert_from_path(str(path), dpi=150)
        first = pages[0]
        first.thumbnail(BOX, Image.Resampling.LANCZOS)
        return _webp(first, quality=85)
    with Image.open(path) as source:
        # exif_transpose decodes the whole image (and rotates it at full size for
        # orientation 6), which also defeats the JPEG draft that thumbnail() would try.
        image = ImageOps.exif_transpose(source)
        image.thumbnail(BOX, Image.Resampling.LANCZOS)
        return _webp(image, quality=85)


def bare(path: Path, mime: str) -> Output:
    if mime == "application/pdf":
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(str(path))
        try:
            page = document[0]
            width, height = page.get_size()
            bitmap = page.render(scale=min(BOX[0] / width, BOX[1] / height))
            output = _webp(bitmap.to_pil(), quality=80, method=4)
            page.close()
            return output
        finally:
            document.close()
    with Image.open(path) as source:
        if source.format == "JPEG":
            # Decode at 1/2, 1/4 or 1/8 scale in the DCT domain: the largest single saving.
            source.draft("RGB", _fitted(source.width, source.height))
        image: Image.Image = source
        if image.mode == "P":
            # Palette images resize with NEAREST only (aliased); expanding first is the least
            # a usable preview needs (~0.3 ms at 800 x 600), not colour management.
            image = image.convert("RGBA" if image.has_transparency_data else "RGB")
        # reducing_gap (default 2.0) first shrinks by an integer factor with reduce(), then
        # resamples the rest of the way with LANCZOS.
        image.thumbnail(BOX, Image.Resampling.LANCZOS)
        return _webp(image, quality=80, method=4)


def mediagate_path() -> RenderPath:
    """The service's renderer, imported only when asked for: it may not exist yet, and
    ImportError must then cost the bench one column, not the run."""
    from mediagate.media.preview_spec import PreviewSpec
    from mediagate.preview.render import render_preview
    from mediagate.preview.result import RenderFailure

    def render(path: Path, mime: str) -> Output:
        result = render_preview(str(path), mime, PreviewSpec(), MAX_PIXELS)
        if isinstance(result, RenderFailure):
            raise RuntimeError(f"{result.reason}: {result.message}")
        if result.mime_type != "image/webp":
            raise RuntimeError(f"render_preview returned {result.mime_type}, not image/webp")
        return Output(result.data, result.width, result.height)

    return render
