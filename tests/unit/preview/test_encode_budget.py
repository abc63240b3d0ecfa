"""A preview fits its byte budget: lower quality first (WebP, JPEG), then a smaller size, and
what was done is reported; PREVIEW_FAILED too_large when nothing fits."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from mediagate.errors import ErrorReason
from mediagate.media.preview_spec import PreviewFormat, PreviewSpec
from mediagate.preview.encode import QUALITY_FLOOR, encode
from mediagate.preview.render import render_preview
from tests.samples import images

BUDGET = 64 * 1024
LOSSY = [PreviewFormat.WEBP, PreviewFormat.JPEG]


def spec(fmt: PreviewFormat, quality: int, box: int = 2048) -> PreviewSpec:
    return PreviewSpec(box, box, fmt, 0 if fmt is PreviewFormat.PNG else quality)


def decoded_size(data: bytes, fmt: PreviewFormat) -> tuple[int, int]:
    img = Image.open(io.BytesIO(data))
    assert img.format == fmt.value.upper()
    img.load()
    return img.size


@pytest.mark.parametrize("fmt", list(PreviewFormat))
@pytest.mark.parametrize("mode", ["RGB", "RGBA"])
def test_noise_fits_the_budget_at_the_extreme_spec(fmt: PreviewFormat, mode: str) -> None:
    img = images.noise(512, 384, mode)
    out = encode(img, spec(fmt, 100), BUDGET)
    assert out is not None
    assert len(out.data) <= BUDGET
    assert decoded_size(out.data, fmt) == (out.width, out.height)
    # Noise does not fit even at the floor: the size had to go, the aspect ratio stays.
    assert out.width < 512 and abs(out.width / out.height - 512 / 384) < 0.02
    assert out.quality == (0 if fmt is PreviewFormat.PNG else QUALITY_FLOOR)


@pytest.mark.parametrize("fmt", LOSSY)
def test_quality_gives_way_before_the_size(fmt: PreviewFormat) -> None:
    photo = Image.open(io.BytesIO(images.jpeg_textured(1024, 768, exif_orientation=1)))
    photo.load()
    at_100 = encode(photo, spec(fmt, 100), 10 * 1024 * 1024)
    assert at_100 is not None and at_100.quality == 100
    budget = len(at_100.data) * 2 // 3  # a little too small for quality 100
    out = encode(photo, spec(fmt, 100), budget)
    assert out is not None and len(out.data) <= budget
    assert (out.width, out.height) == (1024, 768)  # the box is kept
    assert QUALITY_FLOOR < out.quality < 100
    # Within a few steps of the best that fits: one step up does not.
    above = encode(photo, spec(fmt, out.quality + 4), 10 * 1024 * 1024)
    assert above is not None and len(above.data) > budget


def test_a_preview_that_fits_is_encoded_once_as_asked() -> None:
    img = images.noise(64, 48)
    out = encode(img, spec(PreviewFormat.WEBP, 90), BUDGET)
    assert out is not None and (out.width, out.height, out.quality) == (64, 48, 90)


def test_nothing_fits_a_budget_below_the_format_s_own_overhead(tmp_path: Path) -> None:
    # A JPEG's tables alone take ~300 bytes: not even 1 x 1 pixel fits in 100.
    assert encode(images.noise(300, 200), spec(PreviewFormat.JPEG, 80), 100) is None
    path = tmp_path / "photo"
    path.write_bytes(images.jpeg(300, 200))
    failure = render_preview(str(path), "image/jpeg", spec(PreviewFormat.JPEG, 80), 10**8, 100)
    assert failure.reason is ErrorReason.PREVIEW_FAILED  # type: ignore[union-attr]
    assert failure.metadata == {"kind": "too_large", "limit": "100"}  # type: ignore[union-attr]


def test_every_renderer_keeps_the_budget(tmp_path: Path) -> None:
    """Images, document pages and waveforms all go through the same encoder."""
    from tests.samples import audio, pdfs

    sources = [
        (images.png_noise(600, 400), "image/png"),
        (pdfs.pdf_noise_page(400, 560), "application/pdf"),
        (audio.wav_noise_bursts(2.0), "audio/wav"),
    ]
    for n, (data, mime) in enumerate(sources):
        path = tmp_path / f"source-{n}"
        path.write_bytes(data)
        for fmt in PreviewFormat:
            result = render_preview(str(path), mime, spec(fmt, 100), 10**8, 16 * 1024)
            assert len(result.data) <= 16 * 1024, (mime, fmt)  # type: ignore[union-attr]
            size = decoded_size(result.data, fmt)  # type: ignore[union-attr]
            assert size == (result.width, result.height)  # type: ignore[union-attr]
