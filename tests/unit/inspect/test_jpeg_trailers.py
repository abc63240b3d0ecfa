"""Motion Photos and Samsung trailers are kept (and marked); anything else after EOI is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from mediagate.inspect.facts import Facts
from mediagate.reasons import Reason
from tests.samples import archives, audio, executables, images, phones
from tests.unit.inspect.probing import only, probe

JPEG_END = len(images.jpeg(320, 240))


def _kept(facts: Facts, kind: str, offset: int) -> None:
    assert facts.findings == []
    assert facts.image is not None
    assert (facts.image.trailer_kind, facts.image.trailer_offset) == (kind, offset)
    assert (facts.image.width, facts.image.height) == (320, 240)


@pytest.mark.parametrize("older", [False, True], ids=["container-directory", "micro-video"])
def test_a_motion_photo_is_kept_with_its_video_marked(tmp_path: Path, older: bool) -> None:
    video = audio.mp4_with_video(1.0)
    data = phones.motion_photo(video, older=older)
    facts = probe(tmp_path, data)
    assert facts.mime_type == "image/jpeg"
    _kept(facts, "motion-photo", len(data) - len(video))
    assert facts.image is not None
    assert data[facts.image.trailer_offset - 2 : facts.image.trailer_offset] == b"\xff\xd9"


def test_a_samsung_trailer_is_kept_and_marked(tmp_path: Path) -> None:
    data = phones.samsung_jpeg()
    _kept(probe(tmp_path, data), "samsung-trailer", JPEG_END)


def test_a_jpeg_without_a_trailer_has_none(tmp_path: Path) -> None:
    facts = probe(tmp_path, images.jpeg(320, 240))
    assert facts.image is not None
    assert (facts.image.trailer_kind, facts.image.trailer_offset) == ("", 0)


def _polyglot(tmp_path: Path, data: bytes) -> None:
    finding = only(probe(tmp_path, data), Reason.POLYGLOT)
    assert finding.metadata["part"] == "after EOI"


def test_a_video_of_another_length_than_announced_is_a_polyglot(tmp_path: Path) -> None:
    video = audio.mp4_with_video(1.0)
    _polyglot(tmp_path, phones.motion_photo(video, announced=len(video) - 100))
    extra = executables.elf_executable()
    _polyglot(tmp_path, phones.motion_photo(video + extra, announced=len(video)))


def test_an_announced_video_that_is_no_mp4_is_a_polyglot(tmp_path: Path) -> None:
    _polyglot(tmp_path, phones.motion_photo(executables.elf_executable()))
    _polyglot(tmp_path, phones.motion_photo(archives.zip_archive()))


def test_an_unannounced_mp4_after_eoi_is_a_polyglot(tmp_path: Path) -> None:
    _polyglot(tmp_path, images.jpeg(320, 240) + audio.mp4_with_video(1.0))


def test_an_announcement_in_a_comment_is_no_announcement(tmp_path: Path) -> None:
    video = audio.mp4_with_video(1.0)
    fake = phones.motion_photo_xmp(len(video)).encode()
    jpeg = images.jpeg(320, 240)
    commented = jpeg[:2] + b"\xff\xfe" + (len(fake) + 2).to_bytes(2, "big") + fake + jpeg[2:]
    _polyglot(tmp_path, commented + video)


def test_a_samsung_trailer_with_a_gap_is_a_polyglot(tmp_path: Path) -> None:
    hidden = executables.elf_executable()
    _polyglot(tmp_path, phones.samsung_jpeg(phones.samsung_trailer(gap=hidden)))


def test_a_samsung_directory_that_points_nowhere_is_a_polyglot(tmp_path: Path) -> None:
    trailer = bytearray(phones.samsung_trailer())
    at = trailer.rfind(b"SEFH")
    trailer[at : at + 4] = b"XXXX"
    _polyglot(tmp_path, phones.samsung_jpeg(bytes(trailer)))
    # A directory length past the start of the trailer.
    trailer = bytearray(phones.samsung_trailer())
    trailer[-8:-4] = (len(trailer) * 2).to_bytes(4, "little")
    _polyglot(tmp_path, phones.samsung_jpeg(bytes(trailer)))


@pytest.mark.parametrize(
    "payload", [executables.elf_executable(), archives.zip_archive()], ids=["elf", "zip"]
)
def test_a_samsung_block_holding_a_program_or_archive_is_a_polyglot(
    tmp_path: Path, payload: bytes
) -> None:
    blocks = (*phones.DEFAULT_BLOCKS, (0x0A30, "MotionPhoto_Data", payload))
    _polyglot(tmp_path, phones.samsung_jpeg(phones.samsung_trailer(blocks)))


def test_a_zip_after_eoi_stays_a_polyglot(tmp_path: Path) -> None:
    _polyglot(tmp_path, images.jpeg_with_zip_appended())
