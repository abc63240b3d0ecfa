from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from pathlib import Path

import pytest

from mediagate.voice.model import (
    RenditionCodec,
    RenditionSettings,
    VoiceProcessed,
)
from mediagate.voice.process import process_voice
from tests.samples import audio, voice
from tests.unit.audio_files import SECONDS, STORED_TYPES, MakeFile
from tests.unit.voice.rendition_check import read_back

BINS = 100
# What each codec's decoder is called in FFmpeg.
DECODERS = {RenditionCodec.AAC: "aac", RenditionCodec.MP3: "mp3float", RenditionCodec.OPUS: "opus"}


def processed(
    path: Path, mime: str, out: Path, settings: RenditionSettings | None = None, bins: int = BINS
) -> VoiceProcessed:
    result = process_voice(str(path), mime, bins, settings or RenditionSettings(), str(out))
    assert isinstance(result, VoiceProcessed), result
    return result


@pytest.mark.parametrize("fmt", list(STORED_TYPES))
@pytest.mark.parametrize("codec", list(RenditionCodec))
def test_every_format_gives_its_duration_and_a_playable_rendition(
    tmp_path: Path, speech_file: Callable[[str], Path], fmt: str, codec: RenditionCodec
) -> None:
    out = tmp_path / f"rendition{codec.extension}"
    settings = RenditionSettings(codec=codec, bitrate_bps=48_000)
    result = processed(speech_file(fmt), STORED_TYPES[fmt], out, settings)

    assert result.duration_seconds == pytest.approx(SECONDS, abs=0.1)
    assert not result.silent
    back = read_back(out)
    assert back.codec == DECODERS[codec]
    assert back.channels == 1
    assert back.sample_rate == 48_000
    # Encoders hold an average, not every packet to the bitrate: within a fifth of it.
    assert back.bitrate_bps == pytest.approx(48_000, rel=0.2)
    assert back.decoded_seconds == pytest.approx(result.duration_seconds, abs=0.05)
    # Measured by demuxing, as intake does: MP3 packets include the encoder's priming.
    assert result.rendition_duration_seconds == pytest.approx(result.duration_seconds, abs=0.05)
    data = out.read_bytes()
    assert result.rendition_size_bytes == len(data)
    assert result.rendition_sha256 == hashlib.sha256(data).hexdigest()


def test_an_m4a_rendition_has_its_index_before_its_audio(
    tmp_path: Path, speech_file: Callable[[str], Path]
) -> None:
    # faststart: a browser reads moov first and can play while the rest downloads.
    out = tmp_path / "rendition.m4a"
    processed(speech_file("mp3"), "audio/mpeg", out)
    data = out.read_bytes()
    assert data[4:8] == b"ftyp"
    assert 0 < data.index(b"moov") < data.index(b"mdat")


def test_an_opus_rendition_asked_for_at_44_1_khz_is_encoded_at_48_khz(
    tmp_path: Path, speech_file: Callable[[str], Path]
) -> None:
    # Opus knows no 44.1 kHz; the nearest rate above it keeps the whole band.
    out = tmp_path / "rendition.ogg"
    settings = RenditionSettings(codec=RenditionCodec.OPUS, sample_rate_hz=44_100)
    result = processed(speech_file("m4a_aac"), "audio/mp4", out, settings)
    assert result.duration_seconds == pytest.approx(SECONDS, abs=0.1)
    assert read_back(out).sample_rate == 48_000


@pytest.mark.parametrize("fmt", ["wav", "ogg_opus", "m4a_aac"])
def test_peaks_are_one_per_bin_and_follow_the_speech(
    tmp_path: Path, speech_file: Callable[[str], Path], fmt: str
) -> None:
    result = processed(speech_file(fmt), STORED_TYPES[fmt], tmp_path / "out.m4a")
    peaks = result.peaks
    assert len(peaks) == BINS
    assert all(0.0 <= p <= 1.0 for p in peaks)
    # Words and the pauses between them: far from flat, many distinct heights.
    assert max(peaks) - min(peaks) > 0.2
    assert len({round(p, 2) for p in peaks}) >= 10
    assert result.peak_dbfs == pytest.approx(20 * math.log10(max(peaks)), abs=0.01)


