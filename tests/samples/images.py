"""Raster images (JPEG, PNG, GIF, WebP, TIFF) as cameras and screenshots make them, hostile
ones (size and decompression bombs, bad CRCs, corrupt data, polyglots), and preview sources
whose pixels say what a correct preview must show."""

from __future__ import annotations

import functools
import io
import random
import struct
import zlib

import pillow_heif
from PIL import Image

from tests.samples.archives import zip_of


def _default_color(mode: str) -> object:
    if mode in ("1", "L", "P", "I", "F"):
        return 1 if mode in ("1", "P") else 128
    if mode == "LA":
        return (128, 200)
    if mode in ("RGBA", "CMYK"):
        return (200, 30, 30, 128)
    return (200, 30, 30)


def jpeg(
    width: int = 64,
    height: int = 48,
    color: tuple[int, int, int] = (200, 30, 30),
    exif_orientation: int = 0,
    gps: bool = False,
    quality: int = 85,
) -> bytes:
    img = Image.new("RGB", (width, height), color)
    exif = Image.Exif()
    if exif_orientation:
        exif[0x0112] = exif_orientation
    if gps:
        # GPS IFD: latitude/longitude of a point, as a phone camera writes them.
        exif[0x8825] = {
            1: "N",
            2: (52.0, 31.0, 12.0),
            3: "E",
            4: (13.0, 24.0, 36.0),
        }
    out = io.BytesIO()
    img.save(out, "JPEG", quality=quality, exif=exif.tobytes() if len(exif) else b"")
    return out.getvalue()


def png(
    width: int = 64,
    height: int = 48,
    mode: str = "RGB",
    color: object = None,
) -> bytes:
    img = Image.new(mode, (width, height), _default_color(mode) if color is None else color)  # type: ignore[arg-type]
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png_claiming(width: int = 100_000, height: int = 100_000) -> bytes:
    """A well-formed PNG header claiming a huge size, followed by a tiny IDAT."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def png_with_text_bomb(chunks: int = 4, chunk_bytes: int = 4 * 1024 * 1024) -> bytes:
    """A 1x1 PNG whose zTXt chunks each inflate to chunk_bytes of zeros."""
    raw = png(1, 1, "L")
    body = zlib.compress(b"\x00" * chunk_bytes, 9)
    text = b"".join(_png_chunk(b"zTXt", b"Comment\x00\x00" + body) for _ in range(chunks))
    # Before IEND, where a reader meets them while reading the header chunks.
    return raw[:-12] + text + raw[-12:]


def png_with_bad_crc() -> bytes:
    data = bytearray(png())
    # The IHDR CRC sits at bytes 29..32 (8 signature + 8 length/type + 13 data).
    data[29] ^= 0xFF
    return bytes(data)


def png_with_corrupt_data() -> bytes:
    """A PNG whose IDAT holds bytes that are not a zlib stream, with correct CRCs."""
    raw = png()
    ihdr = raw[8 : 8 + 25]
    return (
        b"\x89PNG\r\n\x1a\n"
        + ihdr
        + _png_chunk(b"IDAT", b"\x78\x9c" + b"\xff" * 40)
        + _png_chunk(b"IEND", b"")
    )


def gif_animated(frames: int = 3, width: int = 32, height: int = 32) -> bytes:
    # Distinct colours: Pillow merges identical consecutive frames into one.
    images = [
        Image.new("RGB", (width, height), ((i * 37) % 256, (i * 91) % 256, (i * 53 + 1) % 256))
        for i in range(frames)
    ]
    out = io.BytesIO()
    images[0].save(out, "GIF", save_all=True, append_images=images[1:], duration=50, loop=0)
    return out.getvalue()


def gif_extents_bomb(width: int = 32, height: int = 32) -> bytes:
    """A GIF whose second frame's extents reach far past its small logical screen."""
    base = gif_animated(2, width, height)
    # Image descriptors start with ',' (0x2C); the second one is the second frame's.
    first = base.index(b"\x2c", 13)
    first_end = _gif_skip_image(base, first)
    second = base.index(b"\x2c", first_end)
    patched = bytearray(base)
    # Left/top offsets of 65535 put the frame's far corner at ~131070 x 131070.
    patched[second + 1 : second + 5] = struct.pack("<HH", 65535, 65535)
    return bytes(patched)


