"""The JPEG display rendition of a photo that not every display can show (HEIC, HEIF, AVIF):
the whole first image, upright, in sRGB, at its own size, and nothing but pixels: no EXIF (so
no GPS), no XMP, no ICC profile, no comment. Its size is within the profile's pixel cap since
the original's is (the probe refused it otherwise); the decode is held to the cap all the same,
and a source over it is a too_many_pixels failure rather than a scaled-down rendition.

Written to a file that the server adopts as a blob (as a voice rendition is), so a 12 MP photo
never travels back through a worker's pipe. Runs in the render lane.
"""

from __future__ import annotations

import errno
import hashlib
import os

from PIL import Image

from mediagate.media.mime import PILLOW_FORMATS
from mediagate.preview import colour
from mediagate.preview.encode import flatten_on_white
from mediagate.preview.failures import failed, from_exception
from mediagate.preview.image_preview import bomb_failure, pixel_cap
from mediagate.preview.orientation import apply_orientation, read_orientation
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
            return _write(img, out_path, quality)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        return bomb_failure(exc, max_pixels)
    except OSError as exc:
        if exc.errno == errno.ENOSPC:  # the disk is full, the image may well be fine
            return failed("no_space", "There is no space left to write the rendition.")
        return from_exception("The image cannot be decoded", exc, path)
    except Exception as exc:
        return from_exception("The image cannot be decoded", exc, path)


def _write(img: Image.Image, out_path: str, quality: int) -> DisplayJpeg:
    img.load()  # the primary image of a HEIF, the first frame of an AVIF sequence
    # After load: a HEIF's pixels come out turned (orientation 1), an AVIF's EXIF Orientation
    # stands for its irot/imir (media/heif_plugin.py).
    orientation = read_orientation(img)
    icc_profile = img.info.get("icc_profile")
    full = colour.before_resize(img)
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
