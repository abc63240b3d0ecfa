"""Each stripper on real files: metadata out, Orientation and ICC in, the same pixels, smaller
files; files without metadata untouched; broken files refused, never half-written."""

from __future__ import annotations

import io
import struct
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from mediagate.store.records import MetadataItem
from mediagate.strip.clean import known_clean
from mediagate.strip.entry import strip_in_worker
from mediagate.strip.jpeg import strip_jpeg
from mediagate.strip.pdf import find_pdf_metadata
from mediagate.strip.png import strip_png
from mediagate.strip.splice import StripError
from mediagate.strip.webp import strip_webp
from tests.samples import images, pdfs

Strip = Callable[[str, str], list[MetadataItem]]
GPS = 0x8825
ORIENTATION = 0x0112


def run(tmp_path: Path, strip: Strip, data: bytes) -> tuple[list[MetadataItem], Path, Path]:
    src, dst = tmp_path / "in", tmp_path / "out"
    src.write_bytes(data)
    return strip(str(src), str(dst)), src, dst


def kinds(items: list[MetadataItem]) -> dict[str, int]:
    assert all(item.removed for item in items)
    return {item.kind: item.size_bytes for item in items}


def same_pixels(a: Path, b: Path) -> None:
    with Image.open(a) as before, Image.open(b) as after:
        assert (before.mode, before.size) == (after.mode, after.size)
        assert before.tobytes() == after.tobytes()


def exif_of(path: Path) -> Image.Exif:
    with Image.open(path) as img:
        return img.getexif()


# --- JPEG -------------------------------------------------------------------------------------


@pytest.mark.parametrize("progressive", [False, True])
def test_jpeg_loses_gps_exif_xmp_and_comment_and_keeps_orientation_and_icc(
    tmp_path: Path, progressive: bool
) -> None:
    data = images.jpeg_phone(exif_orientation=6, progressive=progressive)
    items, src, dst = run(tmp_path, strip_jpeg, data)
    found = kinds(items)
    assert set(found) == {"exif", "exif-gps", "xmp", "comment"}
    assert found["comment"] == 4 + len(b"taken at home")
    same_pixels(src, dst)
    out = dst.read_bytes()
    assert len(out) < len(data)
    assert b"Pixel 8" not in out and b"taken at home" not in out and b"xap/1.0" not in out
    exif = exif_of(dst)
    assert dict(exif) == {ORIENTATION: 6}
    assert exif.get_ifd(GPS) == {}
    with Image.open(dst) as img:
        assert img.info["icc_profile"] == images.srgb_icc()
        assert "comment" not in img.info and "xmp" not in img.info


def test_jpeg_without_orientation_loses_its_whole_exif(tmp_path: Path) -> None:
    items, src, dst = run(tmp_path, strip_jpeg, images.jpeg(gps=True))
    assert set(kinds(items)) == {"exif", "exif-gps"}
    same_pixels(src, dst)
    assert b"Exif\x00\x00" not in dst.read_bytes()


@pytest.mark.parametrize(
    "make",
    [images.jpeg, lambda: images.jpeg(exif_orientation=6), images.jpeg_cmyk],
    ids=["plain", "orientation-only", "cmyk-adobe"],
)
def test_jpeg_without_metadata_is_left_alone(tmp_path: Path, make: Callable[[], bytes]) -> None:
    items, _, dst = run(tmp_path, strip_jpeg, make())
    assert items == []
    assert not dst.exists()


def test_jpeg_trailer_is_removed(tmp_path: Path) -> None:
    data, offset = images.jpeg_with_motion_photo()
    src, dst = tmp_path / "in", tmp_path / "out"
    src.write_bytes(data)
    items = strip_jpeg(str(src), str(dst), offset, "motion-photo")
    assert kinds(items)["motion-photo"] == len(data) - offset
    out = dst.read_bytes()
    assert out.endswith(b"\xff\xd9") and b"ftyp" not in out
    same_pixels(src, dst)


def test_jpeg_bytes_after_eoi_go_even_unannounced(tmp_path: Path) -> None:
    photo = images.jpeg()
    items, _, dst = run(tmp_path, strip_jpeg, photo + images.jpeg(8, 8))
    assert kinds(items) == {"mpf-images": len(images.jpeg(8, 8))}
    assert dst.read_bytes() == photo


