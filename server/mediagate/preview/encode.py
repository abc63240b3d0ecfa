"""Encoding a finished preview: the one place output bytes are made, for images and pages alike.

The preview goes to callers who never asked for the source's metadata, so whatever the source
carried (EXIF with GPS, XMP, comments, ICC profiles, text chunks) must not ride along.
"""

from __future__ import annotations

import io

from PIL import Image

from mediagate.media.preview_spec import PreviewFormat, PreviewSpec

# WebP methods 5 and 6 spend over a second on a 300 px thumbnail with alpha for a few percent.
_WEBP_METHOD = 4
_PNG_COMPRESS_LEVEL = 6
_WHITE = (255, 255, 255)


def encode(img: Image.Image, spec: PreviewSpec) -> bytes:
    """The bytes of img in spec's format. img must be L, LA, RGB or RGBA, in sRGB."""
    clean = _pixels_only(_for_format(img, spec.format))
    out = io.BytesIO()
    if spec.format is PreviewFormat.JPEG:
        clean.save(out, "JPEG", quality=spec.quality, optimize=False, progressive=False)
    elif spec.format is PreviewFormat.WEBP:
        clean.save(out, "WEBP", quality=spec.quality, method=_WEBP_METHOD)
    else:
        clean.save(out, "PNG", optimize=False, compress_level=_PNG_COMPRESS_LEVEL)
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