def _gif_skip_image(data: bytes, pos: int) -> int:
    flags = data[pos + 9]
    pos += 10
    if flags & 0x80:
        pos += 3 << ((flags & 7) + 1)
    pos += 1  # LZW minimum code size
    while data[pos]:
        pos += data[pos] + 1
    return pos + 1


def webp(width: int = 64, height: int = 48) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (20, 120, 220)).save(out, "WEBP", quality=80)
    return out.getvalue()


def tiff(width: int = 32, height: int = 32, frames: int = 1) -> bytes:
    images = [Image.new("RGB", (width, height), (i * 40 % 256, 90, 30)) for i in range(frames)]
    out = io.BytesIO()
    images[0].save(out, "TIFF", save_all=True, append_images=images[1:])
    return out.getvalue()


def png_with_zip_appended() -> bytes:
    return png() + zip_of({"payload.txt": b"hidden payload " * 20})


def jpeg_with_php_comment() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), (10, 10, 10)).save(
        out, "JPEG", comment=b"<?php system($_GET['c']); ?>"
    )
    return out.getvalue()


def jpeg_with_zip_appended() -> bytes:
    return jpeg() + zip_of({"payload.txt": b"hidden payload " * 20})


# ---------------------------------------------------------------------------------------------
# Preview sources: images whose pixels say what a correct preview must show

QUADRANT_COLORS = ((220, 30, 30), (30, 200, 30), (30, 30, 220), (240, 220, 20))


def jpeg_quadrants(
    width: int = 160,
    height: int = 80,
    colors: tuple[tuple[int, int, int], ...] = QUADRANT_COLORS,
    exif_orientation: int = 0,
) -> bytes:
    """Four quadrants (top-left, top-right, bottom-left, bottom-right) of distinct colours, so
    any rotation or flip shows in the corners."""
    img = Image.new("RGB", (width, height))
    half_w, half_h = width // 2, height // 2
    boxes = [
        (0, 0, half_w, half_h),
        (half_w, 0, width, half_h),
        (0, half_h, half_w, height),
        (half_w, half_h, width, height),
    ]
    for box, color in zip(boxes, colors, strict=True):
        img.paste(color, box)
    exif = Image.Exif()
    if exif_orientation:
        exif[0x0112] = exif_orientation
    out = io.BytesIO()
    img.save(out, "JPEG", quality=95, exif=exif.tobytes() if len(exif) else b"")
    return out.getvalue()


def jpeg_cmyk(
    width: int = 64, height: int = 48, cmyk: tuple[int, int, int, int] = (0, 255, 255, 0)
) -> bytes:
    """A CMYK JPEG as Photoshop writes them: an Adobe APP14 marker and inverted samples."""
    out = io.BytesIO()
    Image.new("CMYK", (width, height), cmyk).save(out, "JPEG", quality=95)
    return out.getvalue()


def jpeg_textured(width: int = 4000, height: int = 3000, exif_orientation: int = 6) -> bytes:
    """A photo-sized JPEG with detail everywhere, ~4 MB at 12 MP like a phone's photo (a flat
    colour decodes unrealistically fast; pure noise unrealistically slowly)."""
    from PIL import ImageChops

    grain = Image.effect_noise((width, height), 8)
    gradient = Image.linear_gradient("L").resize((width, height))
    fractal = Image.effect_mandelbrot((width, height), (-2.0, -1.2, 1.0, 1.2), 64)
    bands = (fractal, gradient, fractal.rotate(180))
    # Grain centred on 128, added to each band: offset -128 keeps the band's own level.
    img = Image.merge("RGB", [ImageChops.add(band, grain, 1, -128) for band in bands])
    exif = Image.Exif()
    exif[0x0112] = exif_orientation
    out = io.BytesIO()
    img.save(out, "JPEG", quality=90, exif=exif.tobytes())
    return out.getvalue()


