"""The real files mutations start from: one or more per family the server inspects, made by
tests/samples/ once a session and kept to a few KiB.

Small seeds matter twice: a parser meets its structure within the first few mutations rather
than spending them in pixel or sample data, and each example costs a worker little time.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from mediagate.media.mime import DOCX, PPTX, XLSX
from tests.samples import archives, audio, images, legacy_office, office, pdfs, phones, texts


@dataclass(frozen=True)
class Seed:
    build: Callable[[], bytes]
    mime: str  # the type the server stores it as (probe and renderer dispatch on it)
    file_name: str  # what a caller would call it


# An MP4 of a ftyp box and an empty-ish mdat: what a Motion Photo's trailer must start with,
# small enough for a seed.
_TINY_MP4 = b"\x00\x00\x00\x14ftypisom\x00\x00\x02\x00isom" + b"\x00\x00\x00\x18mdat" + bytes(16)

SEEDS: dict[str, Seed] = {
    "jpeg": Seed(lambda: images.jpeg(32, 24, exif_orientation=6, gps=True), "image/jpeg", "a.jpg"),
    "jpeg_icc": Seed(lambda: images.jpeg_with_metadata(16, 16), "image/jpeg", "b.jpeg"),
    "jpeg_cmyk": Seed(lambda: images.jpeg_cmyk(16, 16), "image/jpeg", "c.jpg"),
    "png": Seed(lambda: images.png_palette_transparent(16, 12), "image/png", "a.png"),
    "png_ztxt": Seed(
        lambda: images.png_with_text_bomb(chunks=1, chunk_bytes=2048), "image/png", "b.png"
    ),
    "apng": Seed(lambda: images.apng(2, 8, 8), "image/png", "c.png"),
    "gif": Seed(lambda: images.gif_animated(2, 8, 8), "image/gif", "a.gif"),
    "webp": Seed(lambda: images.webp(16, 12), "image/webp", "a.webp"),
    "webp_animated": Seed(lambda: images.webp_animated(2, 8, 8), "image/webp", "b.webp"),
    "tiff": Seed(lambda: images.tiff(8, 8, frames=2), "image/tiff", "a.tiff"),
    "pdf": Seed(lambda: pdfs.pdf(2, javascript=True), "application/pdf", "a.pdf"),
    "pdf_drawn": Seed(
        lambda: pdfs.pdf_colored(((200, 30, 30), (30, 30, 200))), "application/pdf", "b.pdf"
    ),
    "pdf_encrypted": Seed(lambda: pdfs.pdf(1, user_password="secret"), "application/pdf", "c.pdf"),
    "docx": Seed(office.docx, DOCX, "a.docx"),
    "xlsx": Seed(office.xlsx, XLSX, "a.xlsx"),
    "pptx": Seed(office.pptx, PPTX, "a.pptx"),
    "zip": Seed(archives.zip_archive, "application/zip", "a.zip"),
    "doc": Seed(legacy_office.doc, "application/msword", "a.doc"),
    "heic": Seed(lambda: images.heic(width=16, height=12), "image/heic", "a.heic"),
    "avif": Seed(lambda: images.avif(width=16, height=12), "image/avif", "a.avif"),
    "motion_photo": Seed(lambda: phones.motion_photo(_TINY_MP4), "image/jpeg", "PXL.MP.jpg"),
    "svg": Seed(texts.svg, "image/svg+xml", "a.svg"),
    "text": Seed(lambda: texts.text(5), "text/plain", "a.txt"),
    "csv": Seed(lambda: texts.csv(5), "text/csv", "a.csv"),
    "wav": Seed(lambda: audio.wav(0.1, 8000), "audio/wav", "a.wav"),
    "mp3": Seed(lambda: audio.mp3(0.2), "audio/mpeg", "a.mp3"),
    "ogg_opus": Seed(lambda: audio.ogg_opus(0.2), "audio/ogg", "a.opus"),
    "ogg_vorbis": Seed(lambda: audio.ogg_vorbis(0.1), "audio/ogg", "b.ogg"),
    "webm_opus": Seed(lambda: audio.webm_opus(0.2), "audio/webm", "a.webm"),
    "m4a": Seed(lambda: audio.m4a_aac(0.2), "audio/mp4", "a.m4a"),
    "m4a_cover": Seed(lambda: audio.m4a_with_cover(0.1), "audio/mp4", "b.m4a"),
    "adts": Seed(lambda: audio.adts_aac(0.2), "audio/aac", "a.aac"),
}

NAMES = tuple(SEEDS)


@functools.cache
def seed_bytes(name: str) -> bytes:
    """The seed's bytes, made on first use and kept for the session (encoders are slow)."""
    return SEEDS[name].build()


def names_of(*mimes: str) -> tuple[str, ...]:
    """The seeds stored as one of these types."""
    return tuple(name for name, seed in SEEDS.items() if seed.mime in mimes)
