"""The JPEG display rendition of a HEIC or AVIF: upright, sRGB, full size, pixels only."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from PIL import Image

from mediagate.preview.display import DISPLAY_QUALITY, render_display_jpeg
from mediagate.preview.result import DisplayJpeg, RenderFailure
from tests.samples import images
from tests.unit.preview.rendering import close, rgb_at

KINDS = [("HEIF", "image/heic"), ("AVIF", "image/avif")]
MAX_PIXELS = 50_000_000


def _made(tmp_path: Path, data: bytes, mime: str, max_pixels: int = MAX_PIXELS) -> Path:
    source, out = tmp_path / "source", tmp_path / "display.jpg"
    source.write_bytes(data)
    result = render_display_jpeg(str(source), mime, max_pixels, str(out))
    assert isinstance(result, DisplayJpeg), result
    content = out.read_bytes()
    assert (result.size_bytes, result.sha256) == (len(content), hashlib.sha256(content).hexdigest())
    assert result.quality == DISPLAY_QUALITY
    return out


def _failure(tmp_path: Path, data: bytes, mime: str, max_pixels: int = MAX_PIXELS) -> RenderFailure:
    source = tmp_path / "source"
    source.write_bytes(data)
    result = render_display_jpeg(str(source), mime, max_pixels, str(tmp_path / "out.jpg"))
    assert isinstance(result, RenderFailure), result
    assert str(tmp_path) not in result.message
    return result


@pytest.mark.parametrize(("fmt", "mime"), KINDS)
@pytest.mark.parametrize(
    ("orientation", "size", "marker"),
    [(0, (64, 48), (2, 2)), (6, (48, 64), (45, 2)), (8, (48, 64), (2, 61))],
)
def test_the_rendition_is_upright_and_full_size(
    tmp_path: Path,
    fmt: str,
    mime: str,
    orientation: int,
    size: tuple[int, int],
    marker: tuple[int, int],
) -> None:
    data = images.heif_photo(fmt, 64, 48, exif_orientation=orientation, quality=95)
    with Image.open(_made(tmp_path, data, mime)) as jpeg:
        assert jpeg.format == "JPEG" and jpeg.size == size
        assert close(rgb_at(jpeg, *marker), images.MARKER, 40), rgb_at(jpeg, *marker)


@pytest.mark.parametrize(("fmt", "mime"), KINDS)
def test_nothing_but_pixels_is_kept(tmp_path: Path, fmt: str, mime: str) -> None:
    data = images.heif_photo(fmt, exif_orientation=6, gps=True)
    content = _made(tmp_path, data, mime).read_bytes()
    with Image.open(io.BytesIO(content)) as jpeg:
        assert not jpeg.getexif()
        assert not {"exif", "xmp", "icc_profile", "comment"} & set(jpeg.info)
    # No APP1 (EXIF, XMP), APP2 (ICC) or COM segment at all.
    for marker in (b"\xff\xe1", b"\xff\xe2", b"\xff\xfe"):
        assert marker not in content[: content.index(b"\xff\xda")]


@pytest.mark.parametrize(("fmt", "mime"), KINDS)
def test_transparency_becomes_white(tmp_path: Path, fmt: str, mime: str) -> None:
    img = Image.new("RGBA", (32, 32), (0, 0, 0, 0))
    out = io.BytesIO()
    img.save(out, fmt, quality=95)
    with Image.open(_made(tmp_path, out.getvalue(), mime)) as jpeg:
        assert jpeg.mode == "RGB"
        assert close(rgb_at(jpeg, 16, 16), (255, 255, 255), 8)


def test_an_embedded_profile_is_converted_to_srgb(tmp_path: Path) -> None:
    # Red in a profile whose red and green primaries are swapped is sRGB green.
    out = io.BytesIO()
    Image.new("RGB", (32, 32), (255, 0, 0)).save(
        out, "HEIF", quality=95, icc_profile=images.icc_swapped_red_green()
    )
    with Image.open(_made(tmp_path, out.getvalue(), "image/heic")) as jpeg:
        r, g, _ = rgb_at(jpeg, 16, 16)
        assert g > 200 and r < 60


@pytest.mark.parametrize(("fmt", "mime"), KINDS)
def test_a_source_over_the_pixel_cap_is_refused_not_decoded(
    tmp_path: Path, fmt: str, mime: str
) -> None:
    result = _failure(tmp_path, images.heif_photo(fmt, 64, 48), mime, max_pixels=64 * 48 - 1)
    assert result.metadata["kind"] == "too_many_pixels"
    assert not (tmp_path / "out.jpg").exists()


def test_a_damaged_stream_is_corrupt(tmp_path: Path) -> None:
    data = bytearray(images.heic(width=640, height=480))
    mdat = data.index(b"mdat")
    data[mdat + 4 : mdat + 200] = b"\x11" * 196
    result = _failure(tmp_path, bytes(data), "image/heic")
    assert result.metadata["kind"] == "corrupt"
    assert result.message.startswith("The image cannot be decoded")
