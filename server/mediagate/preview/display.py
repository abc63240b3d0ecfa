"""The JPEG display rendition of a photo that not every display can show (HEIC, HEIF, AVIF):
the whole first image, upright, in sRGB, at its own size (scaled down only past the pixel
cap), and nothing but pixels: no EXIF (so no GPS), no XMP, no ICC profile, no comment.

Written to a file that the server adopts as a blob (as a voice rendition is), so a 12 MP photo
never travels back through a worker's pipe. Runs in the render lane.
"""

from __future__ import annotations

import errno
import hashlib
import math
import os

from PIL import Image

from mediagate.media.mime import PILLOW_FORMATS
from mediagate.preview import colour
from mediagate.preview.encode import flatten_on_white
from mediagate.preview.failures import failed, from_exception
from mediagate.preview.image_preview import bomb_failure, pixel_cap
from mediagate.preview.orientation import apply_orientation, oriented, read_orientation
from mediagate.preview.result import DisplayJpeg, RenderFailure

DISPLAY_QUALITY = 85


def render_display_jpeg(
    path: str, mime: str, max_pixels: int, out_path: str, quality: int = DISPLAY_QUALITY
) -> DisplayJpeg | RenderFailure:
    """Writes the rendition to out_path (made durable); a RenderFailure (PREVIEW_FAILED,
    kind corrupt, out_of_memory or too_many_pixels) when the image does not decode, or kind
    no_space when the disk is full."""
    try:
        with pixel_cap(max_pixels), Image.open(path, formats=[PILLOW_FORMATS[mime]]) as img:
            return _write(img, max_pixels, out_path, quality)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        return bomb_failure(exc, max_pixels)
    except OSError as exc:
        if exc.errno == errno.ENOSPC:  # the disk is full, the image may well be fine
            return failed("no_space", "There is no space left to write the rendition.")
        return from_exception("The image cannot be decoded", exc, path)
    except Exception as exc:
        return from_exception("The image cannot be decoded", exc, path)


def _write(img: Image.Image, max_pixels: int, out_path: str, quality: int) -> DisplayJpeg:
    img.load()  # the primary image of a HEIF, the first frame of an AVIF sequence
    # After load: a HEIF's pixels come out turned (orientation 1), an AVIF's EXIF Orientation
    # stands for its irot/imir (media/heif_plugin.py).
    orientation = read_orientation(img)
    icc_profile = img.info.get("icc_profile")
    target = _capped(oriented(img.size, orientation), max_pixels)
    full = colour.before_resize(img)
    stored = oriented(target, orientation)
    if full.size != stored:
        full = full.resize(stored, Image.Resampling.LANCZOS, reducing_gap=colour.resize_gap(full))
    upright = flatten_on_white(apply_orientation(colour.to_srgb(full, icc_profile), orientation))
    upright.info = {}  # the JPEG saver would take a comment from here
    with open(out_path, "wb") as fh:
        upright.save(fh, "JPEG", quality=quality, optimize=True, exif=b"", comment=b"")
        fh.flush()
        os.fsync(fh.fileno())  # the store adopts durable files only
    with open(out_path, "rb") as fh:
        digest = hashlib.file_digest(fh, "sha256").hexdigest()
        size = fh.seek(0, os.SEEK_END)
    return DisplayJpeg(digest, size, upright.width, upright.height, quality)


def _capped(size: tuple[int, int], max_pixels: int) -> tuple[int, int]:
    """The size itself, or scaled down to at most max_pixels (an accepted file is within the
    cap already; this holds the rendition to it whatever the caller passes)."""
    width, height = size
    if width * height <= max_pixels:
        return size
    scale = math.sqrt(max_pixels / (width * height))
    return max(1, math.floor(width * scale)), max(1, math.floor(height * scale))
