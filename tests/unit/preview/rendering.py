"""Runs the renderer on bytes the way a worker does: written to a file, given its stored type."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from mediagate.media.preview_spec import PreviewFormat, PreviewSpec
from mediagate.preview.render import render_preview
from mediagate.preview.result import RenderedPreview, RenderFailure

MAX_PIXELS = 50_000_000
Color = tuple[int, ...]


def render(
    tmp_path: Path,
    data: bytes,
    mime: str,
    spec: PreviewSpec | None = None,
    max_pixels: int = MAX_PIXELS,
) -> RenderedPreview | RenderFailure:
    path = tmp_path / "stored-blob"
    path.write_bytes(data)
    return render_preview(str(path), mime, spec or PreviewSpec(), max_pixels)


def rendered(
    tmp_path: Path,
    data: bytes,
    mime: str,
    spec: PreviewSpec | None = None,
    max_pixels: int = MAX_PIXELS,
) -> RenderedPreview:
    result = render(tmp_path, data, mime, spec, max_pixels)
    assert isinstance(result, RenderedPreview), result
    return result


def failure(
    tmp_path: Path,
    data: bytes,
    mime: str,
    spec: PreviewSpec | None = None,
    max_pixels: int = MAX_PIXELS,
) -> RenderFailure:
    result = render(tmp_path, data, mime, spec, max_pixels)
    assert isinstance(result, RenderFailure), result
    assert str(tmp_path) not in result.message  # messages reach callers
    return result


def decoded(result: RenderedPreview) -> Image.Image:
    """The preview's pixels, checked to be what the result says they are."""
    img = Image.open(io.BytesIO(result.data))
    assert img.format is not None
    assert f"image/{img.format.lower()}" == result.mime_type
    assert img.size == (result.width, result.height)
    img.load()
    return img


def spec(fmt: PreviewFormat = PreviewFormat.WEBP, box: int = 300, page: int = 1) -> PreviewSpec:
    return PreviewSpec(box, box, fmt, 0 if fmt is PreviewFormat.PNG else 90, page)


def close(actual: Color, expected: Color, tolerance: int = 24) -> bool:
    """Within tolerance per channel: lossy encoders (and JPEG sources) move colours a little."""
    return len(actual) == len(expected) and all(
        abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=True)
    )


def rgb_at(img: Image.Image, x: int, y: int) -> Color:
    pixel = img.convert("RGB").getpixel((x, y))
    assert isinstance(pixel, tuple)
    return pixel


def rgba_at(img: Image.Image, x: int, y: int) -> Color:
    pixel = img.convert("RGBA").getpixel((x, y))
    assert isinstance(pixel, tuple)
    return pixel
