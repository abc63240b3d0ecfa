"""Raster previews: the first frame, reduced as early and as cheaply as the format allows,
then oriented, colour-corrected and encoded on the small image.

The order is the point. A 12 MP JPEG decoded at full size, converted and transposed before
the thumbnail costs several times the time and ~90 MB more than one decoded at 1/8 scale
(the DCT scaling libjpeg offers through Image.draft) and finished at 300 px.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

from PIL import Image, ImageFile

from mediagate.media import heif_plugin
from mediagate.media.mime import PILLOW_FORMATS
from mediagate.media.preview_spec import DEFAULT_MAX_PREVIEW_BYTES, PreviewSpec
from mediagate.preview import colour
from mediagate.preview.encode import as_preview
from mediagate.preview.failures import too_many_pixels
from mediagate.preview.orientation import apply_orientation, oriented, read_orientation
from mediagate.preview.result import RenderedPreview, RenderFailure, fitted_size

# Formats Image.draft can decode at a reduced scale (an MPO is a JPEG carrying more JPEGs).
# Not HEIF: its draft decodes an embedded thumbnail instead, which pillow-heif matches to the
# image by size and transforms only, so a file could show one picture in its preview and
# another to whoever opens it (media/heif_plugin.py turns thumbnails off).
_DRAFTABLE = frozenset({"JPEG", "MPO"})
_PILLOW_PIXELS = re.compile(r"\((\d+) pixels\)")

# Loading the plugins at import puts their cost in the worker pool's preloading parent.
Image.init()
heif_plugin.register()


def render_image(
    path: str,
    mime: str,
    spec: PreviewSpec,
    max_pixels: int,
    max_bytes: int = DEFAULT_MAX_PREVIEW_BYTES,
) -> RenderedPreview | RenderFailure:
    try:
        with pixel_cap(max_pixels), Image.open(path, formats=[PILLOW_FORMATS[mime]]) as img:
            return _render(img, spec, max_pixels, max_bytes)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        return bomb_failure(exc, max_pixels)


def bomb_failure(exc: Exception, max_pixels: int) -> RenderFailure:
    """PREVIEW_FAILED too_many_pixels for Pillow's decompression-bomb error under pixel_cap."""
    match = _PILLOW_PIXELS.search(str(exc))
    return too_many_pixels(int(match.group(1)) if match else None, max_pixels)


class _Geometry(NamedTuple):
    source: tuple[int, int]  # the image as displayed, after its EXIF orientation
    preview: tuple[int, int]  # fitted into the box, as displayed
    stored: tuple[int, int]  # the preview's size before it is turned: what to reduce to

    @classmethod
    def of(cls, size: tuple[int, int], orientation: int, spec: PreviewSpec) -> _Geometry:
        source = oriented(size, orientation)
        preview = fitted_size(*source, spec.max_width, spec.max_height)
        return cls(source, preview, oriented(preview, orientation))


def _render(
    img: ImageFile.ImageFile, spec: PreviewSpec, max_pixels: int, max_bytes: int
) -> RenderedPreview | RenderFailure:
    width, height = img.size
    # Pillow checked the same cap while opening; this does not rely on a global setting that
    # something else in the process could have changed.
    if width * height > max_pixels:
        return too_many_pixels(width * height, max_pixels)
    box: tuple[float, float, float, float] | None = None
    if img.format in _DRAFTABLE:
        # JPEG's EXIF is parsed while opening: the orientation is known before decoding, in
        # time to pick the decoding scale for the turned-back target.
        orientation = read_orientation(img)
        geometry = _Geometry.of((width, height), orientation, spec)
        box = _draft(img, geometry.stored)
        img.load()
    else:
        img.load()
        # Only now: Pillow's TIFF plugin turns the image itself while loading and then drops
        # the tag (its size is the turned one from the start), and PNG's getexif loads anyway.
        orientation = read_orientation(img)
        geometry = _Geometry.of(img.size, orientation, spec)
    icc_profile = img.info.get("icc_profile")
    small = _reduce(colour.before_resize(img), geometry.stored, box)
    small = apply_orientation(colour.to_srgb(small, icc_profile), orientation)
    if small.size != geometry.preview:
        raise AssertionError(f"rendered {small.size}, expected {geometry.preview}")
    return as_preview(small, spec, max_bytes, geometry.source, frame=0)


def _draft(
    img: ImageFile.ImageFile, target: tuple[int, int]
) -> tuple[float, float, float, float] | None:
    """Asks libjpeg to decode at the smallest DCT scale (1/2, 1/4, 1/8) still at least the
    target size; returns the part of the decoded image that maps onto the source, for the
    resize to use (the scaled image's last row and column are partly padding)."""
    drafted = img.draft(img.mode, target)
    if drafted is None:
        return None
    box = drafted[1]
    return (box[0], box[1], box[2], box[3])


def _reduce(
    img: Image.Image, target: tuple[int, int], box: tuple[float, float, float, float] | None
) -> Image.Image:
    if img.size == target and box is None:
        return img
    # LANCZOS, never NEAREST; before_resize has taken away the modes that force NEAREST.
    return img.resize(
        target, Image.Resampling.LANCZOS, box=box, reducing_gap=colour.resize_gap(img)
    )


@contextmanager
def pixel_cap(max_pixels: int) -> Iterator[None]:
    """Holds Pillow's own decompression-bomb check to this cap, as an error, for one render."""
    saved = Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES
    # Pillow raises past twice its limit and only warns past the limit itself.
    Image.MAX_IMAGE_PIXELS = max_pixels
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield
    finally:
        Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES = saved
