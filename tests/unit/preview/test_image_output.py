"""What leaves an image preview: the requested encoding, the first frame, no metadata, and
nothing at all for an image over the pixel cap."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageFile

from mediagate.media.preview_spec import PreviewFormat
from tests.samples import images
from tests.unit.preview.rendering import close, decoded, failure, rendered, rgb_at, spec

# Where each output format would carry metadata, if any slipped through.
METADATA_MARKERS = {
    PreviewFormat.JPEG: [b"Exif\x00", b"http://ns.adobe.com/xap", b"ICC_PROFILE", b"\xff\xfe"],
    PreviewFormat.WEBP: [b"EXIF", b"XMP ", b"ICCP"],
    PreviewFormat.PNG: [b"eXIf", b"iCCP", b"tEXt", b"iTXt", b"zTXt"],
}


@pytest.mark.parametrize("fmt", list(PreviewFormat))
@pytest.mark.parametrize(
    "source", [images.jpeg(gps=True), images.jpeg_with_metadata()], ids=["gps", "all"]
)
def test_no_metadata_reaches_the_preview(tmp_path: Path, fmt: PreviewFormat, source: bytes) -> None:
    assert Image.open(io.BytesIO(source)).getexif()  # the source does carry EXIF
    result = rendered(tmp_path, source, "image/jpeg", spec(fmt))
    preview = decoded(result)
    assert len(preview.getexif()) == 0
    for key in ("exif", "xmp", "XML:com.adobe.xmp", "comment", "icc_profile"):
        assert key not in preview.info
    for marker in METADATA_MARKERS[fmt]:
        assert marker not in result.data
    assert b"secret comment" not in result.data


@pytest.mark.parametrize("fmt", list(PreviewFormat))
@pytest.mark.parametrize(
    ("data", "mime"),
    [
        (images.jpeg(640, 480), "image/jpeg"),
        (images.png_half_transparent(640, 480), "image/png"),
        (images.webp(640, 480), "image/webp"),
        (images.tiff(640, 480), "image/tiff"),
        (images.gif_animated(2, 640, 480), "image/gif"),
    ],
    ids=["jpeg", "png", "webp", "tiff", "gif"],
)
def test_each_output_format_decodes_with_its_mime(
    tmp_path: Path, fmt: PreviewFormat, data: bytes, mime: str
) -> None:
    result = rendered(tmp_path, data, mime, spec(fmt))
    assert result.mime_type == fmt.mime_type
    assert (result.width, result.height) == (300, 225)
    assert decoded(result).format == fmt.value.upper()


def test_an_animated_gif_shows_its_first_frame(tmp_path: Path) -> None:
    # gif_animated's frame i is ((i * 37) % 256, (i * 91) % 256, (i * 53 + 1) % 256).
    result = rendered(tmp_path, images.gif_animated(3), "image/gif", spec(PreviewFormat.PNG))
    # The renderer leaves the frame count to intake's facts (GetPreview fills it in).
    assert (result.frame, result.frame_count) == (0, 0)
    assert close(rgb_at(decoded(result), 16, 16), (0, 0, 1), tolerance=2)


@pytest.mark.parametrize(
    ("data", "mime"),
    [(images.apng(3), "image/png"), (images.webp_animated(3), "image/webp")],
    ids=["apng", "webp"],
)
def test_other_animations_show_their_first_frame(tmp_path: Path, data: bytes, mime: str) -> None:
    result = rendered(tmp_path, data, mime, spec(PreviewFormat.PNG))
    assert result.frame == 0
    assert close(rgb_at(decoded(result), 16, 16), images.ANIMATION_FIRST_COLOR, tolerance=2)


def test_a_still_image_is_not_a_page(tmp_path: Path) -> None:
    result = rendered(tmp_path, images.png(), "image/png")
    assert (result.frame, result.page, result.page_count) == (0, 0, 0)


def test_over_the_pixel_cap_fails_without_decoding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_decoding(self: ImageFile.ImageFile) -> None:
        raise AssertionError("the pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    # 1.2 MP against a 1 MP cap: past the cap, short of twice it, where Pillow only warns.
    result = failure(tmp_path, images.jpeg(1200, 1000), "image/jpeg", max_pixels=1_000_000)
    assert result.reason == "PREVIEW_FAILED"
    assert result.metadata == {"kind": "too_many_pixels", "limit": "1000000", "actual": "1200000"}


def test_the_cap_holds_even_with_pillows_own_check_disabled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The renderer sets Pillow's cap itself; were that undone, its own header check remains.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)
    monkeypatch.setattr(Image, "_decompression_bomb_check", lambda size: None)
    result = failure(tmp_path, images.png(2000, 1000), "image/png", max_pixels=1_000_000)
    assert result.metadata["kind"] == "too_many_pixels"
    assert result.metadata["actual"] == "2000000"


def test_a_header_claiming_ten_gigapixels_fails_on_the_cap(tmp_path: Path) -> None:
    result = failure(tmp_path, images.png_claiming(100_000, 100_000), "image/png")
    assert result.metadata["kind"] == "too_many_pixels"
    assert result.metadata["actual"] == str(100_000 * 100_000)


def test_pillows_settings_are_restored(tmp_path: Path) -> None:
    def settings() -> tuple[int | None, bool]:
        return Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES

    before = settings()
    rendered(tmp_path, images.jpeg(64, 48), "image/jpeg", max_pixels=5000)
    failure(tmp_path, images.jpeg(100, 100), "image/jpeg", max_pixels=5000)
    assert settings() == before
