from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from mediagate.inspect.facts import ImageFacts, ProbeLimits
from mediagate.reasons import Reason
from tests.samples import damage, images
from tests.unit.inspect.probing import ALL_IMAGE_FORMATS, only, probe, reasons


def test_a_jpeg_gives_its_size_and_no_findings(tmp_path: Path) -> None:
    facts = probe(tmp_path, images.jpeg(64, 48))
    assert facts.mime_type == "image/jpeg"
    assert facts.findings == []
    assert facts.image == ImageFacts(64, 48, 1, False, 0, "JPEG")


def test_exif_orientation_is_read_and_gps_does_not_disturb_it(tmp_path: Path) -> None:
    facts = probe(tmp_path, images.jpeg(exif_orientation=6, gps=True))
    assert facts.findings == []
    assert facts.image is not None and facts.image.exif_orientation == 6


def test_a_progressive_jpeg_is_walked_through_all_its_scans(tmp_path: Path) -> None:
    out = io.BytesIO()
    Image.new("RGB", (120, 80), (9, 99, 199)).save(out, "JPEG", progressive=True)
    facts = probe(tmp_path, out.getvalue())
    assert facts.findings == []
    assert facts.image is not None and (facts.image.width, facts.image.height) == (120, 80)


@pytest.mark.parametrize(
    ("mode", "alpha"), [("RGB", False), ("RGBA", True), ("L", False), ("P", False)]
)
def test_a_png_gives_its_facts(tmp_path: Path, mode: str, alpha: bool) -> None:
    facts = probe(tmp_path, images.png(40, 30, mode))
    assert facts.findings == []
    assert facts.image == ImageFacts(40, 30, 1, alpha, 0, "PNG")


def test_a_palette_png_with_transparency_has_alpha(tmp_path: Path) -> None:
    out = io.BytesIO()
    Image.new("P", (8, 8), 0).save(out, "PNG", transparency=0)
    facts = probe(tmp_path, out.getvalue())
    assert facts.findings == []
    assert facts.image is not None and facts.image.has_alpha


def test_an_interlaced_png_has_its_rows_counted_per_pass(tmp_path: Path) -> None:
    # Pillow cannot write Adam7; a PNG of 13x7 one-byte pixels built by hand exercises the
    # pass arithmetic (some passes have no columns).
    width, height = 13, 7
    passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4)]
    passes += [(1, 0, 2, 2), (0, 1, 1, 2)]
    raw = b""
    for x0, y0, dx, dy in passes:
        cols = len(range(x0, width, dx))
        rows = len(range(y0, height, dy))
        if cols:
            raw += (b"\x00" + b"\x80" * cols) * rows
    png = b"\x89PNG\r\n\x1a\n"
    for kind, body in (
        (b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 1)),
        (b"IDAT", zlib.compress(raw)),
        (b"IEND", b""),
    ):
        png += struct.pack(">I", len(body)) + kind + body
        png += struct.pack(">I", zlib.crc32(kind + body))
    facts = probe(tmp_path, png)
    assert facts.findings == []
    # One byte short of what the passes need is damage.
    short = png.replace(zlib.compress(raw), zlib.compress(raw[:-1]))
    short_facts = probe(tmp_path, _fix_crcs(short))
    assert reasons(short_facts) == [Reason.CORRUPT]


def _fix_crcs(png: bytes) -> bytes:
    out, pos = png[:8], 8
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind_and_body = png[pos + 4 : pos + 8 + length]
        out += png[pos : pos + 8 + length] + struct.pack(">I", zlib.crc32(kind_and_body))
        pos += 12 + length
    return out


def test_a_png_claiming_ten_gigapixels_is_refused_without_decoding(tmp_path: Path) -> None:
    facts = probe(tmp_path, images.png_claiming(100_000, 100_000))
    finding = only(facts, Reason.TOO_MANY_PIXELS)
    assert finding.metadata["limit"] == str(ProbeLimits().max_pixels)
    assert finding.metadata["actual"] == str(100_000 * 100_000)
    assert finding.metadata["detected_mime_type"] == "image/png"
    # The size comes from the header, so policy still sees what was claimed.
    assert facts.image is not None and (facts.image.width, facts.image.height) == (100_000, 100_000)


