"""Raster images: each format's structure walked first, then Pillow, restricted to the
profile's formats and held to the pixel cap, for the facts and a first-frame decode.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

from PIL import Image, ImageFile

from mediagate.inspect.errors import failure
from mediagate.inspect.facts import Facts, ImageFacts, ProbeLimits
from mediagate.inspect.gif_blocks import walk_gif
from mediagate.inspect.heif_boxes import walk_heif
from mediagate.inspect.jpeg_segments import walk_jpeg
from mediagate.inspect.png_chunks import walk_png
from mediagate.inspect.structure import ImageStructure, too_many_frames, too_many_pixels
from mediagate.inspect.webp_riff import walk_webp
from mediagate.media import heif_plugin
from mediagate.media.mime import HEIF_TYPES, PILLOW_FORMATS
from mediagate.reasons import Finding, Reason

# Pillow imports its ~50 plugins on the first open (~0.1 s); doing it at import puts that cost
# in the worker pool's preloading parent, once, instead of in each worker's first probe.
Image.init()
heif_plugin.register()

_ORIENTATION_TAG = 0x0112
_PILLOW_PIXELS = re.compile(r"\((\d+) pixels\)")


def handles(mime: str, limits: ProbeLimits) -> bool:
    return PILLOW_FORMATS.get(mime) in limits.image_formats


def probe_image(path: str, mime: str, limits: ProbeLimits) -> Facts:
    structure = _walk(path, mime, limits)
    facts = Facts(mime_type=mime, findings=list(structure.findings))
    if structure.has(Reason.TOO_MANY_PIXELS, Reason.DECOMPRESSION_BOMB):
        # Pillow must not even open it: some plugins allocate the canvas while opening.
        facts.image = _from_structure(structure, PILLOW_FORMATS[mime])
        return facts
    with _pixel_cap(limits.max_pixels):
        try:
            with Image.open(path, formats=list(limits.image_formats)) as img:
                facts.image = _describe(img, structure, limits, facts.findings)
                if not structure.damaged:
                    _decode_first_frame(img, facts.image)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            facts.findings.append(_pillow_pixel_finding(exc, limits))
            facts.image = facts.image or _from_structure(structure, PILLOW_FORMATS[mime])
        except Exception as exc:
            # The walk's account of damage is more precise than the decoder's.
            if not structure.damaged:
                facts.findings.append(failure("The image cannot be decoded", exc))
    return facts


def _walk(path: str, mime: str, limits: ProbeLimits) -> ImageStructure:
    try:
        if mime == "image/png":
            return walk_png(path, limits)
        if mime == "image/jpeg":
            return walk_jpeg(path)
        if mime == "image/gif":
            return walk_gif(path, limits)
        if mime == "image/webp":
            return walk_webp(path)
        if mime in HEIF_TYPES:
            return walk_heif(path, limits)
    except Exception as exc:
        return ImageStructure(findings=[failure("The image structure cannot be read", exc)])
    return ImageStructure()


@contextmanager
def _pixel_cap(max_pixels: int) -> Iterator[None]:
    """Makes Pillow's own bomb check enforce the profile's cap, as an error, for this call."""
    saved = Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES
    # Pillow raises past twice the limit and only warns past the limit itself.
    Image.MAX_IMAGE_PIXELS = max_pixels
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield
    finally:
        Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES = saved


def _describe(
    img: Image.Image, structure: ImageStructure, limits: ProbeLimits, findings: list[Finding]
) -> ImageFacts:
    width, height = img.size
    if width * height > limits.max_pixels and not _has(findings, Reason.TOO_MANY_PIXELS):
        findings.append(too_many_pixels(width, height, limits.max_pixels))
    frames = structure.frame_count
    if frames is None:
        frames = _count_frames(img, limits.max_frames)
        if frames > limits.max_frames:
            findings.append(too_many_frames(frames, limits.max_frames))
    return ImageFacts(
        width=width,
        height=height,
        frame_count=frames,
        has_alpha=structure.has_alpha or img.has_transparency_data,
        exif_orientation=_orientation(img),
        # An MPO is a JPEG carrying more JPEGs; to everything past the probe it is a JPEG.
        format="JPEG" if img.format == "MPO" else (img.format or ""),
        trailer_offset=structure.trailer_offset,
        trailer_kind=structure.trailer_kind,
    )


def _count_frames(img: Image.Image, max_frames: int) -> int:
    """Seeks frame by frame, one past the limit at most. Only used for formats whose seek does
    not decode (WebP, TIFF, MPO); GIF and APNG frames are counted by their walks."""
    count = 1
    while count <= max_frames:
        try:
            img.seek(count)
        except EOFError:
            break
        count += 1
    img.seek(0)
    return count


def _orientation(img: Image.Image) -> int:
    if img.format == "HEIF":
        # libheif applies the container's irot/imir while decoding, and pillow-heif reports the
        # size as displayed and resets any EXIF Orientation to 1 (media/heif_plugin.py): the
        # image as decoded is upright. (AVIF's irot/imir come back from Pillow as the EXIF
        # Orientation below, beside the stored size, as a JPEG's do.)
        return 1
    try:
        value = img.getexif().get(_ORIENTATION_TAG)
    except Exception:
        return 0  # broken EXIF is common and harmless: the pixels still decode
    return value if isinstance(value, int) and 1 <= value <= 8 else 0


def _decode_first_frame(img: Image.Image, facts: ImageFacts) -> None:
    if facts.format == "PNG":
        return  # the chunk walk inflated and checked every row of the image data
    if facts.format in ("HEIF", "AVIF"):
        # Read from the container only (the box walk, then libheif's and libavif's parse of
        # it): a 12 MP HEVC decode would double the probe's time. The pixels are decoded once,
        # in the render lane, for the JPEG display rendition an accepted one gets; a file
        # that does not decode is refused then.
        return
    if facts.format == "JPEG":
        # Decoding at 1/8 scale reads all entropy-coded data for a 64th of the memory.
        img.draft(img.mode, (max(1, facts.width // 8), max(1, facts.height // 8)))
    img.load()
    if facts.format == "GIF" and facts.frame_count > 1:
        # Pillow checks a frame's extents against the pixel cap only when it seeks to it.
        img.seek(1)


def _pillow_pixel_finding(exc: Exception, limits: ProbeLimits) -> Finding:
    match = _PILLOW_PIXELS.search(str(exc))
    return Finding(
        Reason.TOO_MANY_PIXELS,
        f"The image has more pixels than the limit of {limits.max_pixels}.",
        {"limit": str(limits.max_pixels), "actual": match.group(1) if match else ""},
    )


def _from_structure(structure: ImageStructure, fmt: str) -> ImageFacts | None:
    if structure.width is None or structure.height is None:
        return None
    return ImageFacts(
        width=structure.width,
        height=structure.height,
        frame_count=structure.frame_count or 1,
        has_alpha=structure.has_alpha,
        exif_orientation=0,
        format=fmt,
        trailer_offset=structure.trailer_offset,
        trailer_kind=structure.trailer_kind,
    )


def _has(findings: list[Finding], reason: Reason) -> bool:
    return any(f.reason is reason for f in findings)
