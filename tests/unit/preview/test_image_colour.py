"""Colour in image previews: every source mode ends as 8-bit sRGB, transparency is kept
where the output format has it and turns white where it does not."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from mediagate.media.preview_spec import PreviewFormat
from tests.samples import images
from tests.unit.preview.rendering import close, decoded, rendered, rgb_at, rgba_at, spec

WEBP, JPEG, PNG = PreviewFormat.WEBP, PreviewFormat.JPEG, PreviewFormat.PNG


def _png(img: Image.Image, **params: object) -> bytes:
    out = io.BytesIO()
    img.save(out, "PNG", **params)  # type: ignore[arg-type]
    return out.getvalue()


def test_a_cmyk_jpeg_becomes_rgb_with_its_colour(tmp_path: Path) -> None:
    data = images.jpeg_cmyk(cmyk=(0, 255, 255, 0))  # no cyan, full magenta and yellow: red
    assert Image.open(io.BytesIO(data)).mode == "CMYK"
    preview = decoded(rendered(tmp_path, data, "image/jpeg", spec(PNG)))
    assert preview.mode == "RGB"
    assert close(rgb_at(preview, 10, 10), (255, 0, 0))


def test_an_embedded_icc_profile_is_converted_to_srgb(tmp_path: Path) -> None:
    # Red in a space whose red primary is sRGB's green: a preview that ignored the profile
    # would stay red.
    data = images.jpeg_with_icc(images.icc_swapped_red_green(), (255, 0, 0))
    preview = decoded(rendered(tmp_path, data, "image/jpeg", spec(PNG)))
    assert close(rgb_at(preview, 10, 10), (0, 255, 0), tolerance=30)
    assert "icc_profile" not in preview.info


@pytest.mark.parametrize(
    ("fmt", "big_endian", "mime"),
    [("PNG", False, "image/png"), ("TIFF", False, "image/tiff"), ("TIFF", True, "image/tiff")],
)
def test_a_16_bit_gradient_is_scaled_not_clipped(
    tmp_path: Path, fmt: str, big_endian: bool, mime: str
) -> None:
    data = images.gradient_16bit(256, 16, fmt, big_endian)
    assert Image.open(io.BytesIO(data)).mode == ("I;16B" if big_endian else "I;16")
    preview = decoded(rendered(tmp_path, data, mime, spec(PNG)))
    row = [rgb_at(preview, x, 8)[0] for x in range(0, 256, 16)]
    assert row[0] < 20
    assert row[-1] > 220
    assert abs(rgb_at(preview, 128, 8)[0] - 128) < 10
    assert row == sorted(row)  # a ramp, not a clipped white band


def test_palette_transparency_is_kept_in_webp(tmp_path: Path) -> None:
    data = images.png_palette_transparent(64, 48, (200, 30, 30))
    preview = decoded(rendered(tmp_path, data, "image/png", spec(WEBP)))
    assert preview.mode == "RGBA"
    assert rgba_at(preview, 5, 20)[3] == 0
    assert close(rgba_at(preview, 60, 20), (200, 30, 30, 255))


def test_palette_transparency_is_kept_in_png(tmp_path: Path) -> None:
    data = images.png_palette_transparent(64, 48, (200, 30, 30))
    preview = decoded(rendered(tmp_path, data, "image/png", spec(PNG)))
    assert rgba_at(preview, 5, 20)[3] == 0
    assert rgba_at(preview, 60, 20) == (200, 30, 30, 255)


def test_grey_with_alpha_keeps_its_alpha(tmp_path: Path) -> None:
    data = images.png_half_transparent(64, 48, "LA", grey=90)
    for fmt in (WEBP, PNG):
        preview = decoded(rendered(tmp_path, data, "image/png", spec(fmt)))
        assert rgba_at(preview, 5, 20)[3] == 0
        assert close(rgba_at(preview, 60, 20), (90, 90, 90, 255), tolerance=8)


@pytest.mark.parametrize("mode", ["RGBA", "LA"])
def test_transparency_becomes_white_in_jpeg(tmp_path: Path, mode: str) -> None:
    # The transparent half holds black pixels: dropping alpha would show them.
    data = images.png_half_transparent(64, 48, mode, (200, 30, 30), grey=90)
    preview = decoded(rendered(tmp_path, data, "image/png", spec(JPEG)))
    assert close(rgb_at(preview, 5, 20), (255, 255, 255), tolerance=6)
    opaque = (200, 30, 30) if mode == "RGBA" else (90, 90, 90)
    assert close(rgb_at(preview, 60, 20), opaque)


def test_a_colour_key_transparency_becomes_alpha(tmp_path: Path) -> None:
    img = Image.new("RGB", (64, 48), (0, 0, 255))
    img.paste((200, 30, 30), (32, 0, 64, 48))
    data = _png(img, transparency=(0, 0, 255))
    preview = decoded(rendered(tmp_path, data, "image/png", spec(PNG, box=32)))
    assert rgba_at(preview, 2, 10)[3] == 0
    assert rgba_at(preview, 30, 10) == (200, 30, 30, 255)


def test_a_palette_image_is_filtered_not_sampled(tmp_path: Path) -> None:
    # One-pixel stripes of red and blue: a filter blends them into purple; the NEAREST that
    # Pillow silently uses on palette images would pick pure red or pure blue.
    img = Image.new("P", (200, 200), 0)
    img.putpalette([255, 0, 0, 0, 0, 255] + [0] * 762)
    for x in range(1, 200, 2):
        img.paste(1, (x, 0, x + 1, 200))
    preview = decoded(rendered(tmp_path, _png(img), "image/png", spec(PNG, box=50)))
    assert close(rgb_at(preview, 25, 25), (128, 0, 128), tolerance=30)


def test_a_one_bit_image_is_filtered_to_grey(tmp_path: Path) -> None:
    img = Image.new("1", (200, 200), 0)
    for x in range(0, 200, 2):
        img.paste(1, (x, 0, x + 1, 200))
    preview = decoded(rendered(tmp_path, _png(img), "image/png", spec(PNG, box=50)))
    assert abs(rgb_at(preview, 25, 25)[0] - 128) < 30


@pytest.mark.parametrize(
    ("mode", "value", "expected"),
    [
        ("1", 1, (255, 255, 255)),
        ("L", 90, (90, 90, 90)),
        ("LA", (90, 255), (90, 90, 90)),
        ("P", 0, (0, 0, 0)),
        ("RGB", (200, 30, 30), (200, 30, 30)),
        ("RGBA", (200, 30, 30, 255), (200, 30, 30)),
        ("CMYK", (0, 255, 255, 0), (255, 0, 0)),
        ("I", 90, (90, 90, 90)),  # a 32-bit TIFF holding 8-bit values stays as it is
        ("I", 40_000, (155, 155, 155)),  # one holding 16-bit values is scaled
        ("F", 0.5, (127, 127, 127)),  # a flat float image has no range: mid-grey
    ],
)
def test_every_tiff_mode_gives_an_8_bit_preview(
    tmp_path: Path, mode: str, value: object, expected: tuple[int, int, int]
) -> None:
    out = io.BytesIO()
    Image.new(mode, (40, 30), value).save(out, "TIFF")  # type: ignore[arg-type]
    preview = decoded(rendered(tmp_path, out.getvalue(), "image/tiff", spec(PNG)))
    assert preview.mode in ("L", "LA", "RGB", "RGBA")
    assert preview.size == (40, 30)
    assert close(rgb_at(preview, 20, 15), expected, tolerance=2)


def test_a_cielab_tiff_becomes_rgb(tmp_path: Path) -> None:
    # Pillow holds a* and b* offset by 128: (50, 60, 30) is L* 19.6, a* -68, b* -98, a dark
    # blue; read as RGB it would be a dark red.
    out = io.BytesIO()
    Image.new("LAB", (40, 30), (50, 60, 30)).save(out, "TIFF")
    preview = decoded(rendered(tmp_path, out.getvalue(), "image/tiff", spec(PNG)))
    red, green, blue = rgb_at(preview, 20, 15)
    assert blue > 150 and red < 30 and green < blue
