"""Colour: whatever mode a decoder produced, turned into 8-bit sRGB (L, LA, RGB or RGBA).

Split in two around the resize: before it, only the conversions the resampler needs to filter
properly (they are few, because converting a full-size image costs 3x the time and ~90 MB on
a 12 MP photo); after it, everything else, on the small image.
"""

from __future__ import annotations

import functools
import io
from typing import cast

from PIL import Image, ImageCms

# What the encoder accepts; everything else is converted on the way out.
OUTPUT_MODES = frozenset({"L", "LA", "RGB", "RGBA"})

# Modes whose resize Pillow silently does with NEAREST, whatever filter is asked for.
_NEAREST_ONLY = frozenset({"1", "P", "PA"})
_SIXTEEN_BIT = frozenset({"I;16", "I;16L", "I;16B", "I;16N"})


def before_resize(img: Image.Image) -> Image.Image:
    """Only what the resampler needs, on the full-size image."""
    if img.mode in _NEAREST_ONLY:
        if img.mode == "1":
            return img.convert("L")
        # tRNS (or a GIF transparent index) becomes real alpha here or is lost for good.
        return img.convert("RGBA" if img.has_transparency_data else "RGB")
    if img.mode in ("L", "RGB") and "transparency" in img.info:
        # A colour-key transparency: resampling would blend the key colour into its
        # neighbours, so it must become alpha before the filter runs.
        return img.convert("LA" if img.mode == "L" else "RGBA")
    return img


def resize_gap(img: Image.Image) -> float | None:
    """The reducing_gap for Image.resize: the integer reduce() first makes a large shrink
    cheap. Image.reduce does not take 16-bit images, which Pillow's filters do resize."""
    return None if img.mode in _SIXTEEN_BIT else 2.0


def to_srgb(img: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """8-bit sRGB in one of OUTPUT_MODES, for the already reduced image."""
    img = _to_eight_bit(img)
    if icc_profile:
        converted = _through_profile(img, icc_profile)
        if converted is not None:
            return converted
    if img.mode in OUTPUT_MODES:
        return img
    if img.mode in ("RGBa", "La"):
        return img.convert(img.mode.upper())
    # CMYK (Pillow has already undone Adobe's inversion while decoding), YCbCr, LAB, HSV.
    return img.convert("RGB")


def _to_eight_bit(img: Image.Image) -> Image.Image:
    """16- and 32-bit greys scaled into 0..255. A plain convert("L") clips instead, so any
    16-bit image brighter than 255 of 65535 (nearly all of them) comes out white."""
    if img.mode not in _SIXTEEN_BIT and img.mode not in ("I", "F"):
        return img
    sixteen_bit = img.mode in _SIXTEEN_BIT
    # Image.point's linear form works on I and F, not on the big-endian 16-bit modes.
    wide = img.convert("F" if img.mode == "F" else "I")
    low, high = cast("tuple[float, float]", wide.getextrema())  # one band: (min, max)
    if sixteen_bit or (img.mode == "I" and low >= 0 and 255 < high <= 65535):
        scale, offset = 255 / 65535, 0.0
    elif img.mode == "I" and low >= 0 and high <= 255:
        scale, offset = 1.0, 0.0
    elif high > low:
        # Values of unknown meaning (signed or 32-bit integers, floats): stretch the range.
        scale, offset = 255 / (high - low), -low * 255 / (high - low)
    else:
        scale, offset = 0.0, 127.0
    return wide.point(lambda value: value * scale + offset).convert("L")


def _through_profile(img: Image.Image, icc_profile: bytes) -> Image.Image | None:
    """img converted from its embedded profile to sRGB; None when the profile is damaged or
    does not fit the image's mode, in which case the naive conversion is the best guess."""
    alpha = img.mode in ("LA", "RGBA")
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        if img.mode == "LA":
            # LittleCMS has no grey-with-alpha transform: convert the grey, keep the alpha.
            grey = ImageCms.profileToProfile(img.convert("L"), source, _srgb(), outputMode="RGB")
            if grey is None:
                return None
            grey.putalpha(img.getchannel("A"))
            return grey
        converted = ImageCms.profileToProfile(
            img, source, _srgb(), outputMode="RGBA" if alpha else "RGB"
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None
    return converted


@functools.cache
def _srgb() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
