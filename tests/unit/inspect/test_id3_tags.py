"""MP3s whose ID3v2 tag (cover art, padding) is larger than the head libmagic sees."""

from __future__ import annotations

import io
import tracemalloc
from pathlib import Path

import pytest

from mediagate.inspect.id3v2 import ID3_TAGGED, audio_start, tag_length
from mediagate.inspect.sniff import HEAD_BYTES, sniff
from mediagate.policy.decide import check_head_type
from mediagate.policy.profiles import VOICE
from mediagate.reasons import Reason
from tests.samples import audio, executables
from tests.unit.inspect.probing import only, probe


def test_the_tag_length_comes_from_the_syncsafe_size_and_the_footer_flag() -> None:
    tag = audio.id3v24_tag(cover_bytes=300_000, padding=1000)
    assert tag_length(tag[:10]) == len(tag)
    with_footer = audio.id3v24_tag(cover_bytes=300_000, footer=True)
    assert tag_length(with_footer[:10]) == len(with_footer)
    assert with_footer[-10:-7] == b"3DI"
    # A size byte with its top bit set is not syncsafe: not an ID3v2 header.
    assert tag_length(b"ID3\x04\x00\x00\x00\x80\x00\x00") is None
    assert tag_length(b"ID3\x09\x00\x00\x00\x00\x00\x00") is None


def test_audio_start_skips_stacked_tags_and_may_lie_past_the_end() -> None:
    first, second = audio.id3v24_tag(cover_bytes=1000), audio.id3v24_tag(cover_bytes=2000)
    assert audio_start(io.BytesIO(first + second + b"\xff\xfb")) == len(first) + len(second)
    assert audio_start(io.BytesIO(first[: len(first) // 2])) == len(first)


def test_a_head_that_is_all_tag_sniffs_as_tagged_audio_and_is_not_refused_early() -> None:
    data = audio.mp3_with_big_id3(2.0)
    sniffed = sniff(data[:HEAD_BYTES])
    assert sniffed.mime_type == ID3_TAGGED
    assert check_head_type(sniffed.mime_type, VOICE) is None


@pytest.mark.parametrize(
    "tag",
    [{}, {"footer": True}, {"cover_bytes": 2_000_000, "padding": 500_000}],
    ids=["cover-and-padding", "footer", "2.5-mb"],
)
def test_the_audio_after_a_big_tag_is_probed(tmp_path: Path, tag: dict[str, object]) -> None:
    data = audio.mp3_with_big_id3(2.0, **tag)
    assert len(data) > 1_000_000
    facts = probe(tmp_path, data)
    assert facts.findings == []
    assert facts.mime_type == "audio/mpeg"
    assert facts.audio is not None
    assert facts.audio.codec == "mp3"
    assert facts.audio.duration_seconds == pytest.approx(2.0, abs=0.1)
    assert facts.audio.header_duration_seconds == pytest.approx(2.0, abs=0.1)


def test_a_tag_claiming_more_bytes_than_the_file_holds_is_truncated(tmp_path: Path) -> None:
    data = audio.mp3_with_big_id3(2.0)
    facts = probe(tmp_path, data[:1_000_000])
    assert facts.mime_type == "audio/mpeg"
    finding = only(facts, Reason.TRUNCATED)
    assert finding.metadata["actual"] == "1000000"
    assert int(finding.metadata["limit"]) > 1_000_000


def test_a_tag_with_nothing_after_it_is_truncated(tmp_path: Path) -> None:
    only(probe(tmp_path, audio.id3v24_tag()), Reason.TRUNCATED)


def test_what_follows_the_tag_is_what_the_file_is(tmp_path: Path) -> None:
    facts = probe(tmp_path, audio.id3v24_tag() + executables.elf_executable())
    assert facts.mime_type == "application/x-executable"


def test_a_compressed_tag_frame_is_never_inflated(tmp_path: Path) -> None:
    # 200 MB of zeros, compressed to about 200 KB: reading the tag would inflate it.
    data = audio.mp3_with_big_id3(2.0, compressed_bytes=200_000_000)
    tracemalloc.start()
    try:
        facts = probe(tmp_path, data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert facts.findings == [] and facts.mime_type == "audio/mpeg"
    assert peak < 20_000_000, peak
