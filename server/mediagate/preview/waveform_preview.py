"""The preview of a voice message: its waveform as symmetric bars, the picture a chat client
shows on a voice bubble.

Size: a waveform is a wide strip, so it takes the box's full width and a quarter of that in
height, less if the box is lower (300 x 300, the default box, gives 300 x 75; 600 x 40 gives
600 x 40). Bars are 2 px wide with 1 px gaps; each shows the loudest sample under its
columns (peaks are taken one per pixel column), scaled so that the loudest bar fills the
height: a quiet speaker's message still shows its shape. Every bar is at least 1 px, so
silence draws as a line rather than an empty picture. Dark bars on transparency for WebP and
PNG; JPEG has no alpha, and the encoder puts them on white.
"""

from __future__ import annotations

from PIL import Image, ImageDraw

from mediagate.media.preview_spec import DEFAULT_MAX_PREVIEW_BYTES, PreviewSpec
from mediagate.preview.encode import as_preview
from mediagate.preview.failures import PREVIEW_UNSUPPORTED, failed, from_exception
from mediagate.preview.result import RenderedPreview, RenderFailure
from mediagate.voice.decode import DEMUXERS, decode_mono
from mediagate.voice.levels import dbfs, measure

ASPECT = 4  # width : height
BAR_WIDTH = 2
BAR_GAP = 1
_MIN_BARS_WIDTH = 30  # narrower than this, bars with gaps would be too few to read: no gaps
BAR_SHADE = 48  # dark grey, readable on the light and dark themes clients draw bubbles on
# 16 kHz keeps everything below 8 kHz, where speech lives; a picture needs no more, and the
# resampler and the peak scan do a third of the work they would at 48 kHz.
_DECODE_RATE = 16_000
_SILENCE_DBFS = -50.0  # below this the bars stay flat: hiss scaled to full height looks like speech


def waveform_size(spec: PreviewSpec) -> tuple[int, int]:
    width = spec.max_width
    return width, max(1, min(spec.max_height, round(width / ASPECT)))


def render_waveform(
    path: str, mime: str, spec: PreviewSpec, max_bytes: int = DEFAULT_MAX_PREVIEW_BYTES
) -> RenderedPreview | RenderFailure:
    if mime not in DEMUXERS:
        return RenderFailure(PREVIEW_UNSUPPORTED, f"{mime or 'This type'} is not an audio type.")
    try:
        width, height = waveform_size(spec)
        pcm = decode_mono(path, mime, _DECODE_RATE)
        if pcm.count == 0:
            return failed("corrupt", "The audio holds no samples that decode.")
        levels = measure(pcm, width)
        loud = dbfs(levels.peak) > _SILENCE_DBFS
        scale = 1 / min(levels.peak, 1.0) if loud else 0.0
        image = draw([peak * scale for peak in levels.peaks], width, height)
        return as_preview(image, spec, max_bytes, (0, 0))
    except Exception as exc:  # the contract: a bad file is a RenderFailure, never a crash
        return from_exception("The audio cannot be decoded", exc, path)


def draw(levels: list[float], width: int, height: int) -> Image.Image:
    """Bars centred on the middle line, one per BAR_WIDTH + BAR_GAP columns; levels holds one
    value per column, 0..1 of the full height."""
    image = Image.new("LA", (width, height), (0, 0))
    pen = ImageDraw.Draw(image)
    bar, pitch = (BAR_WIDTH, BAR_WIDTH + BAR_GAP) if width >= _MIN_BARS_WIDTH else (1, 1)
    for left in range(0, width, pitch):
        right = min(left + bar, width)
        level = min(max(levels[left : left + pitch]), 1.0)  # the gap's column counts too
        tall = max(1, round(level * height))
        top = (height - tall) // 2
        pen.rectangle((left, top, right - 1, top + tall - 1), fill=(BAR_SHADE, 255))
    return image