@pytest.mark.parametrize(
    "make",
    [images.jpeg, images.png, images.webp, lambda: images.gif_animated(2, 64, 48)],
    ids=["jpeg", "png", "webp", "gif"],
)
def test_every_format_holds_the_pixel_cap(tmp_path: Path, make: Callable[[], bytes]) -> None:
    facts = probe(tmp_path, make(), ProbeLimits(max_pixels=1000))
    finding = only(facts, Reason.TOO_MANY_PIXELS)
    assert finding.metadata["limit"] == "1000"
    assert finding.metadata["actual"] == str(64 * 48)


def test_a_truncated_jpeg_is_truncated(tmp_path: Path) -> None:
    only(probe(tmp_path, damage.truncate(images.jpeg(200, 150), 0.6)), Reason.TRUNCATED)


def test_a_truncated_png_is_truncated(tmp_path: Path) -> None:
    only(probe(tmp_path, damage.truncate(images.png(200, 150), 0.6)), Reason.TRUNCATED)


def test_a_png_without_iend_is_truncated(tmp_path: Path) -> None:
    finding = only(probe(tmp_path, images.png()[:-12]), Reason.TRUNCATED)
    assert finding.metadata["part"] == "IEND"


def test_a_png_chunk_with_a_bad_crc_is_corrupt(tmp_path: Path) -> None:
    finding = only(probe(tmp_path, images.png_with_bad_crc()), Reason.CORRUPT)
    assert finding.metadata["part"] == "IHDR"


def test_a_png_whose_image_data_is_not_zlib_is_corrupt(tmp_path: Path) -> None:
    finding = only(probe(tmp_path, images.png_with_corrupt_data()), Reason.CORRUPT)
    assert finding.metadata["part"] == "IDAT"


def test_png_text_chunks_that_inflate_past_the_limit_are_a_bomb(tmp_path: Path) -> None:
    data = images.png_with_text_bomb(chunks=3, chunk_bytes=4 * 1024 * 1024)
    finding = only(probe(tmp_path, data), Reason.DECOMPRESSION_BOMB)
    assert finding.metadata["part"] == "zTXt"
    # With a ratio limit out of the way, the total budget still stops it.
    lenient = ProbeLimits(max_compression_ratio=1e9, max_metadata_bytes=10 * 1024 * 1024)
    finding = only(probe(tmp_path, data, lenient), Reason.DECOMPRESSION_BOMB)
    assert finding.metadata["limit"] == str(10 * 1024 * 1024)


def test_a_small_text_chunk_is_fine(tmp_path: Path) -> None:
    facts = probe(tmp_path, images.png_with_text_bomb(chunks=1, chunk_bytes=10_000))
    assert facts.findings == []


def test_a_zip_after_iend_is_a_polyglot(tmp_path: Path) -> None:
    finding = only(probe(tmp_path, images.png_with_zip_appended()), Reason.POLYGLOT)
    assert finding.metadata["part"] == "after IEND"
    assert finding.metadata["kind"] == "application/zip"


def test_zero_padding_after_the_end_is_not_a_polyglot(tmp_path: Path) -> None:
    assert probe(tmp_path, images.png() + b"\x00" * 200_000).findings == []
    assert probe(tmp_path, images.jpeg() + b"\r\n").findings == []


def test_php_in_a_jpeg_comment_is_a_polyglot(tmp_path: Path) -> None:
    finding = only(probe(tmp_path, images.jpeg_with_php_comment()), Reason.POLYGLOT)
    assert finding.metadata["part"] == "COM"
    assert finding.metadata["kind"] == "php"


def test_a_script_in_an_app_segment_is_a_polyglot(tmp_path: Path) -> None:
    jpeg = images.jpeg()
    payload = b"<script>alert(1)</script>"
    segment = b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    finding = only(probe(tmp_path, jpeg[:2] + segment + jpeg[2:]), Reason.POLYGLOT)
    assert finding.metadata == {
        "part": "APP1",
        "kind": "script",
        "detected_mime_type": "image/jpeg",
    }


def test_data_after_the_jpeg_eoi_is_a_polyglot(tmp_path: Path) -> None:
    finding = only(probe(tmp_path, images.jpeg_with_zip_appended()), Reason.POLYGLOT)
    assert finding.metadata["part"] == "after EOI"
    assert finding.metadata["kind"] == "application/zip"


