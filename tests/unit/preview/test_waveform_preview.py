from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from mediagate.media.preview_spec import PreviewFormat, PreviewSpec
from mediagate.preview.result import RenderedPreview
from mediagate.preview.waveform_preview import BAR_SHADE, render_waveform, waveform_size
from tests.samples import voice
from tests.unit.audio_files import STORED_TYPES, MakeFile

PIL_FORMATS = {PreviewFormat.WEBP: "WEBP", PreviewFormat.PNG: "PNG", PreviewFormat.JPEG: "JPEG"}


def spec_for(fmt: PreviewFormat, width: int = 300, height: int = 300) -> PreviewSpec:
    return PreviewSpec(width, height, fmt, 0 if fmt is PreviewFormat.PNG else 80)


def rendered(path: Path, mime: str, spec: PreviewSpec) -> tuple[RenderedPreview, Image.Image]:
    result = render_waveform(str(path), mime, spec)
    assert isinstance(result, RenderedPreview), result
    image = Image.open(io.BytesIO(result.data))
    image.load()
    return result, image


def _ink(image: Image.Image) -> Image.Image:
    """A mask of the bars: opaque pixels, or for JPEG the dark ones."""
    if image.mode in ("RGBA", "LA"):
        return image.getchannel("A").point(lambda a: 255 if a > 128 else 0)
    return image.convert("L").point(lambda v: 255 if v < 128 else 0)


def _column_heights(mask: Image.Image) -> list[int]:
    width, height = mask.size
    data = mask.load()
    assert data is not None
    return [sum(1 for y in range(height) if data[x, y]) for x in range(width)]


@pytest.mark.parametrize("fmt", list(PreviewFormat))
def test_speech_draws_bars_of_many_heights(
    speech_file: Callable[[str], Path], fmt: PreviewFormat
) -> None:
    result, image = rendered(speech_file("mp3"), "audio/mpeg", spec_for(fmt))
    assert image.format == PIL_FORMATS[fmt]
    assert result.mime_type == fmt.mime_type
    assert (result.width, result.height) == image.size == (300, 75)
    assert (result.source_width, result.source_height, result.page, result.frame) == (0, 0, 0, 0)
    heights = _column_heights(_ink(image))
    # Speech: tall bars for words, short ones for pauses, and the loudest fills the height.
    assert max(heights) >= 70
    assert len(set(heights)) >= 10
    assert sum(heights) > 0.15 * 300 * 75


@pytest.mark.parametrize("fmt", [PreviewFormat.WEBP, PreviewFormat.PNG])
def test_webp_and_png_bars_are_dark_on_transparency(
    speech_file: Callable[[str], Path], fmt: PreviewFormat
) -> None:
    _, image = rendered(speech_file("ogg_opus"), "audio/ogg", spec_for(fmt))
    rgba = image.convert("RGBA").tobytes()
    assert rgba[3] == 0  # the top-left corner: background
    opaque = [rgba[i : i + 3] for i in range(0, len(rgba), 4) if rgba[i + 3] == 255]
    assert opaque
    assert all(max(rgb) <= BAR_SHADE + 16 for rgb in opaque)  # lossy WebP shifts a little


def test_jpeg_bars_are_dark_on_white(speech_file: Callable[[str], Path]) -> None:
    _, image = rendered(speech_file("wav"), "audio/wav", spec_for(PreviewFormat.JPEG))
    grey = image.convert("L").tobytes()
    assert grey[0] >= 245  # the top-left corner: background
    assert min(grey) <= BAR_SHADE + 16


@pytest.mark.parametrize(
    ("box", "expected"),
    [
        ((300, 300), (300, 75)),
        ((600, 40), (600, 40)),
        ((2048, 2048), (2048, 512)),
        ((20, 100), (20, 5)),
        ((3, 3), (3, 1)),
    ],
)
def test_the_image_is_the_box_width_and_a_quarter_of_it_high(
    speech_file: Callable[[str], Path], box: tuple[int, int], expected: tuple[int, int]
) -> None:
    spec = spec_for(PreviewFormat.PNG, *box)
    assert waveform_size(spec) == expected
    result, image = rendered(speech_file("m4a_aac"), "audio/mp4", spec)
    assert image.size == (result.width, result.height) == expected
    assert result.width <= box[0] and result.height <= box[1]


def test_a_quiet_speaker_fills_the_height(sample_file: MakeFile) -> None:
    path = sample_file("speech-wav-40dbfs", lambda: voice.speech("wav", 3.0, peak_dbfs=-40))
    _, image = rendered(path, "audio/wav", spec_for(PreviewFormat.PNG))
    assert max(_column_heights(_ink(image))) >= 70


def test_silence_draws_a_line(sample_file: MakeFile) -> None:
    path = sample_file("silence-ogg_opus", lambda: voice.silence("ogg_opus", 3.0))
    _, image = rendered(path, STORED_TYPES["ogg_opus"], spec_for(PreviewFormat.PNG))
    heights = _column_heights(_ink(image))
    assert set(heights) == {0, 1}  # 1 px bars and the gaps between them


def test_a_type_that_is_not_audio_is_unsupported(speech_file: Callable[[str], Path]) -> None:
    result = render_waveform(str(speech_file("wav")), "image/png", spec_for(PreviewFormat.PNG))
    assert not isinstance(result, RenderedPreview)
    assert result.reason == "PREVIEW_UNSUPPORTED"
