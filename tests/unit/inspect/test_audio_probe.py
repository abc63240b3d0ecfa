from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from mediagate.reasons import Reason
from tests.samples import audio, damage
from tests.unit.inspect.probing import only, probe

# generator, detected type after refinement, FFmpeg codec name, container, header claims
FORMATS: list[tuple[Callable[[float], bytes], str, str, str, bool]] = [
    (audio.wav, "audio/wav", "pcm_s16le", "wav", True),
    (audio.mp3, "audio/mpeg", "mp3", "mp3", True),
    (audio.ogg_opus, "audio/ogg", "opus", "ogg", True),
    (audio.ogg_vorbis, "audio/ogg", "vorbis", "ogg", True),
    (audio.webm_opus, "audio/webm", "opus", "webm", True),
    (audio.m4a_aac, "audio/mp4", "aac", "mp4", True),
    (audio.adts_aac, "audio/aac", "aac", "aac", False),
]
IDS = ["wav", "mp3", "ogg-opus", "ogg-vorbis", "webm-opus", "m4a-aac", "adts-aac"]


@pytest.mark.parametrize(("make", "mime", "codec", "container", "claims"), FORMATS, ids=IDS)
@pytest.mark.parametrize("seconds", [1.0, 3.5])
def test_duration_is_measured_within_a_tenth_of_a_second(
    tmp_path: Path,
    make: Callable[[float], bytes],
    mime: str,
    codec: str,
    container: str,
    claims: bool,
    seconds: float,
) -> None:
    facts = probe(tmp_path, make(seconds))
    assert facts.findings == []
    assert facts.mime_type == mime
    assert facts.audio is not None
    assert facts.audio.duration_seconds == pytest.approx(seconds, abs=0.1)
    assert (facts.audio.codec, facts.audio.container) == (codec, container)
    assert facts.audio.sample_rate_hz in (16000, 44100, 48000)
    assert facts.audio.channels in (1, 2)
    assert facts.audio.bitrate_bps > 0
    if claims:
        assert facts.audio.header_duration_seconds == pytest.approx(seconds, abs=0.1)
    else:
        assert facts.audio.header_duration_seconds is None


@pytest.mark.parametrize(
    ("make", "mime"),
    [(audio.mp3, "audio/mpeg"), (audio.wav, "audio/wav"), (audio.webm_opus, "audio/webm")],
    ids=["mp3", "wav", "webm"],
)
def test_a_file_cut_short_of_what_its_header_claims_is_truncated(
    tmp_path: Path, make: Callable[[float], bytes], mime: str
) -> None:
    facts = probe(tmp_path, damage.truncate(make(5.0), 0.3))
    assert facts.mime_type == mime
    finding = only(facts, Reason.TRUNCATED)
    assert float(finding.metadata["limit"]) == pytest.approx(5.0, abs=0.1)
    assert float(finding.metadata["actual"]) < 2.0


def test_a_wav_whose_size_fields_say_unknown_is_not_truncated(tmp_path: Path) -> None:
    # Streaming writers leave 0xFFFFFFFF in the data chunk size.
    data = audio.wav(2.0)
    data = data[:40] + b"\xff\xff\xff\xff" + data[44:]
    facts = probe(tmp_path, data)
    assert facts.findings == []
    assert facts.audio is not None and facts.audio.duration_seconds == pytest.approx(2.0)


def test_an_mp3_with_less_than_two_frames_is_truncated(tmp_path: Path) -> None:
    only(probe(tmp_path, audio.mp3_less_than_two_frames()), Reason.TRUNCATED)


def test_an_mp3_without_audio_frames_is_corrupt(tmp_path: Path) -> None:
    tag = b"ID3\x04\x00\x00\x00\x00\x00\x0a" + bytes(10)
    facts = probe(tmp_path, tag + bytes(4000), mime="audio/mpeg")
    only(facts, Reason.CORRUPT)


def test_undecodable_packets_are_corrupt(tmp_path: Path) -> None:
    # Intact ADTS frame headers, so the demuxer delivers every packet, around payloads of
    # filler that the AAC decoder refuses.
    data = bytearray(audio.adts_aac(1.0))
    pos = 0
    while pos + 7 <= len(data):
        length = ((data[pos + 3] & 3) << 11) | (data[pos + 4] << 3) | (data[pos + 5] >> 5)
        header = 7 if data[pos + 1] & 1 else 9
        data[pos + header : pos + length] = b"\xa5" * (length - header)
        pos += length
    finding = only(probe(tmp_path, bytes(data)), Reason.CORRUPT)
    assert "decode" in finding.message


def test_cover_art_does_not_make_an_m4a_a_video(tmp_path: Path) -> None:
    facts = probe(tmp_path, audio.m4a_with_cover(2.0))
    assert facts.mime_type == "audio/mp4"
    assert facts.findings == []
    assert facts.audio is not None and facts.audio.duration_seconds == pytest.approx(2.0, abs=0.1)


def test_an_mp4_with_a_video_track_stays_video(tmp_path: Path) -> None:
    facts = probe(tmp_path, audio.mp4_with_video(1.0), mime="audio/mp4")
    assert facts.mime_type == "video/mp4"
    assert facts.findings == []


def test_an_mp4_with_only_video_has_no_audio_facts(tmp_path: Path) -> None:
    facts = probe(tmp_path, audio.mp4_with_video(1.0, audio=False))
    assert facts.mime_type == "video/mp4"
    assert facts.audio is None
    assert facts.findings == []


def test_a_truncated_ogg_header_is_truncated(tmp_path: Path) -> None:
    only(probe(tmp_path, damage.truncate(audio.ogg_opus(1.0), 0.05)), Reason.TRUNCATED)


def test_a_wav_of_no_samples_is_empty_not_truncated(tmp_path: Path) -> None:
    facts = probe(tmp_path, audio.wav_empty())
    assert facts.mime_type == "audio/wav"
    finding = only(facts, Reason.EMPTY)
    assert "no audio samples" in finding.message


def test_a_wav_of_unknown_size_with_no_samples_is_empty(tmp_path: Path) -> None:
    data = audio.wav_empty()
    only(probe(tmp_path, data[:40] + b"\xff\xff\xff\xff"), Reason.EMPTY)


def test_a_wav_whose_samples_were_cut_off_is_truncated(tmp_path: Path) -> None:
    # The data chunk promises a second of samples; the file ends right after its header.
    data = audio.wav(1.0)[:44]
    assert data.endswith(b"data" + (32000).to_bytes(4, "little"))
    only(probe(tmp_path, data), Reason.TRUNCATED)
