"""PDF page previews: the requested page, fitted into the box by PDFium directly, whatever
size the page claims."""

from __future__ import annotations

import time
from pathlib import Path

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest

from mediagate.media.preview_spec import PreviewFormat, PreviewSpec
from mediagate.preview.pdf_preview import MAX_SCALE
from tests.samples import pdfs
from tests.unit.preview.rendering import close, decoded, failure, rendered, rgb_at, spec

PDF = "application/pdf"
RED, GREEN, BLUE = (200, 30, 30), (30, 160, 60), (40, 60, 200)


def test_the_first_page_is_rendered_in_its_colour(tmp_path: Path) -> None:
    result = rendered(tmp_path, pdfs.pdf_colored((RED,), 200, 100), PDF, spec(PreviewFormat.PNG))
    assert (result.page, result.page_count) == (1, 1)
    assert (result.source_width, result.source_height) == (200, 100)
    # A page is drawn, not resampled: it fills the box even when that means enlarging it.
    assert (result.width, result.height) == (300, 150)
    assert close(rgb_at(decoded(result), 150, 75), RED, tolerance=2)


def test_a_tiny_page_is_enlarged_only_up_to_the_cap(tmp_path: Path) -> None:
    result = rendered(tmp_path, pdfs.pdf_colored((RED,), 10, 5), PDF, spec(PreviewFormat.PNG))
    assert (result.width, result.height) == (10 * MAX_SCALE, 5 * MAX_SCALE)


def test_a_later_page_is_that_page(tmp_path: Path) -> None:
    data = pdfs.pdf_colored((RED, GREEN, BLUE))
    for page, colour in ((3, BLUE), (2, GREEN)):
        result = rendered(tmp_path, data, PDF, spec(PreviewFormat.PNG, page=page))
        assert (result.page, result.page_count) == (page, 3)
        assert close(rgb_at(decoded(result), 150, 150), colour, tolerance=2)


def test_a_page_is_fitted_into_the_box(tmp_path: Path) -> None:
    # US Letter, 612 x 792 pt, into 300 x 300: 300 high, 232 wide.
    result = rendered(tmp_path, pdfs.pdf_colored((RED,), 612, 792), PDF)
    assert (result.width, result.height) == (232, 300)
    assert (result.source_width, result.source_height) == (612, 792)


def test_the_background_is_white(tmp_path: Path) -> None:
    result = rendered(tmp_path, pdfs.pdf(1), PDF, spec(PreviewFormat.PNG))
    assert rgb_at(decoded(result), 10, 10) == (255, 255, 255)


def test_page_rotation_is_honoured(tmp_path: Path) -> None:
    # 400 x 200 pt, green with a red top half, turned a quarter clockwise: portrait, the red
    # half on the right.
    data = pdfs.pdf_colored((GREEN,), 400, 200, rotate=90, top_color=RED)
    result = rendered(tmp_path, data, PDF, spec(PreviewFormat.PNG))
    assert (result.source_width, result.source_height) == (200, 400)
    assert (result.width, result.height) == (150, 300)
    preview = decoded(result)
    assert close(rgb_at(preview, 20, 150), GREEN, tolerance=2)
    assert close(rgb_at(preview, 130, 150), RED, tolerance=2)


@pytest.mark.parametrize(
    ("width", "height", "user_unit"), [(14400, 14400, None), (14400, 7200, 10.0)]
)
def test_huge_page_geometry_renders_within_the_box(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    width: int,
    height: int,
    user_unit: float | None,
) -> None:
    bitmaps: list[tuple[int, int]] = []
    original = pdfium.PdfBitmap.new_native

    def spy(width: int, height: int, *args: object, **kwargs: object) -> object:
        bitmaps.append((width, height))
        return original(width, height, *args, **kwargs)

    monkeypatch.setattr(pdfium.PdfBitmap, "new_native", staticmethod(spy))
    data = pdfs.pdf_colored((GREEN,), width, height, user_unit=user_unit)
    started = time.perf_counter()
    result = rendered(tmp_path, data, PDF, spec(PreviewFormat.PNG))
    elapsed = time.perf_counter() - started
    assert bitmaps == [(result.width, result.height)]
    assert (result.width, result.height) == (300, 300 * height // width)
    assert close(rgb_at(decoded(result), 150, 50), GREEN, tolerance=2)
    # A full-size render of 14400 pt would take seconds and 600 MB; this takes milliseconds.
    assert elapsed < 2.0


def test_a_pixel_cap_below_the_box_shrinks_the_page(tmp_path: Path) -> None:
    result = rendered(tmp_path, pdfs.pdf_colored((RED,), 600, 600), PDF, max_pixels=10_000)
    assert result.width * result.height <= 10_000
    assert result.width == result.height


def test_a_password_protected_pdf_fails_as_encrypted(tmp_path: Path) -> None:
    result = failure(tmp_path, pdfs.pdf(user_password="pw"), PDF)
    assert result.reason == "PREVIEW_FAILED"
    assert result.metadata["kind"] == "encrypted"
    assert "password-protected" in result.message


def test_an_owner_password_alone_does_not_stop_the_preview(tmp_path: Path) -> None:
    result = rendered(tmp_path, pdfs.pdf(owner_password="owner"), PDF)
    assert (result.page, result.page_count) == (1, 1)


def test_a_page_past_the_end_is_out_of_range(tmp_path: Path) -> None:
    result = failure(tmp_path, pdfs.pdf_colored((RED, GREEN, BLUE)), PDF, spec(page=4))
    assert result.reason == "PAGE_OUT_OF_RANGE"
    assert result.metadata == {"limit": "3", "actual": "4"}


def test_the_box_and_format_are_followed(tmp_path: Path) -> None:
    box = PreviewSpec(max_width=80, max_height=500, format=PreviewFormat.JPEG, quality=70)
    result = rendered(tmp_path, pdfs.pdf_colored((RED,), 200, 100), PDF, box)
    assert (result.width, result.height) == (80, 40)
    assert result.mime_type == "image/jpeg"
    assert decoded(result).format == "JPEG"
    big = PreviewSpec(max_width=2048, max_height=2048, format=PreviewFormat.PNG)
    result = rendered(tmp_path, pdfs.pdf_colored((RED,), 200, 100), PDF, big)
    assert (result.width, result.height) == (800, 400)  # the scale cap, not the box, stops it
