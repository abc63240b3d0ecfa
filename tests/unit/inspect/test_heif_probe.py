"""HEIC, HEIF and AVIF: the type from the brands, the facts from the container (no pixel
decoding), and damage found by the box walk."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from mediagate.inspect.facts import ImageFacts, ProbeLimits
from mediagate.inspect.heif_brands import heif_type
from mediagate.inspect.sniff import sniff
from mediagate.policy.profiles import WEB_MESSAGING
from mediagate.reasons import Reason
from tests.samples import images
from tests.unit.inspect.probing import only, probe

LIMITS = WEB_MESSAGING.probe_limits()
KINDS = [("HEIF", "image/heic", "HEIF"), ("AVIF", "image/avif", "AVIF")]


def _rebranded(data: bytes, major: bytes, compatible: list[bytes]) -> bytes:
    """The file with another ftyp box: brands are all that tell HEIF kinds apart."""
    (size,) = struct.unpack(">I", data[:4])
    body = major + b"\0\0\0\0" + b"".join(compatible)
    return struct.pack(">I", 8 + len(body)) + b"ftyp" + body + data[size:]


@pytest.mark.parametrize(("fmt", "mime", "pillow"), KINDS)
def test_a_photo_is_detected_and_described(
    tmp_path: Path, fmt: str, mime: str, pillow: str
) -> None:
    facts = probe(tmp_path, images.heif_photo(fmt, 64, 48), LIMITS)
    assert facts.mime_type == mime
    assert facts.findings == []
    assert facts.image is not None
    assert (facts.image.width, facts.image.height, facts.image.frame_count) == (64, 48, 1)
    assert facts.image.format == pillow
    assert not facts.image.has_alpha


@pytest.mark.parametrize(("fmt", "mime", "pillow"), KINDS)
def test_alpha_is_reported(tmp_path: Path, fmt: str, mime: str, pillow: str) -> None:
    facts = probe(tmp_path, images.heif_photo(fmt, mode="RGBA"), LIMITS)
    assert facts.findings == []
    assert facts.image is not None and facts.image.has_alpha


def test_a_heic_is_reported_as_displayed_since_libheif_applies_its_rotation(
    tmp_path: Path,
) -> None:
    # The writer turned EXIF Orientation 6 into irot; libheif turns the pixels while decoding,
    # so the facts are the upright size and orientation 1.
    facts = probe(tmp_path, images.heic(width=64, height=48, exif_orientation=6), LIMITS)
    assert facts.findings == []
    assert facts.image == ImageFacts(48, 64, 1, False, 1, "HEIF")


def test_an_avif_reports_its_rotation_as_the_exif_orientation(tmp_path: Path) -> None:
    # Pillow's AVIF plugin leaves the pixels as stored and says irot 270 as Orientation 6.
    facts = probe(tmp_path, images.avif(width=64, height=48, exif_orientation=6), LIMITS)
    assert facts.findings == []
    assert facts.image == ImageFacts(64, 48, 1, False, 6, "AVIF")


@pytest.mark.parametrize(("fmt", "mime", "pillow"), KINDS)
def test_a_burst_or_sequence_counts_its_images_against_max_frames(
    tmp_path: Path, fmt: str, mime: str, pillow: str
) -> None:
    data = images.heif_photo(fmt, 32, 32, frames=3)
    facts = probe(tmp_path, data, LIMITS)
    assert facts.findings == []
    assert facts.image is not None and facts.image.frame_count == 3
    limits = ProbeLimits(max_frames=2, image_formats=LIMITS.image_formats)
    assert only(probe(tmp_path, data, limits), Reason.TOO_MANY_FRAMES).metadata["limit"] == "2"


@pytest.mark.parametrize(("fmt", "mime", "pillow"), KINDS)
def test_the_pixel_cap_is_read_from_the_container(
    tmp_path: Path, fmt: str, mime: str, pillow: str
) -> None:
    limits = ProbeLimits(max_pixels=640 * 480 - 1, image_formats=LIMITS.image_formats)
    facts = probe(tmp_path, images.heif_photo(fmt, 640, 480), limits)
    finding = only(facts, Reason.TOO_MANY_PIXELS)
    assert finding.metadata["actual"] == str(640 * 480)
    assert facts.image is not None and (facts.image.width, facts.image.height) == (640, 480)
    # One pixel more room and it passes.
    limits = ProbeLimits(max_pixels=640 * 480, image_formats=LIMITS.image_formats)
    assert probe(tmp_path, images.heif_photo(fmt, 640, 480), limits).findings == []


@pytest.mark.parametrize(("fmt", "mime", "pillow"), KINDS)
@pytest.mark.parametrize("keep", [0.98, 0.5, 0.2])
def test_a_truncated_photo_is_truncated(
    tmp_path: Path, fmt: str, mime: str, pillow: str, keep: float
) -> None:
    data = images.heif_photo(fmt, 320, 240)
    cut = data[: int(len(data) * keep)]
    facts = probe(tmp_path, cut, LIMITS)
    assert facts.mime_type == mime
    finding = only(facts, Reason.TRUNCATED)
    assert finding.metadata["actual"] == str(len(cut))


@pytest.mark.parametrize(("fmt", "mime", "pillow"), KINDS)
def test_a_file_appended_to_a_photo_is_a_polyglot(
    tmp_path: Path, fmt: str, mime: str, pillow: str
) -> None:
    data = images.heif_photo(fmt) + b"%PDF-1.4\n1 0 obj << >> endobj\n" * 4
    only(probe(tmp_path, data, LIMITS), Reason.POLYGLOT)


@pytest.mark.parametrize(("fmt", "mime", "pillow"), KINDS)
def test_a_photo_with_a_damaged_container_is_corrupt(
    tmp_path: Path, fmt: str, mime: str, pillow: str
) -> None:
    data = bytearray(images.heif_photo(fmt))
    meta = data.index(b"meta")
    data[meta + 8 : meta + 40] = b"\xff" * 32  # hdlr and what follows, overwritten
    facts = probe(tmp_path, bytes(data), LIMITS)
    assert facts.mime_type == mime
    only(facts, Reason.CORRUPT)


@pytest.mark.parametrize(
    ("major", "compatible", "expected"),
    [
        (b"heic", [b"mif1", b"heic"], "image/heic"),
        (b"heix", [b"mif1"], "image/heic"),
        # libmagic: image/heif (it reads the major brand only).
        (b"mif1", [b"mif1", b"heic"], "image/heic"),
        (b"mif1", [b"mif1", b"avif"], "image/avif"),
        (b"avis", [b"avis", b"msf1"], "image/avif"),
        (b"mif1", [b"mif1"], "image/heif"),
        # libmagic: application/octet-stream, "ISO Media".
        (b"MiHE", [b"mif1", b"heic"], "image/heic"),
    ],
)
def test_the_brands_refine_what_libmagic_says(
    major: bytes, compatible: list[bytes], expected: str
) -> None:
    data = _rebranded(images.heic(), major, compatible)
    assert heif_type(data) == expected
    assert sniff(data).mime_type == expected


def test_other_iso_media_is_left_to_libmagic() -> None:
    m4a = b"\0\0\0\x1cftypM4A \0\0\0\0M4A mp42isom\0\0\0\x08free"
    assert heif_type(m4a) is None
    assert heif_type(b"\0\0\0\x0cftypheic"[:11]) is None  # too short to hold a brand


@pytest.mark.parametrize(
    ("fmt", "name", "expected"),
    [("HEIF", "IMG_0001.HEIC", "image/heic"), ("AVIF", "photo.avif", "image/avif")],
)
def test_libmagic_and_the_brands_agree_on_real_files(fmt: str, name: str, expected: str) -> None:
    data = images.heif_photo(fmt)
    assert sniff(data).mime_type == expected
    assert "ISO Media" in sniff(data).description