def test_a_clip_shorter_than_the_bins_still_fills_every_bin(tmp_path: Path) -> None:
    # 40 samples of a tone at 16 kHz into 100 bins.
    clip = tmp_path / "clip.wav"
    clip.write_bytes(audio.wav(seconds=40 / 16000, rate=16000, tone_hz=1000))
    settings = RenditionSettings(sample_rate_hz=16_000)
    result = processed(clip, "audio/wav", tmp_path / "out.m4a", settings)
    assert len(result.peaks) == BINS
    assert all(0.0 <= p <= 1.0 for p in result.peaks)
    assert sum(p > 0.1 for p in result.peaks) > BINS // 2  # stretched, not left empty
    assert result.duration_seconds == pytest.approx(40 / 16000)


@pytest.mark.parametrize("fmt", ["wav", "mp3", "ogg_opus", "webm_opus", "m4a_aac"])
def test_silence_is_silent_and_gets_no_rendition(
    tmp_path: Path, sample_file: MakeFile, fmt: str
) -> None:
    path = sample_file(f"silence-{fmt}", lambda: voice.silence(fmt, 3.0))
    out = tmp_path / "out.m4a"
    result = processed(path, STORED_TYPES[fmt], out)
    assert result.silent
    assert result.peak_dbfs <= -50.0
    assert result.duration_seconds == pytest.approx(3.0, abs=0.1)
    assert len(result.peaks) == BINS
    assert not out.exists()
    assert (result.rendition_sha256, result.rendition_size_bytes) == ("", 0)


def test_the_silence_threshold_is_the_callers(tmp_path: Path, sample_file: MakeFile) -> None:
    path = sample_file("speech-wav-55dbfs", lambda: voice.speech("wav", 3.0, peak_dbfs=-55))
    settings = RenditionSettings()
    quiet = process_voice(str(path), "audio/wav", BINS, settings, str(tmp_path / "a.m4a"))
    heard = process_voice(str(path), "audio/wav", BINS, settings, str(tmp_path / "b.m4a"), -60.0)
    assert isinstance(quiet, VoiceProcessed) and isinstance(heard, VoiceProcessed)
    assert quiet.silent and not heard.silent
    assert (tmp_path / "b.m4a").exists()


def test_a_wav_with_samples_past_its_declared_end_is_processed_whole(
    tmp_path: Path, sample_file: MakeFile
) -> None:
    # The header says 5 s; 30 s of speech follow it (see inspect/wav_extent.py).
    path = sample_file("wav-claims-5-holds-30", lambda: voice.wav_with_lying_header(30, 5))
    out = tmp_path / "out.m4a"
    result = processed(path, "audio/wav", out)
    assert result.duration_seconds == pytest.approx(30.0, abs=0.01)
    assert result.rendition_duration_seconds == pytest.approx(30.0, abs=0.05)


def test_a_wav_with_a_tag_chunk_after_its_samples_does_not_play_the_tag(
    tmp_path: Path, speech_file: Callable[[str], Path]
) -> None:
    data = bytearray(speech_file("wav").read_bytes())
    info = b"INFOISFT\x0e\x00\x00\x00Lavf62.12.100\x00"
    data += b"LIST" + len(info).to_bytes(4, "little") + info
    data[4:8] = (len(data) - 8).to_bytes(4, "little")
    path = tmp_path / "tagged.wav"
    path.write_bytes(data)
    result = processed(path, "audio/wav", tmp_path / "out.m4a")
    assert result.duration_seconds == pytest.approx(SECONDS, abs=1e-3)


def test_an_mp3_whose_sample_rate_changes_part_way_is_decoded_whole(tmp_path: Path) -> None:
    source = tmp_path / "joined.mp3"
    source.write_bytes(voice.mp3_joined_at_two_rates(1.5))
    result = processed(source, "audio/mpeg", tmp_path / "out.m4a")
    # Each half carries its encoder's priming and padding (no Xing frame on the second).
    assert result.duration_seconds == pytest.approx(3.0, abs=0.1)


def test_negative_bins_are_the_callers_mistake(
    tmp_path: Path, speech_file: Callable[[str], Path]
) -> None:
    with pytest.raises(ValueError):
        process_voice(str(speech_file("wav")), "audio/wav", -1, RenditionSettings(), "x.m4a")


def test_no_bins_is_no_peaks(tmp_path: Path, speech_file: Callable[[str], Path]) -> None:
    result = processed(speech_file("wav"), "audio/wav", tmp_path / "out.m4a", bins=0)
    assert result.peaks == ()
    assert result.peak_dbfs < 0