def test_jpeg_entropy_data_is_copied_byte_for_byte(tmp_path: Path) -> None:
    data = images.jpeg_phone()
    _, _, dst = run(tmp_path, strip_jpeg, data)
    out = dst.read_bytes()
    scan = data.index(b"\xff\xda")
    assert out[out.index(b"\xff\xda") :] == data[scan:]


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d[: len(d) // 2],  # cut in the image data
        lambda d: d[:30],  # cut inside a segment
        lambda d: b"\x00" + d,  # no SOI
        lambda d: d[:2] + b"\xff\xe1\x00\x01" + d[2:],  # a length under 2
        lambda d: d[:2] + b"\xff\xd8" + d[2:],  # SOI inside the image
    ],
    ids=["cut-scan", "cut-segment", "no-soi", "bad-length", "nested-soi"],
)
def test_broken_jpeg_is_refused_and_nothing_written(
    tmp_path: Path, damage: Callable[[bytes], bytes]
) -> None:
    with pytest.raises(StripError):
        run(tmp_path, strip_jpeg, damage(images.jpeg_phone()))
    assert not (tmp_path / "out").exists()


def test_rebuilt_exif_is_tiny_and_keeps_the_byte_order(tmp_path: Path) -> None:
    exif = images.phone_exif(exif_orientation=8)
    out = io.BytesIO()
    Image.new("RGB", (16, 16)).save(out, "JPEG", exif=b"Exif\x00\x00" + _big_endian(exif))
    _, _, dst = run(tmp_path, strip_jpeg, out.getvalue())
    data = dst.read_bytes()
    app1 = data.index(b"\xff\xe1")
    (length,) = struct.unpack(">H", data[app1 + 2 : app1 + 4])
    assert length == 2 + 6 + 8 + 2 + 12 + 4
    assert data[app1 + 10 : app1 + 12] == b"MM"
    assert dict(exif_of(dst)) == {ORIENTATION: 8}


def _big_endian(exif: Image.Exif) -> bytes:
    exif.endian = ">"
    return exif.tobytes()[6:]


# --- PNG --------------------------------------------------------------------------------------


def test_png_loses_text_time_and_exif_and_keeps_icc_and_orientation(tmp_path: Path) -> None:
    data = images.png_with_metadata(exif_orientation=3)
    items, src, dst = run(tmp_path, strip_png, data)
    assert set(kinds(items)) == {"png-text", "xmp", "png-time", "exif", "exif-gps"}
    same_pixels(src, dst)
    out = dst.read_bytes()
    assert len(out) < len(data)
    for kind in (b"tEXt", b"zTXt", b"iTXt", b"tIME"):
        assert kind not in out
    assert dict(exif_of(dst)) == {ORIENTATION: 3}
    with Image.open(dst) as img:
        assert img.info["icc_profile"] == images.srgb_icc()
        img.load()  # every CRC checks


def test_png_exif_without_orientation_goes_whole(tmp_path: Path) -> None:
    items, src, dst = run(tmp_path, strip_png, images.png_with_metadata())
    assert "exif" in kinds(items)
    assert b"eXIf" not in dst.read_bytes()
    same_pixels(src, dst)


@pytest.mark.parametrize(
    "make", [images.png, images.png_palette_transparent, images.apng], ids=["rgb", "trns", "apng"]
)
def test_png_without_metadata_is_left_alone(tmp_path: Path, make: Callable[[], bytes]) -> None:
    items, _, dst = run(tmp_path, strip_png, make())
    assert items == [] and not dst.exists()


@pytest.mark.parametrize(
    "damage",
    [lambda d: d[:-20], lambda d: d[:8] + b"\xff\xff\xff\xff" + d[12:], lambda d: d[4:]],
    ids=["cut", "huge-length", "no-signature"],
)
def test_broken_png_is_refused(tmp_path: Path, damage: Callable[[bytes], bytes]) -> None:
    with pytest.raises(StripError):
        run(tmp_path, strip_png, damage(images.png_with_metadata()))
    assert not (tmp_path / "out").exists()


# --- WebP -------------------------------------------------------------------------------------


def _vp8x_flags(data: bytes) -> int:
    assert data[12:16] == b"VP8X"
    return data[20]


@pytest.mark.parametrize("lossless", [False, True])
def test_webp_loses_exif_and_xmp_and_its_flags(tmp_path: Path, lossless: bool) -> None:
    data = images.webp_with_metadata(lossless=lossless)
    assert _vp8x_flags(data) & 0x0C == 0x0C
    items, src, dst = run(tmp_path, strip_webp, data)
    assert set(kinds(items)) == {"exif", "exif-gps", "xmp"}
    out = dst.read_bytes()
    assert len(out) < len(data)
    assert _vp8x_flags(out) & 0x0C == 0 and _vp8x_flags(out) & 0x20  # ICC flag stays
    assert struct.unpack("<I", out[4:8])[0] == len(out) - 8
    assert b"EXIF" not in out and b"XMP " not in out
    same_pixels(src, dst)
    with Image.open(dst) as img:
        assert img.info["icc_profile"] == images.srgb_icc()