def jpeg_with_metadata(width: int = 64, height: int = 48) -> bytes:
    """EXIF with GPS, XMP, a comment and an ICC profile: everything a preview must drop."""
    from PIL import ImageCms

    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)}
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(
        out, "JPEG", exif=exif.tobytes(), xmp=xmp, comment=b"secret comment", icc_profile=icc
    )
    return out.getvalue()


def icc_swapped_red_green() -> bytes:
    """An sRGB ICC profile with its red and green primaries exchanged: a pixel of (255, 0, 0)
    in this space is pure sRGB green, so only a real colour conversion shows green."""
    from PIL import ImageCms

    data = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    (count,) = struct.unpack(">I", data[128:132])
    entries = {bytes(data[132 + 12 * i : 136 + 12 * i]): 132 + 12 * i for i in range(count)}
    red, green = entries[b"rXYZ"], entries[b"gXYZ"]
    # Each tag-table entry is signature, offset, size; swapping offset and size swaps the data.
    data[red + 4 : red + 12], data[green + 4 : green + 12] = (
        data[green + 4 : green + 12],
        data[red + 4 : red + 12],
    )
    return bytes(data)


def jpeg_with_icc(
    icc_profile: bytes, color: tuple[int, int, int] = (255, 0, 0), size: int = 64
) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (size, size), color).save(out, "JPEG", quality=95, icc_profile=icc_profile)
    return out.getvalue()


def gradient_16bit(
    width: int = 256, height: int = 16, fmt: str = "PNG", big_endian: bool = False
) -> bytes:
    """A 16-bit greyscale ramp from 0 at the left to 65535 at the right: Pillow mode I;16, or
    I;16B (a big-endian TIFF, as Mac tools write them)."""
    # linear_gradient runs 0..255 top to bottom; a quarter turn left puts 0 on the left.
    ramp = Image.linear_gradient("L").rotate(90).resize((width, height))
    samples16 = [v * 257 for v in ramp.tobytes()]
    order = ">" if big_endian else "<"
    raw = struct.pack(f"{order}{len(samples16)}H", *samples16)
    img = Image.frombytes("I;16B" if big_endian else "I;16", (width, height), raw)
    out = io.BytesIO()
    img.save(out, fmt)
    return out.getvalue()


