"""Timings to report, not to assert (machines differ): run with -s to see them.

The comparison is with the usual tutorial recipe, which decodes the full image before
reducing it; the renderer decodes a 12 MP JPEG at 1/8 scale and orients afterwards.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageOps

from mediagate.media.preview_spec import PreviewSpec
from tests.samples import images, pdfs
from tests.unit.preview.rendering import rendered

RUNS = 3


def _best_ms(action: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(RUNS):
        started = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - started)
    return best * 1000


def _tutorial(path: Path) -> bytes:
    with Image.open(path) as img:
        oriented = ImageOps.exif_transpose(img)
        oriented.thumbnail((300, 300))
        out = io.BytesIO()
        oriented.save(out, "WEBP", quality=80)
        return out.getvalue()


def test_time_a_12_megapixel_jpeg(tmp_path: Path) -> None:
    data = images.jpeg_textured(4000, 3000, exif_orientation=6)
    path = tmp_path / "photo"
    path.write_bytes(data)
    ours = _best_ms(lambda: rendered(tmp_path, data, "image/jpeg", PreviewSpec()))
    theirs = _best_ms(lambda: _tutorial(path))
    result = rendered(tmp_path, data, "image/jpeg", PreviewSpec())
    assert (result.width, result.height) == (225, 300)
    print(
        f"\n12 MP JPEG (orientation 6) to a 300 px WebP, best of {RUNS}: "
        f"renderer {ours:.0f} ms, exif_transpose + thumbnail {theirs:.0f} ms "
        f"({theirs / ours:.1f}x)"
    )


def test_time_page_one_of_a_ten_page_pdf(tmp_path: Path) -> None:
    colours = tuple((i * 25, 100, 250 - i * 25) for i in range(10))
    data = pdfs.pdf_colored(colours, 612, 792)
    ms = _best_ms(lambda: rendered(tmp_path, data, "application/pdf", PreviewSpec()))
    print(f"\n10-page PDF, page 1 to a 300 px WebP, best of {RUNS}: {ms:.1f} ms")