def test_a_short_signature_after_the_eoi_is_still_a_polyglot(tmp_path: Path) -> None:
    finding = only(probe(tmp_path, images.jpeg() + b"MZ\x90\x00"), Reason.POLYGLOT)
    assert finding.metadata["kind"] == "pe"


def test_an_mpo_is_a_jpeg_whose_second_image_is_not_trailing_data(tmp_path: Path) -> None:
    first = Image.new("RGB", (64, 48), (255, 0, 0))
    out = io.BytesIO()
    first.save(out, "MPO", save_all=True, append_images=[Image.new("RGB", (64, 48))])
    facts = probe(tmp_path, out.getvalue())
    assert facts.findings == []
    assert facts.image == ImageFacts(64, 48, 2, False, 0, "JPEG")


def test_an_animated_gif_counts_its_frames(tmp_path: Path) -> None:
    facts = probe(tmp_path, images.gif_animated(frames=3))
    assert facts.findings == []
    assert facts.image is not None and facts.image.frame_count == 3


def test_a_gif_with_too_many_frames(tmp_path: Path) -> None:
    facts = probe(tmp_path, images.gif_animated(frames=6), ProbeLimits(max_frames=4))
    finding = only(facts, Reason.TOO_MANY_FRAMES)
    assert finding.metadata["limit"] == "4"
    assert facts.image is not None and facts.image.frame_count > 4


def test_a_gif_frame_reaching_past_its_screen_is_a_bomb(tmp_path: Path) -> None:
    finding = only(probe(tmp_path, images.gif_extents_bomb()), Reason.DECOMPRESSION_BOMB)
    assert finding.metadata["part"] == "frame 2"
    assert int(finding.metadata["actual"]) > ProbeLimits().max_pixels


def test_a_truncated_gif_is_truncated(tmp_path: Path) -> None:
    only(probe(tmp_path, damage.truncate(images.gif_animated(4, 64, 64), 0.7)), Reason.TRUNCATED)


def test_data_after_the_gif_trailer_is_a_polyglot(tmp_path: Path) -> None:
    data = images.gif_animated() + b"<?php system($_GET['c']); ?>"
    finding = only(probe(tmp_path, data), Reason.POLYGLOT)
    assert finding.metadata["kind"] == "text/x-php"


def test_a_webp_gives_its_facts(tmp_path: Path) -> None:
    facts = probe(tmp_path, images.webp(64, 48))
    assert facts.findings == []
    assert facts.image == ImageFacts(64, 48, 1, False, 0, "WEBP")


def test_a_truncated_webp_is_truncated(tmp_path: Path) -> None:
    only(probe(tmp_path, damage.truncate(images.webp(200, 100), 0.5)), Reason.TRUNCATED)


def test_tiff_is_probed_only_when_the_profile_allows_it(tmp_path: Path) -> None:
    data = images.tiff(32, 32, frames=3)
    assert probe(tmp_path, data).image is None
    facts = probe(tmp_path, data, ALL_IMAGE_FORMATS)
    assert facts.findings == []
    assert facts.image == ImageFacts(32, 32, 3, False, 0, "TIFF")


def test_a_tiff_with_too_many_frames(tmp_path: Path) -> None:
    limits = ProbeLimits(max_frames=2, image_formats=("TIFF",))
    only(probe(tmp_path, images.tiff(frames=4), limits), Reason.TOO_MANY_FRAMES)


def test_a_damaged_tiff_is_corrupt_not_an_exception(tmp_path: Path) -> None:
    data = bytearray(images.tiff(32, 32))
    # Point the first IFD past the end of the file.
    data[4:8] = struct.pack("<I", len(data) + 1000)
    facts = probe(tmp_path, bytes(data), ALL_IMAGE_FORMATS)
    assert reasons(facts) in ([Reason.CORRUPT], [Reason.TRUNCATED])


def test_pillow_is_never_asked_to_guess_the_format(tmp_path: Path) -> None:
    # TIFF has no structure walk, so only Pillow sees these bytes; left to guess, it would
    # happily open the PNG they really are.
    facts = probe(tmp_path, images.png(), ProbeLimits(image_formats=("TIFF",)), "image/tiff")
    only(facts, Reason.CORRUPT)