def png_palette_transparent(
    width: int = 64, height: int = 48, color: tuple[int, int, int] = (200, 30, 30)
) -> bytes:
    """A palette PNG (with tRNS) whose left half is index 0, fully transparent, and right half
    index 1, opaque color."""
    img = Image.new("P", (width, height), 0)
    img.putpalette([0, 0, 0, *color] + [0] * (256 * 3 - 6))
    img.paste(1, (width // 2, 0, width, height))
    out = io.BytesIO()
    img.save(out, "PNG", transparency=0)
    return out.getvalue()


def png_half_transparent(
    width: int = 64,
    height: int = 48,
    mode: str = "RGBA",
    color: tuple[int, int, int] = (200, 30, 30),
    grey: int = 90,
) -> bytes:
    """Left half fully transparent with black beneath (what a naive alpha drop shows), right
    half opaque: color in RGBA mode, grey in LA mode."""
    if mode == "LA":
        img = Image.new("LA", (width, height), (0, 0))
        img.paste((grey, 255), (width // 2, 0, width, height))
    else:
        img = Image.new("RGBA", (width, height), (0, 0, 0, 0))
        img.paste((*color, 255), (width // 2, 0, width, height))
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


ANIMATION_FIRST_COLOR = (200, 40, 0)


def _frames(frames: int, width: int, height: int) -> list[Image.Image]:
    # Distinct colours (encoders merge identical consecutive frames), the first one
    # ANIMATION_FIRST_COLOR.
    red, green, blue = ANIMATION_FIRST_COLOR
    return [
        Image.new(
            "RGB",
            (width, height),
            ((red - 70 * i) % 256, (green + 90 * i) % 256, (blue + 60 * i) % 256),
        )
        for i in range(frames)
    ]


def apng(frames: int = 3, width: int = 32, height: int = 32) -> bytes:
    images = _frames(frames, width, height)
    out = io.BytesIO()
    images[0].save(out, "PNG", save_all=True, append_images=images[1:], duration=50, loop=0)
    return out.getvalue()


def webp_animated(frames: int = 3, width: int = 32, height: int = 32) -> bytes:
    images = _frames(frames, width, height)
    out = io.BytesIO()
    images[0].save(out, "WEBP", save_all=True, append_images=images[1:], duration=50, lossless=True)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# High-entropy sources: the worst case for every preview encoder (nothing to predict), as an
# abusive caller would send them


def noise(width: int, height: int, mode: str = "RGB", seed: int = 0) -> Image.Image:
    """Every sample independent and uniform: the largest any encoder's output gets."""
    data = random.Random(seed).randbytes(width * height * len(mode))
    return Image.frombytes(mode, (width, height), data)


def jpeg_noise(width: int = 4000, height: int = 3000, quality: int = 90, seed: int = 0) -> bytes:
    """A photo-sized JPEG of pure noise (12 MP: ~12 MB at quality 90)."""
    out = io.BytesIO()
    noise(width, height, seed=seed).save(out, "JPEG", quality=quality)
    return out.getvalue()


def png_noise(width: int, height: int, mode: str = "RGB", seed: int = 0) -> bytes:
    out = io.BytesIO()
    noise(width, height, mode, seed).save(out, "PNG", compress_level=1)
    return out.getvalue()


def gif_noise(width: int = 2048, height: int = 2048, frames: int = 2) -> bytes:
    """An animation of full-palette noise frames (each distinct, so none is merged away)."""
    palette = list(random.Random(-1).randbytes(768))
    images = []
    for seed in range(frames):
        frame = noise(width, height, "P", seed)
        frame.putpalette(palette)
        images.append(frame)
    out = io.BytesIO()
    images[0].save(out, "GIF", save_all=True, append_images=images[1:], duration=50, loop=0)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# Phones' photos: what strip_metadata removes, and what it must keep

XMP_PACKET = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
    b'22-rdf-syntax-ns#"><rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
    b'xmp:CreatorTool="Pixel 8"/></rdf:RDF></x:xmpmeta>'
)


def phone_exif(exif_orientation: int = 0, gps: bool = True) -> Image.Exif:
    """EXIF as a phone camera writes it: make, model, time, GPS, and the Orientation given."""
    exif = Image.Exif()
    exif[0x010F] = "Google"
    exif[0x0110] = "Pixel 8"
    exif[0x0132] = "2024:05:01 12:34:56"
    if exif_orientation:
        exif[0x0112] = exif_orientation
    if gps:
        exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)}
    return exif


@functools.cache
def srgb_icc() -> bytes:
    """An sRGB ICC profile, made once: littleCMS stamps each new one with the time (header
    bytes 24-35), so two made a second apart differ and could not be compared."""
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def textured(width: int, height: int, mode: str = "RGB") -> Image.Image:
    """Detail everywhere, so a re-encoded copy could never decode to the same pixels."""
    from PIL import ImageFilter

    return noise(width, height, mode, seed=width * 31 + height).filter(ImageFilter.GaussianBlur(1))


def jpeg_phone(
    width: int = 320,
    height: int = 240,
    exif_orientation: int = 6,
    gps: bool = True,
    progressive: bool = False,
) -> bytes:
    """A phone's photo: EXIF with GPS and Orientation, XMP, an ICC profile, a comment."""
    out = io.BytesIO()
    textured(width, height).save(
        out,
        "JPEG",
        quality=90,
        exif=phone_exif(exif_orientation, gps).tobytes(),
        xmp=XMP_PACKET,
        icc_profile=srgb_icc(),
        comment=b"taken at home",
        progressive=progressive,
    )
    return out.getvalue()


def jpeg_with_motion_photo(width: int = 160, height: int = 120) -> tuple[bytes, int]:
    """A Pixel Motion Photo's shape: a photo, then an MP4 after its EOI; and where it starts."""
    photo = jpeg_phone(width, height)
    mp4 = struct.pack(">I4s4sI", 24, b"ftyp", b"mp42", 0) + b"mp42isom"
    mp4 += struct.pack(">I4s", 8 + 4096, b"mdat") + bytes(random.Random(7).randbytes(4096))
    return photo + mp4, len(photo)


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return _png_chunk(kind, data)


def png_with_metadata(
    width: int = 64, height: int = 48, exif_orientation: int = 0, gps: bool = True
) -> bytes:
    """A PNG with tEXt, zTXt, an XMP iTXt, tIME, eXIf (GPS) and an ICC profile."""
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "A. Guest")
    info.add_text("Comment", "written at home " * 20, zip=True)
    info.add_itxt("XML:com.adobe.xmp", XMP_PACKET.decode())
    out = io.BytesIO()
    textured(width, height).save(
        out,
        "PNG",
        pnginfo=info,
        icc_profile=srgb_icc(),
        exif=phone_exif(exif_orientation, gps).tobytes(),
    )
    data = out.getvalue()
    # tIME (Pillow writes none): last modified 2024-05-01 12:34:56, before IEND.
    time_chunk = _png_chunk(b"tIME", struct.pack(">HBBBBB", 2024, 5, 1, 12, 34, 56))
    return data[:-12] + time_chunk + data[-12:]


def webp_with_metadata(
    width: int = 64,
    height: int = 48,
    exif_orientation: int = 0,
    gps: bool = True,
    xmp: bool = True,
    lossless: bool = False,
) -> bytes:
    """An extended WebP (VP8X) with EXIF (GPS), XMP and an ICC profile."""
    out = io.BytesIO()
    textured(width, height).save(
        out,
        "WEBP",
        quality=80,
        lossless=lossless,
        exif=phone_exif(exif_orientation, gps).tobytes(),
        xmp=XMP_PACKET if xmp else b"",
        icc_profile=srgb_icc(),
    )
    return out.getvalue()


# HEIF photos, as phones send them. pillow-heif 1.x writes HEIC (x265); AVIF is Pillow's own
# (libavif): pillow-heif dropped AVIF in 1.0. Either writer turns an EXIF Orientation into the
# container's irot/imir transforms and drops it from the EXIF.
pillow_heif.register_heif_opener()

# The colour of the marker heif_photo paints in the stored image's top-left corner.
MARKER = (0, 0, 255)


def heif_photo(
    fmt: str = "HEIF",
    width: int = 64,
    height: int = 48,
    exif_orientation: int = 0,
    gps: bool = False,
    mode: str = "RGB",
    frames: int = 1,
    quality: int = 80,
) -> bytes:
    """A HEIC (fmt "HEIF") or AVIF (fmt "AVIF") photo: red, with a blue square in the stored
    image's top-left corner (so a test can tell where it went once the photo is turned), EXIF
    (with GPS if asked) and XMP. frames > 1 makes a burst (HEIC: more top-level images) or a
    sequence (AVIF)."""
    img = Image.new(mode, (width, height), _default_color(mode))  # type: ignore[arg-type]
    corner = max(1, min(width, height) // 4)
    img.paste(MARKER + ((255,) if mode == "RGBA" else ()), (0, 0, corner, corner))
    exif = Image.Exif()
    exif[0x010F] = "Phone"  # Make
    if exif_orientation:
        exif[0x0112] = exif_orientation
    if gps:
        exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)}
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'
    out = io.BytesIO()
    extra = [img.copy() for _ in range(frames - 1)]
    img.save(
        out,
        fmt,
        quality=quality,
        exif=exif.tobytes(),
        xmp=xmp,
        save_all=frames > 1,
        append_images=extra,
    )
    return out.getvalue()


def heic(**kwargs: object) -> bytes:
    return heif_photo("HEIF", **kwargs)  # type: ignore[arg-type]


def avif(**kwargs: object) -> bytes:
    return heif_photo("AVIF", **kwargs)  # type: ignore[arg-type]
