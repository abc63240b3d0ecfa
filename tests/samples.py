"""Real files built in memory, for unit and integration tests.

Every generator returns the bytes of a file that the library that made it (Pillow, pypdf,
PyAV, zipfile, wave) considers valid, unless its name says what is wrong with it. Nothing here
reads the network or the shared corpus, so tests that use these run anywhere.
"""

from __future__ import annotations

import io
import math
import struct
import wave
import zipfile
import zlib
from collections.abc import Mapping
from typing import Any

import av
import mutagen.mp4
from PIL import Image
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

# ---------------------------------------------------------------------------------------------
# Images


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
    return png() + _zip({"payload.txt": b"hidden payload " * 20})


def jpeg_with_php_comment() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), (10, 10, 10)).save(
        out, "JPEG", comment=b"<?php system($_GET['c']); ?>"
    )
    return out.getvalue()


def jpeg_with_zip_appended() -> bytes:
    return jpeg() + _zip({"payload.txt": b"hidden payload " * 20})


# ---------------------------------------------------------------------------------------------
# PDF


def pdf(
    pages: int = 1,
    javascript: bool = False,
    launch: bool = False,
    user_password: str | None = None,
    owner_password: str | None = None,
) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    if javascript:
        # The document-level JavaScript name tree, run when the file opens.
        writer.add_open_action(JavaScript("app.alert('hello');"))
    if launch:
        writer.root_object[NameObject("/OpenAction")] = DictionaryObject(
            {
                NameObject("/S"): NameObject("/Launch"),
                NameObject("/F"): TextStringObject("calc.exe"),
            }
        )
    if user_password is not None or owner_password is not None:
        writer.encrypt(
            user_password=user_password or "",
            owner_password=owner_password,
            algorithm="AES-256",
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# Office (OOXML)

_XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_EXT_PROPS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties"
)
_APP_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"


