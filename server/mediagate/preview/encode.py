"""Encoding a finished preview: the one place output bytes are made, for images, pages and
waveforms alike.

The preview goes to callers who never asked for the source's metadata, so whatever the source
carried (EXIF with GPS, XMP, comments, ICC profiles, text chunks) must not ride along.

A preview travels inline in one gRPC message, so it has a byte budget (max_bytes). Most fit at
once; a large box over a detailed source may not (a 2048 px WebP of a noisy photo is 2.7 MB at
quality 80, a PNG of a 2048 px photo 5 MB). Then, in this order:

1. WebP and JPEG: the highest quality that fits, down to QUALITY_FLOOR (50, still a good
   thumbnail): the floor is tried first, then at most QUALITY_PROBES qualities between it and
   the asked one, each guessed from the sizes seen so far (size is taken to grow
   exponentially with quality, which holds well enough to land within a few steps).
2. Still too large (or PNG, which has no quality to give): the image is scaled down by the
   square root of the overshoot, with a margin, and encoded again, at most MAX_SHRINKS times.

What it did is in the answer: the size, and the quality it was encoded at. The number of
encodes is bounded (at most 2 + QUALITY_PROBES, or 2 + MAX_SHRINKS of which all but two are
smaller), so a render stays well inside the lane's time limit: about 3 s for the worst case
measured (2048 x 2048 of RGBA noise as WebP at quality 100, whose first encode alone takes
1.8 s), against 10 s.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

from PIL import Image

from mediagate.media.preview_spec import PreviewFormat, PreviewSpec
from mediagate.preview.failures import too_large
from mediagate.preview.result import RenderedPreview, RenderFailure

# WebP methods 5 and 6 spend over a second on a 300 px thumbnail with alpha for a few percent.
_WEBP_METHOD = 4
_PNG_COMPRESS_LEVEL = 6
_WHITE = (255, 255, 255)

QUALITY_FLOOR = 50
QUALITY_PROBES = 3
MAX_SHRINKS = 5
# Scaling down by exactly sqrt(max_bytes / size) lands just over the budget about half the
# time (a smaller image compresses a little worse per pixel): aim 10 % lower on each side.
_SHRINK_MARGIN = 0.9


@dataclass(frozen=True)
class Encoded:
    data: bytes
    width: int
    height: int
    quality: int  # what it was encoded at: the spec's, or lower to fit; 0 for PNG


def encode(img: Image.Image, spec: PreviewSpec, max_bytes: int) -> Encoded | None:
    """img in spec's format in at most max_bytes (see the module's account of how); None when
    even the smallest attempt is larger. img must be L, LA, RGB or RGBA, in sRGB."""
    clean = _pixels_only(_for_format(img, spec.format))
    quality = spec.quality
    data = _save(clean, spec.format, quality)
    if len(data) <= max_bytes:
        return Encoded(data, clean.width, clean.height, quality)
    if spec.format is not PreviewFormat.PNG and quality > QUALITY_FLOOR:
        fitted, data = _lower_quality(clean, spec.format, quality, len(data), max_bytes)
        if fitted is not None:
            return fitted
        quality = QUALITY_FLOOR
    return _shrink(clean, spec.format, quality, len(data), max_bytes)


def _lower_quality(
    img: Image.Image, fmt: PreviewFormat, asked: int, asked_size: int, max_bytes: int
) -> tuple[Encoded | None, bytes]:
    """The highest quality in [QUALITY_FLOOR, asked) whose encoding fits (within the probes),
    or None and the encoding at the floor, which does not."""
    floor = _save(img, fmt, QUALITY_FLOOR)
    if len(floor) > max_bytes:
        return None, floor
    fits, fits_size = QUALITY_FLOOR, len(floor)  # the best that fits so far
    best = floor
    over, over_size = asked, asked_size  # the lowest that does not
    for _ in range(QUALITY_PROBES):
        if over - fits <= 1:
            break
        # Sizes grow about exponentially with quality: interpolate the logarithm.
        share = math.log(max_bytes / fits_size) / math.log(over_size / fits_size)
        probe = min(over - 1, max(fits + 1, fits + math.floor(share * (over - fits))))
        data = _save(img, fmt, probe)
        if len(data) <= max_bytes:
            fits, fits_size, best = probe, len(data), data
        else:
            over, over_size = probe, len(data)
    return Encoded(best, img.width, img.height, fits), best


def _shrink(
    img: Image.Image, fmt: PreviewFormat, quality: int, size: int, max_bytes: int
) -> Encoded | None:
    """img scaled down until its encoding fits; None if it never does within MAX_SHRINKS."""
    width, height = img.size
    for _ in range(MAX_SHRINKS):
        factor = math.sqrt(max_bytes / size) * _SHRINK_MARGIN
        target = (max(1, math.floor(width * factor)), max(1, math.floor(height * factor)))
        if target == (width, height):  # 1 x 1 already
            return None
        width, height = target
        # From the full preview each time (never a resize of a resize), LANCZOS as everywhere.
        smaller = img.resize(target, Image.Resampling.LANCZOS, reducing_gap=2.0)
        data = _save(smaller, fmt, quality)
        if len(data) <= max_bytes:
            return Encoded(data, width, height, quality)
        size = len(data)
    return None


def _save(img: Image.Image, fmt: PreviewFormat, quality: int) -> bytes:
    out = io.BytesIO()
    if fmt is PreviewFormat.JPEG:
        img.save(out, "JPEG", quality=quality, optimize=False, progressive=False)
    elif fmt is PreviewFormat.WEBP:
        img.save(out, "WEBP", quality=quality, method=_WEBP_METHOD)
    else:
        img.save(out, "PNG", optimize=False, compress_level=_PNG_COMPRESS_LEVEL)
    return out.getvalue()


def _for_format(img: Image.Image, fmt: PreviewFormat) -> Image.Image:
    if fmt is PreviewFormat.JPEG:
        return flatten_on_white(img)
    if fmt is PreviewFormat.WEBP and img.mode in ("L", "LA"):
        # The WebP encoder takes RGB(A) only; left to Pillow, LA's alpha survives only by luck.
        return img.convert("RGBA" if img.mode == "LA" else "RGB")
    return img


def flatten_on_white(img: Image.Image) -> Image.Image:
    """JPEG has no alpha: transparent areas become white, as viewers show them on a page.
    A plain convert("RGB") would drop alpha and expose whatever colour the transparent pixels
    hold, which is usually black."""
    if img.mode not in ("LA", "RGBA"):
        return img
    rgba = img.convert("RGBA")
    background = Image.new("RGB", rgba.size, _WHITE)
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background.convert("L") if img.mode == "LA" else background


def _pixels_only(img: Image.Image) -> Image.Image:
    """A copy with the pixels and nothing else. Savers read metadata from the image as well as
    from their arguments (the PNG saver embeds info's ICC profile and transparency, the JPEG
    saver its comment), and resize, convert and transpose all carry info along."""
    return Image.frombytes(img.mode, img.size, img.tobytes())


def as_preview(
    img: Image.Image, spec: PreviewSpec, max_bytes: int, source: tuple[int, int], **fields: int
) -> RenderedPreview | RenderFailure:
    """img encoded within max_bytes as the renderer's answer, or PREVIEW_FAILED too_large.
    `source` is the source's size; `fields` the rest of RenderedPreview (page, page_count...)."""
    encoded = encode(img, spec, max_bytes)
    if encoded is None:
        return too_large(max_bytes)
    return RenderedPreview(
        data=encoded.data,
        mime_type=spec.format.mime_type,
        width=encoded.width,
        height=encoded.height,
        source_width=source[0],
        source_height=source[1],
        quality=encoded.quality,
        **fields,
    )
