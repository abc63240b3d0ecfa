"""Sizes and orientation of image previews: exactly fitted_size of the image as displayed,
reached by decoding as little as the format allows."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageOps

from mediagate.media.preview_spec import PreviewSpec
from mediagate.preview.result import fitted_size
from tests.samples import images
from tests.unit.preview.rendering import close, decoded, rendered, rgb_at

# Wide, so that orientations 5-8 (a quarter turn) also change the preview's shape.
WIDTH, HEIGHT = 1600, 800


def _corners(img: Image.Image) -> list[tuple[int, ...]]:
    """Colours a fifth of the way in from each corner: clear of JPEG's bleeding at the
    quadrant borders, whatever the scale."""
    w, h = img.size
    points = [(w // 5, h // 5), (w - 1 - w // 5, h // 5), (w // 5, h - 1 - h // 5)]
    points.append((w - 1 - w // 5, h - 1 - h // 5))
    return [rgb_at(img, x, y) for x, y in points]


def _nearest_quadrant(color: tuple[int, ...]) -> int:
    return min(
        range(4),
        key=lambda i: sum(
            (a - b) ** 2 for a, b in zip(color, images.QUADRANT_COLORS[i], strict=True)
        ),
    )


@pytest.mark.parametrize("orientation", range(1, 9))
def test_exif_orientation_is_applied(tmp_path: Path, orientation: int) -> None:
    data = images.jpeg_quadrants(WIDTH, HEIGHT, exif_orientation=orientation)
    # The expectation comes from Pillow's own transpose of the full source.
    expected = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
    result = rendered(tmp_path, data, "image/jpeg")
    preview = decoded(result)
    assert preview.size == fitted_size(*expected.size, 300, 300)
    assert (result.source_width, result.source_height) == expected.size
    want = [_nearest_quadrant(c) for c in _corners(expected)]
    got = [_nearest_quadrant(c) for c in _corners(preview)]
    assert got == want
    assert sorted(got) == [0, 1, 2, 3]  # four distinct quadrants: nothing was cropped away
    for actual, quadrant in zip(_corners(preview), got, strict=True):
        assert close(actual, images.QUADRANT_COLORS[quadrant])


@pytest.mark.parametrize(
    ("fmt", "mime"), [("PNG", "image/png"), ("WEBP", "image/webp"), ("TIFF", "image/tiff")]
)
@pytest.mark.parametrize("orientation", [3, 6, 7])
def test_orientation_is_applied_once_in_other_formats(
    tmp_path: Path, fmt: str, mime: str, orientation: int
) -> None:
    # Pillow's TIFF plugin turns TIFFs itself while loading; turning again would be wrong.
    source = Image.open(io.BytesIO(images.jpeg_quadrants(WIDTH // 4, HEIGHT // 4)))
    exif = Image.Exif()
    exif[0x0112] = orientation
    out = io.BytesIO()
    source.save(out, fmt, exif=exif.tobytes(), **({"lossless": True} if fmt == "WEBP" else {}))
    expected = ImageOps.exif_transpose(Image.open(io.BytesIO(out.getvalue())))
    assert expected.size == (HEIGHT // 4, WIDTH // 4) or orientation == 3
    preview = decoded(rendered(tmp_path, out.getvalue(), mime))
    assert preview.size == fitted_size(*expected.size, 300, 300)
    want = [_nearest_quadrant(c) for c in _corners(expected)]
    assert [_nearest_quadrant(c) for c in _corners(preview)] == want


@pytest.mark.parametrize("orientation", [1, 6])
def test_a_large_jpeg_is_decoded_at_the_smallest_sufficient_dct_scale(
    tmp_path: Path, orientation: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Displayed 1600x800 (or 800x1600 turned), fitted into 300x300: 300x150 stored-side. The
    # smallest DCT scale still at least that is 1/4 (400x200); 1/8 (200x100) would be smaller.
    # Had the target not been turned back for orientation 6, the scale would be 1/2.
    sizes: list[tuple[int, int]] = []
    original = Image.Image.resize

    def spy(self: Image.Image, *args: object, **kwargs: object) -> Image.Image:
        sizes.append(self.size)
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Image.Image, "resize", spy)
    data = images.jpeg_quadrants(WIDTH, HEIGHT, exif_orientation=orientation)
    result = rendered(tmp_path, data, "image/jpeg")
    assert sizes[0] == (400, 200)
    expected = (300, 150) if orientation == 1 else (150, 300)
    assert (result.width, result.height) == expected


def test_a_very_long_image_keeps_at_least_one_pixel_across(tmp_path: Path) -> None:
    result = rendered(tmp_path, images.png(10_000, 10), "image/png")
    assert (result.width, result.height) == (300, 1)
    assert decoded(result).size == (300, 1)


def test_a_small_image_is_not_enlarged(tmp_path: Path) -> None:
    result = rendered(tmp_path, images.png(50, 40), "image/png")
    assert (result.width, result.height) == (50, 40)
    assert (result.source_width, result.source_height) == (50, 40)


def test_the_box_need_not_be_square(tmp_path: Path) -> None:
    box = PreviewSpec(max_width=100, max_height=400)
    result = rendered(tmp_path, images.jpeg(1000, 500), "image/jpeg", box)
    assert (result.width, result.height) == (100, 50)


@pytest.mark.parametrize(
    ("data", "mime"),
    [
        (images.tiff(600, 400), "image/tiff"),
        (images.webp(600, 400), "image/webp"),
        (images.gif_animated(2, 600, 400), "image/gif"),
    ],
)
def test_other_formats_fit_the_box(tmp_path: Path, data: bytes, mime: str) -> None:
    result = rendered(tmp_path, data, mime)
    assert (result.width, result.height) == (300, 200)
    assert (result.source_width, result.source_height) == (600, 400)