def _zip(parts: Mapping[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return out.getvalue()


def _content_types(overrides: Mapping[str, str], extra_defaults: str = "") -> bytes:
    items = "".join(
        f'<Override PartName="/{name}" ContentType="{ctype}"/>' for name, ctype in overrides.items()
    )
    return (
        f'{_XML_DECL}<Types xmlns="{_CT_NS}">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{extra_defaults}{items}</Types>'
    ).encode()


def _rels(main_part: str) -> bytes:
    return (
        f'{_XML_DECL}<Relationships xmlns="{_REL_NS}">'
        f'<Relationship Id="rId1" Type="{_OFFICE_DOC}" Target="{main_part}"/>'
        f'<Relationship Id="rId2" Type="{_EXT_PROPS}" Target="docProps/app.xml"/>'
        "</Relationships>"
    ).encode()


def _app(counts: str) -> bytes:
    return (
        f'{_XML_DECL}<Properties xmlns="{_APP_NS}">'
        f"<Application>samples.py</Application>{counts}</Properties>"
    ).encode()


_APP_CT = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_S_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_P_NS = "http://schemas.openxmlformats.org/presentationml/2006/main"
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _docx_parts(main_type: str, pages: int = 1) -> dict[str, bytes]:
    document = (
        f'{_XML_DECL}<w:document xmlns:w="{_W_NS}">'
        "<w:body><w:p><w:r><w:t>Hello</w:t></w:r></w:p></w:body></w:document>"
    ).encode()
    return {
        "[Content_Types].xml": _content_types(
            {"word/document.xml": main_type, "docProps/app.xml": _APP_CT}
        ),
        "_rels/.rels": _rels("word/document.xml"),
        "word/document.xml": document,
        "docProps/app.xml": _app(f"<Pages>{pages}</Pages>"),
    }


def docx(pages: int = 1) -> bytes:
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    return _zip(_docx_parts(main, pages))


def docm_with_vba() -> bytes:
    parts = _docx_parts("application/vnd.ms-word.document.macroEnabled.main+xml")
    parts["[Content_Types].xml"] = _content_types(
        {
            "word/document.xml": "application/vnd.ms-word.document.macroEnabled.main+xml",
            "docProps/app.xml": _APP_CT,
        },
        '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>',
    )
    # An OLE compound-file signature and padding: enough to look like a VBA project.
    parts["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    parts["word/_rels/document.xml.rels"] = (
        f'{_XML_DECL}<Relationships xmlns="{_REL_NS}">'
        '<Relationship Id="rId9" '
        'Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" '
        'Target="vbaProject.bin"/></Relationships>'
    ).encode()
    return _zip(parts)


def docx_zip_bomb(zero_bytes: int = 16 * 1024 * 1024) -> bytes:
    """A docx carrying a part of zeros that compresses about 1000:1."""
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    parts = _docx_parts(main)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
        zf.writestr("word/media/padding.bin", b"\x00" * zero_bytes)
    return out.getvalue()


def docx_with_entity() -> bytes:
    """A docx whose [Content_Types].xml declares an entity (the XXE / billion-laughs shape)."""
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    parts = _docx_parts(main)
    ct = parts["[Content_Types].xml"].decode()
    head, body = ct.split("\n", 1)
    parts["[Content_Types].xml"] = (
        f'{head}\n<!DOCTYPE Types [<!ENTITY a "aaaaaaaaaa">]>\n{body}'
    ).encode()
    return _zip(parts)


def _xlsx_parts(macrosheet: bool = False) -> dict[str, bytes]:
    sheets = '<sheet name="Sheet1" sheetId="1" r:id="rId1"/>'
    sml = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    overrides = {
        "xl/workbook.xml": f"{sml}.sheet.main+xml",
        "xl/worksheets/sheet1.xml": f"{sml}.worksheet+xml",
        "docProps/app.xml": _APP_CT,
    }
    wb_rels = (
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/>'
    )
    parts: dict[str, bytes] = {
        "xl/worksheets/sheet1.xml": (
            f'{_XML_DECL}<worksheet xmlns="{_S_NS}">'
            '<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>'
        ).encode()
    }
    if macrosheet:
        sheets += '<sheet name="Macro1" sheetId="2" r:id="rId2"/>'
        overrides["xl/macrosheets/sheet1.xml"] = "application/vnd.ms-excel.macrosheet+xml"
        wb_rels += (
            '<Relationship Id="rId2" '
            'Type="http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet" '
            'Target="macrosheets/sheet1.xml"/>'
        )
        parts["xl/macrosheets/sheet1.xml"] = (
            f"{_XML_DECL}"
            '<xm:macrosheet xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
            "<sheetData/></xm:macrosheet>"
        ).encode()
    parts["[Content_Types].xml"] = _content_types(overrides)
    parts["_rels/.rels"] = _rels("xl/workbook.xml")
    parts["xl/workbook.xml"] = (
        f"{_XML_DECL}"
        f'<workbook xmlns="{_S_NS}" xmlns:r="{_R_NS}"><sheets>{sheets}</sheets></workbook>'
    ).encode()
    parts["xl/_rels/workbook.xml.rels"] = (
        f'{_XML_DECL}<Relationships xmlns="{_REL_NS}">{wb_rels}</Relationships>'
    ).encode()
    parts["docProps/app.xml"] = _app("")
    return parts


def xlsx() -> bytes:
    return _zip(_xlsx_parts())


def xlsx_with_xlm_macrosheet() -> bytes:
    return _zip(_xlsx_parts(macrosheet=True))


def pptx(slides: int = 1) -> bytes:
    presentation = (
        f"{_XML_DECL}"
        f'<p:presentation xmlns:p="{_P_NS}" xmlns:r="{_R_NS}"><p:sldIdLst/></p:presentation>'
    ).encode()
    main = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
    return _zip(
        {
            "[Content_Types].xml": _content_types(
                {"ppt/presentation.xml": main, "docProps/app.xml": _APP_CT}
            ),
            "_rels/.rels": _rels("ppt/presentation.xml"),
            "ppt/presentation.xml": presentation,
            "docProps/app.xml": _app(f"<Slides>{slides}</Slides>"),
        }
    )


def zip_archive() -> bytes:
    return _zip({"readme.txt": b"just a zip\n", "data/values.csv": b"a,b\n1,2\n"})


# ---------------------------------------------------------------------------------------------
# SVG and text


def svg(script: bool = False, entity: bool = False) -> bytes:
    prolog = '<?xml version="1.0" encoding="UTF-8"?>\n'
    text = "hello"
    if entity:
        prolog += '<!DOCTYPE svg [<!ENTITY greeting "hello">]>\n'
        text = "&greeting;"
    body = (
        f'<rect x="1" y="1" width="30" height="20" fill="#c81e1e"/><text x="2" y="40">{text}</text>'
    )
    if script:
        body += "<script>alert(document.cookie)</script>"
    return (
        f'{prolog}<svg xmlns="http://www.w3.org/2000/svg" width="64" height="48" '
        f'viewBox="0 0 64 48">{body}</svg>\n'
    ).encode()


def text(lines: int = 10) -> bytes:
    return "".join(f"Line {i}: café naïve 東京\n" for i in range(1, lines + 1)).encode()


def csv(rows: int = 10) -> bytes:
    out = ["id,name,amount"]
    out += [f"{i},item {i},{i * 2.5:.2f}" for i in range(1, rows + 1)]
    return ("\n".join(out) + "\n").encode()


def elf_executable() -> bytes:
    """A minimal x86-64 ELF executable header (ELF64 header plus one PT_LOAD program header)."""
    header = struct.pack(
        "<4sBBBBB7sHHIQQQIHHHHHH",
        b"\x7fELF",
        2,  # 64-bit
        1,  # little-endian
        1,  # ELF version
        0,  # System V ABI
        0,
        b"\x00" * 7,
        2,  # ET_EXEC
        0x3E,  # x86-64
        1,
        0x400078,  # entry point
        64,  # program headers right after this header
        0,
        0,
        64,
        56,
        1,
        64,
        0,
        0,
    )
    program = struct.pack("<IIQQQQQQ", 1, 5, 0, 0x400000, 0x400000, 0x80, 0x80, 0x1000)
    # A body of "exit(0)": mov edi, 0; mov eax, 60; syscall.
    body = b"\xbf\x00\x00\x00\x00\xb8\x3c\x00\x00\x00\x0f\x05"
    return header + program + body


# ---------------------------------------------------------------------------------------------
# Audio


def _tone(seconds: float, rate: int, tone_hz: float) -> bytes:
    count = round(seconds * rate)
    step = 2 * math.pi * tone_hz / rate
    return b"".join(struct.pack("<h", int(12000 * math.sin(i * step))) for i in range(count))


def wav(seconds: float = 1.0, rate: int = 16000, tone_hz: float = 440) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(_tone(seconds, rate, tone_hz))
    return out.getvalue()


def _encode(
    container_format: str,
    codec: str,
    seconds: float,
    rate: int,
    tone_hz: float = 440,
    options: Mapping[str, str] | None = None,
    layout: str = "mono",
) -> bytes:
    return _encode_pcm(
        _tone(seconds, rate, tone_hz), rate, container_format, codec, rate, layout, options
    )


def mp3(seconds: float = 1.0) -> bytes:
    return _encode("mp3", "libmp3lame", seconds, 44100)


def ogg_opus(seconds: float = 1.0) -> bytes:
    return _encode("ogg", "libopus", seconds, 48000)


def ogg_vorbis(seconds: float = 1.0) -> bytes:
    # FFmpeg's own Vorbis encoder (the wheel has no libvorbis) is marked experimental and
    # only encodes stereo.
    return _encode(
        "ogg", "vorbis", seconds, 44100, options={"strict": "experimental"}, layout="stereo"
    )


def webm_opus(seconds: float = 1.0) -> bytes:
    return _encode("webm", "libopus", seconds, 48000)


def m4a_aac(seconds: float = 1.0) -> bytes:
    return _encode("ipod", "aac", seconds, 44100)


def adts_aac(seconds: float = 1.0) -> bytes:
    return _encode("adts", "aac", seconds, 44100)


def m4a_with_cover(seconds: float = 1.0) -> bytes:
    """An AAC .m4a whose iTunes cover art FFmpeg lists as a (attached picture) video stream."""
    buf = io.BytesIO(m4a_aac(seconds))
    mp4: Any = mutagen.mp4  # mutagen is untyped
    tagged = mp4.MP4(buf)
    if tagged.tags is None:
        tagged.add_tags()
    assert tagged.tags is not None
    tagged.tags["covr"] = [mp4.MP4Cover(png(16, 16), imageformat=mp4.MP4Cover.FORMAT_PNG)]
    buf.seek(0)
    tagged.save(buf)
    return buf.getvalue()


def mp4_with_video(seconds: float = 1.0, audio: bool = True) -> bytes:
    """An MP4 with a small MPEG-4 Part 2 video track (and an AAC track unless audio=False)."""
    out = io.BytesIO()
    rate = 10
    with av.open(out, "w", format="mp4") as container:
        video = container.add_stream("mpeg4", rate=rate)
        video.width, video.height, video.pix_fmt = 32, 32, "yuv420p"
        for i in range(round(seconds * rate)):
            frame = av.VideoFrame(32, 32, "yuv420p")
            for plane in frame.planes:
                plane.update(bytes([(i * 20) % 256]) * plane.buffer_size)
            frame.pts = i
            container.mux(video.encode(frame))
        container.mux(video.encode(None))
    if not audio:
        return out.getvalue()
    # Remux the video next to an AAC track from m4a_aac.
    sound = av.open(io.BytesIO(m4a_aac(seconds)), "r")
    picture = av.open(io.BytesIO(out.getvalue()), "r")
    both = io.BytesIO()
    with sound, picture, av.open(both, "w", format="mp4") as container:
        streams = {
            picture.streams.video[0]: container.add_stream_from_template(picture.streams.video[0]),
            sound.streams.audio[0]: container.add_stream_from_template(sound.streams.audio[0]),
        }
        for source in (picture, sound):
            for packet in source.demux():
                if packet.dts is None:
                    continue
                packet.stream = streams[packet.stream]
                container.mux(packet)
    return both.getvalue()


def mp3_less_than_two_frames() -> bytes:
    """An ID3 tag, then the first MPEG frame of a real MP3 and nothing after it."""
    data = mp3(1.0)
    size = (data[6] << 21) | (data[7] << 14) | (data[8] << 7) | data[9]
    start = 10 + size
    return data[: start + 100]


# ---------------------------------------------------------------------------------------------
# Damage


def truncate(data: bytes, keep_fraction: float = 0.5) -> bytes:
    return data[: int(len(data) * keep_fraction)]


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
# PDFs written by hand: pypdf cannot draw, and these need pages of known colours and geometry


def pdf_colored(
    colors: tuple[tuple[int, int, int], ...] = ((200, 30, 30),),
    width: float = 200,
    height: float = 200,
    rotate: int = 0,
    user_unit: float | None = None,
    top_color: tuple[int, int, int] | None = None,
) -> bytes:
    """One page per colour, each filled with it; top_color, if given, fills each page's top
    half (in page space, before /Rotate) so that rotation shows."""
    pages = []
    for color in colors:
        content = f"{_pdf_rgb(color)} rg 0 0 {width:g} {height:g} re f\n"
        if top_color is not None:
            content += f"{_pdf_rgb(top_color)} rg 0 {height / 2:g} {width:g} {height / 2:g} re f\n"
        entries = f"/MediaBox [0 0 {width:g} {height:g}]"
        if rotate:
            entries += f" /Rotate {rotate}"
        if user_unit is not None:
            entries += f" /UserUnit {user_unit:g}"
        pages.append((entries, content.encode()))
    return _pdf_document(pages)


def _pdf_rgb(color: tuple[int, int, int]) -> str:
    return " ".join(f"{c / 255:.4f}" for c in color)


def _pdf_document(pages: list[tuple[str, bytes]]) -> bytes:
    """Catalog (1), page tree (2), then per page (its dictionary's entries, its content) a
    page object and its content stream, and an exact cross-reference table."""
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(len(pages)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode(),
    ]
    for i, (entries, content) in enumerate(pages):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R {entries} /Resources << >> "
            f"/Contents {4 + 2 * i} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


# ---------------------------------------------------------------------------------------------
# Speech: voice messages as people send them, and files whose headers lie about their length

SPEECH_TEXT = (
    "Hello, this is a voice message about the delivery on Thursday. The parcel is at the "
    "front desk, and the invoice number is four two seven one. Please call me back when you can."
)
# espeak-ng writes 16-bit mono PCM at this rate.
SPEECH_RATE = 22050
_SPEECH_GAP_SECONDS = 0.3  # between repeats of the text, as a speaker would pause


def speech_wav(text: str = SPEECH_TEXT, seconds: float | None = None) -> bytes:
    """Speech synthesised by espeak-ng (formants, syllables and pauses, which a tone lacks),
    repeated after a short pause and cut to last exactly `seconds` when given."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = f"{tmp}/speech.wav"
        subprocess.run(["espeak-ng", "-w", path, "-s", "150", text], check=True)
        with wave.open(path, "rb") as w:
            rate, width, channels = w.getframerate(), w.getsampwidth(), w.getnchannels()
            pcm = w.readframes(w.getnframes())
    if seconds is not None:
        frame_bytes = width * channels
        wanted = round(seconds * rate) * frame_bytes
        gap = bytes(round(_SPEECH_GAP_SECONDS * rate) * frame_bytes)
        spoken = pcm
        while len(pcm) < wanted:
            pcm += gap + spoken
        pcm = pcm[:wanted]
    return _wav_bytes(pcm, rate, width, channels)


def _wav_bytes(pcm: bytes, rate: int, width: int = 2, channels: int = 1) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(pcm)
    return out.getvalue()


SPEECH_PEAK_DBFS = -3.0  # a phone's recording level; espeak-ng's own output touches 0 dBFS


def _speech_pcm(seconds: float, peak_dbfs: float = SPEECH_PEAK_DBFS) -> bytes:
    """16-bit mono PCM at SPEECH_RATE whose loudest sample is at peak_dbfs. Full-scale
    speech would clip in every lossy encoder (and in resampling), which real recordings
    leave headroom against."""
    import array

    data = speech_wav(SPEECH_TEXT, seconds)
    with wave.open(io.BytesIO(data), "rb") as w:
        samples = array.array("h")
        samples.frombytes(w.readframes(w.getnframes()))
    loudest = max(max(samples), -min(samples), 1)
    factor = 32767 * 10 ** (peak_dbfs / 20) / loudest
    return array.array("h", (round(s * factor) for s in samples)).tobytes()


# format -> (muxer, encoder, sample rate, layout, encoder options): what phones and browsers
# record voice messages as.
SPEECH_FORMATS: dict[str, tuple[str, str, int, str, dict[str, str]]] = {
    "mp3": ("mp3", "libmp3lame", 44100, "mono", {}),
    "ogg_opus": ("ogg", "libopus", 48000, "mono", {}),
    # FFmpeg's own Vorbis encoder only encodes stereo (see ogg_vorbis above).
    "ogg_vorbis": ("ogg", "vorbis", 44100, "stereo", {"strict": "experimental"}),
    "webm_opus": ("webm", "libopus", 48000, "mono", {}),
    "m4a_aac": ("ipod", "aac", 44100, "mono", {}),
}


class _Unseekable(io.RawIOBase):
    """A write-only sink that cannot seek back, like the stream a browser's MediaRecorder
    hands its chunks to: a muxer cannot go back to fill in the duration."""

    def __init__(self) -> None:
        self.data = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        self.data += b
        return len(b)

    def getvalue(self) -> bytes:
        return bytes(self.data)


def _encode_pcm(
    pcm: bytes,
    rate: int,
    muxer: str,
    encoder: str,
    out_rate: int,
    layout: str = "mono",
    options: Mapping[str, str] | None = None,
    container_options: Mapping[str, str] | None = None,
    sink: io.BytesIO | _Unseekable | None = None,
) -> bytes:
    """16-bit mono PCM at `rate`, resampled and encoded into `muxer` with PyAV, written to
    sink (a seekable buffer unless given)."""
    out = io.BytesIO() if sink is None else sink
    with av.open(out, "w", format=muxer, options=dict(container_options or {})) as container:
        stream = container.add_stream(encoder, rate=out_rate, options=dict(options or {}))
        assert isinstance(stream, av.AudioStream)
        stream.layout = layout
        ctx = stream.codec_context
        source = av.AudioFrame(format="s16", layout="mono", samples=len(pcm) // 2)
        source.planes[0].update(pcm)
        source.sample_rate = rate
        source.pts = 0
        resampler = av.AudioResampler(format=ctx.format, layout=layout, rate=out_rate)
        fifo = av.AudioFifo()
        for converted in [*resampler.resample(source), *resampler.resample(None)]:
            fifo.write(converted)
        for frame in fifo.read_many(ctx.frame_size or 1024, partial=True):
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return out.getvalue()


def speech(fmt: str, seconds: float, peak_dbfs: float = SPEECH_PEAK_DBFS) -> bytes:
    """`seconds` of speech as "wav" (espeak-ng's 22.05 kHz mono PCM) or one of
    SPEECH_FORMATS, its loudest sample at peak_dbfs (lower for a quiet speaker)."""
    pcm = _speech_pcm(seconds, peak_dbfs)
    if fmt == "wav":
        return _wav_bytes(pcm, SPEECH_RATE)
    muxer, encoder, rate, layout, options = SPEECH_FORMATS[fmt]
    return _encode_pcm(pcm, SPEECH_RATE, muxer, encoder, rate, layout, options)


def silence(fmt: str, seconds: float) -> bytes:
    """Digital silence in any format speech() knows."""
    pcm = bytes(round(seconds * SPEECH_RATE) * 2)
    if fmt == "wav":
        return _wav_bytes(pcm, SPEECH_RATE)
    muxer, encoder, rate, layout, options = SPEECH_FORMATS[fmt]
    return _encode_pcm(pcm, SPEECH_RATE, muxer, encoder, rate, layout, options)


def webm_opus_without_duration(seconds: float) -> bytes:
    """Opus in WebM as MediaRecorder writes it: a live stream whose Segment Info has no
    Duration element (and no Cues), since the length is unknown when the header is written."""
    return _encode_pcm(
        _speech_pcm(seconds),
        SPEECH_RATE,
        "webm",
        "libopus",
        48000,
        container_options={"live": "1"},
        sink=_Unseekable(),
    )


def mp3_vbr_without_xing(seconds: float) -> bytes:
    """A VBR MP3 (LAME -V 4: each frame at the bitrate it needs) with no Xing/Info frame, so
    readers that take the first frame's bitrate guess the duration from the file size."""
    return _encode_pcm(
        _speech_pcm(seconds),
        SPEECH_RATE,
        "mp3",
        "libmp3lame",
        44100,
        # FF_QP2LAMBDA (118) x 4: LAME's -V 4, as `ffmpeg -q:a 4` sets it.
        options={"flags": "+qscale", "global_quality": str(4 * 118)},
        container_options={"write_xing": "0"},
    )


def mp3_with_lying_xing(claimed_seconds: float, real_seconds: float) -> bytes:
    """A CBR MP3 of `real_seconds` whose Xing/Info frame count claims `claimed_seconds`."""
    data = bytearray(
        _encode_pcm(_speech_pcm(real_seconds), SPEECH_RATE, "mp3", "libmp3lame", 44100)
    )
    for tag in (b"Xing", b"Info"):
        at = data.find(tag)
        if at >= 0:
            break
    else:
        raise AssertionError("the encoder wrote no Xing/Info frame")
    flags = int.from_bytes(data[at + 4 : at + 8], "big")
    assert flags & 1, "the Xing frame has no frame count"
    # An MPEG-1 Layer III frame holds 1152 samples.
    data[at + 8 : at + 12] = round(claimed_seconds * 44100 / 1152).to_bytes(4, "big")
    return bytes(data)


def wav_with_lying_header(real_seconds: float, claimed_seconds: float) -> bytes:
    """Speech whose data chunk size (and RIFF size) claims `claimed_seconds` while the file
    holds `real_seconds` of samples after the header."""
    data = bytearray(speech("wav", real_seconds))
    at = data.find(b"data", 12)
    claimed_bytes = round(claimed_seconds * SPEECH_RATE) * 2
    data[at + 4 : at + 8] = claimed_bytes.to_bytes(4, "little")
    data[4:8] = (at + 8 + claimed_bytes - 8).to_bytes(4, "little")
    return bytes(data)


def mp3_joined_at_two_rates(seconds_each: float = 1.0) -> bytes:
    """Two MP3s end to end, speech at 44.1 kHz then at 22.05 kHz, as tools that join files by
    concatenating them leave them: the sample rate changes part-way through the stream."""
    pcm = _speech_pcm(seconds_each)
    second = _encode_pcm(
        pcm,
        SPEECH_RATE,
        "mp3",
        "libmp3lame",
        22050,
        container_options={"write_xing": "0", "id3v2_version": "0"},
    )
    return speech("mp3", seconds_each) + second