def test_webp_keeps_orientation(tmp_path: Path) -> None:
    items, src, dst = run(tmp_path, strip_webp, images.webp_with_metadata(exif_orientation=6))
    assert "exif" in kinds(items)
    out = dst.read_bytes()
    assert _vp8x_flags(out) & 0x08 and not _vp8x_flags(out) & 0x04
    assert dict(exif_of(dst)) == {ORIENTATION: 6}
    same_pixels(src, dst)


@pytest.mark.parametrize("make", [images.webp, images.webp_animated], ids=["simple", "animated"])
def test_webp_without_metadata_is_left_alone(tmp_path: Path, make: Callable[[], bytes]) -> None:
    items, _, dst = run(tmp_path, strip_webp, make())
    assert items == [] and not dst.exists()


@pytest.mark.parametrize(
    "damage",
    [lambda d: d[:-30], lambda d: d[:4] + b"\xff\xff\xff\x7f" + d[8:], lambda d: b"RIFX" + d[4:]],
    ids=["cut", "riff-too-long", "not-riff"],
)
def test_broken_webp_is_refused(tmp_path: Path, damage: Callable[[bytes], bytes]) -> None:
    with pytest.raises(StripError):
        run(tmp_path, strip_webp, damage(images.webp_with_metadata()))


# --- PDF and the worker entry -----------------------------------------------------------------


def test_pdf_metadata_is_reported_not_removed(tmp_path: Path) -> None:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdfs.pdf_with_metadata())
    items = find_pdf_metadata(str(path))
    assert {i.kind for i in items} == {"pdf-info", "pdf-xmp"}
    assert not any(i.removed for i in items) and all(i.size_bytes > 0 for i in items)


def test_unreadable_pdf_reports_nothing(tmp_path: Path) -> None:
    path = tmp_path / "doc.pdf"
    path.write_bytes(b"%PDF-1.7\n" + b"\x00" * 100)
    assert find_pdf_metadata(str(path)) == []


def test_entry_hashes_what_it_wrote_and_leaves_other_types(tmp_path: Path) -> None:
    import hashlib

    src, dst = tmp_path / "in", tmp_path / "out"
    src.write_bytes(images.jpeg_phone())
    done = strip_in_worker(str(src), str(dst), "image/jpeg")
    assert done.changed and done.sha256 == hashlib.sha256(dst.read_bytes()).hexdigest()
    assert done.size == dst.stat().st_size
    src.write_bytes(images.gif_animated())
    assert strip_in_worker(str(src), str(tmp_path / "gif"), "image/gif").items == ()
    assert not (tmp_path / "gif").exists()


@pytest.mark.parametrize("cut", [0, 4, 7, 9, 20, 30])
def test_a_cut_exif_block_is_dropped_whole(tmp_path: Path, cut: int) -> None:
    exif = b"Exif\x00\x00" + images.phone_exif(exif_orientation=6).tobytes()[6:][:cut]
    out = io.BytesIO()
    Image.new("RGB", (16, 16)).save(out, "JPEG")
    data = out.getvalue()
    data = data[:2] + b"\xff\xe1" + struct.pack(">H", len(exif) + 2) + exif + data[2:]
    items, src, dst = run(tmp_path, strip_jpeg, data)
    assert kinds(items) == {"exif": len(exif) + 4}
    assert b"Exif" not in dst.read_bytes()
    same_pixels(src, dst)


# --- the quick look that lets a clean file skip the worker (strip/clean.py)


@pytest.mark.parametrize(
    ("make", "mime", "clean"),
    [
        (lambda: images.jpeg(64, 48), "image/jpeg", True),
        (lambda: images.jpeg(64, 48, exif_orientation=6), "image/jpeg", True),
        (lambda: images.jpeg(64, 48, gps=True), "image/jpeg", False),
        (lambda: images.jpeg_phone(), "image/jpeg", False),
        (lambda: images.png(32, 32), "image/png", True),
        (lambda: images.png_with_metadata(), "image/png", False),
        (lambda: images.webp(32, 32), "image/webp", True),
        (lambda: images.webp_with_metadata(), "image/webp", False),
        (lambda: b"\xff\xd8\xff\xe1\x00", "image/jpeg", False),  # cut short: ask the stripper
        (lambda: b"not an image", "image/png", False),
        (lambda: b"%PDF-1.4", "application/pdf", False),
    ],
)
def test_known_clean_agrees_with_the_strippers(
    tmp_path: Path, make: Callable[[], bytes], mime: str, clean: bool
) -> None:
    path = tmp_path / "in"
    path.write_bytes(make())
    assert known_clean(str(path), mime) is clean
