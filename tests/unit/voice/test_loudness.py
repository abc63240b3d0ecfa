from __future__ import annotations

import array
import io
import math
import wave
from collections.abc import Callable
from pathlib import Path

import pytest

from mediagate.voice.decode import decode_mono
from mediagate.voice.loudness import (
    MAX_BOOST_DB,
    PEAK_CEILING_DBFS,
    integrated_lufs,
    normalising_gain,
)
from mediagate.voice.model import RenditionSettings, VoiceProcessed
from mediagate.voice.pcm import MonoPcm
from mediagate.voice.process import process_voice
from tests.samples import voice
from tests.unit.audio_files import STORED_TYPES, MakeFile
from tests.unit.voice.rendition_check import read_back

RATE = 48_000


def _sine(amplitude: float, seconds: float, hz: float = 1000.0) -> MonoPcm:
    step = 2 * math.pi * hz / RATE
    values = array.array("f", (amplitude * math.sin(i * step) for i in range(int(seconds * RATE))))
    return MonoPcm(values.tobytes(), RATE)


def _bs1770_reference(pcm: MonoPcm) -> float:
    """ITU-R BS.1770-4 integrated loudness, computed directly at 48 kHz (the coefficients
    the recommendation publishes), for checking the meter; too slow for anything longer."""
    values = array.array("f")
    values.frombytes(pcm.samples)
    stages = (
        (
            (1.53512485958697, -2.69169618940638, 1.19839281085285),
            (-1.69065929318241, 0.73248077421585),
        ),
        ((1.0, -2.0, 1.0), (-1.99004745483398, 0.99007225036621)),
    )
    signal: list[float] = list(values)
    for (b0, b1, b2), (a1, a2) in stages:
        out = []
        x1 = x2 = y1 = y2 = 0.0
        for x in signal:
            y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2
            x2, x1, y2, y1 = x1, x, y1, y
            out.append(y)
        signal = out
    block, step = int(0.4 * RATE), int(0.1 * RATE)
    powers = [
        math.fsum(v * v for v in signal[start : start + block]) / block
        for start in range(0, len(signal) - block + 1, step)
    ]

    def lufs(power: float) -> float:
        return -0.691 + 10 * math.log10(power)

    gated = [p for p in powers if p > 0 and lufs(p) > -70]
    relative = lufs(sum(gated) / len(gated)) - 10
    kept = [p for p in gated if lufs(p) > relative]
    return lufs(sum(kept) / len(kept))


@pytest.mark.parametrize("amplitude_dbfs", [-6.0, -20.0, -40.0])
def test_a_1_khz_sine_measures_as_bs_1770_says(amplitude_dbfs: float) -> None:
    # A sine's mean square is A^2/2 and K-weighting is +0.69 dB at 1 kHz, cancelling the
    # -0.691 offset: a mono sine of peak A measures 20 log10(A) - 3.01 LUFS.
    pcm = _sine(10 ** (amplitude_dbfs / 20), 3.0)
    measured = integrated_lufs(pcm)
    assert measured is not None
    assert measured == pytest.approx(amplitude_dbfs - 3.01, abs=0.1)


def test_speech_measures_as_a_direct_bs_1770_computation(sample_file: MakeFile) -> None:
    path = sample_file("speech-wav-3s", lambda: voice.speech("wav", 3.0))
    pcm = decode_mono(str(path), "audio/wav", RATE)
    measured = integrated_lufs(pcm)
    assert measured is not None
    assert measured == pytest.approx(_bs1770_reference(pcm), abs=0.2)


def test_nothing_to_measure_is_none() -> None:
    assert integrated_lufs(MonoPcm(bytes(4 * RATE), RATE)) is None  # digital silence
    assert integrated_lufs(_sine(0.5, 0.2)) is None  # shorter than one 400 ms block


@pytest.mark.parametrize(
    ("lufs", "peak_dbfs", "expected"),
    [
        (-20.0, -6.0, 4.0),  # to the target
        (-10.0, -0.5, -6.0),  # loud speech comes down
        (-45.0, -30.0, MAX_BOOST_DB),  # a whisper: boost capped
        (-30.0, -9.0, PEAK_CEILING_DBFS + 9.0),  # a click: the peak stops the boost
        (None, -12.0, 0.0),  # unmeasurable: left alone
    ],
)
def test_the_gain_rule(lufs: float | None, peak_dbfs: float, expected: float) -> None:
    assert normalising_gain(lufs, peak_dbfs, -16.0) == pytest.approx(expected)


def _quiet_speech_with_a_click(seconds: float) -> bytes:
    """Speech peaking at -33 dBFS with one sample at half scale (-6 dBFS) in the middle."""
    data = voice.speech("wav", seconds, peak_dbfs=-33)
    with wave.open(io.BytesIO(data), "rb") as w:
        pcm = array.array("h")
        pcm.frombytes(w.readframes(w.getnframes()))
        rate = w.getframerate()
    pcm[len(pcm) // 2] = 16384
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
    return out.getvalue()


def test_quiet_speech_comes_out_louder_and_does_not_clip(
    tmp_path: Path, sample_file: MakeFile
) -> None:
    # 30 dB below the usual speech sample: near -53 LUFS.
    path = sample_file("speech-m4a-33dbfs", lambda: voice.speech("m4a_aac", 5.0, peak_dbfs=-33))
    out = tmp_path / "out.m4a"
    result = process_voice(str(path), "audio/mp4", 50, RenditionSettings(), str(out))
    assert isinstance(result, VoiceProcessed)
    # 37 dB short of -16 LUFS, so the 20 dB cap applies.
    assert result.gain_db == pytest.approx(MAX_BOOST_DB)
    source = integrated_lufs(decode_mono(str(path), "audio/mp4", RATE))
    levelled = integrated_lufs(decode_mono(str(out), "audio/mp4", RATE))
    assert source is not None and levelled is not None
    assert levelled - source == pytest.approx(MAX_BOOST_DB, abs=0.5)
    assert read_back(out).peak < 1.0


def test_a_click_limits_the_boost_to_the_peak_ceiling(tmp_path: Path) -> None:
    path = tmp_path / "click.wav"
    path.write_bytes(_quiet_speech_with_a_click(5.0))
    out = tmp_path / "out.m4a"
    result = process_voice(str(path), "audio/wav", 50, RenditionSettings(), str(out))
    assert isinstance(result, VoiceProcessed)
    assert result.peak_dbfs == pytest.approx(-6.02, abs=0.05)
    assert result.gain_db == pytest.approx(PEAK_CEILING_DBFS - result.peak_dbfs)
    # The codec may overshoot a sample peak slightly; nowhere near clipping.
    assert read_back(out).peak < 10 ** (-0.5 / 20)


@pytest.mark.parametrize("fmt", ["mp3", "ogg_vorbis", "webm_opus"])
def test_speech_is_levelled_to_the_target(
    tmp_path: Path, speech_file: Callable[[str], Path], fmt: str
) -> None:
    # The sample speech is near -23 LUFS with its peak at -3 dBFS: -26 LUFS is in reach
    # without the peak ceiling stepping in.
    out = tmp_path / "out.m4a"
    settings = RenditionSettings(target_lufs=-26.0)
    result = process_voice(str(speech_file(fmt)), STORED_TYPES[fmt], 50, settings, str(out))
    assert isinstance(result, VoiceProcessed)
    assert result.gain_db < 0
    levelled = integrated_lufs(decode_mono(str(out), "audio/mp4", RATE))
    assert levelled == pytest.approx(-26.0, abs=0.3)


def test_without_normalisation_the_level_is_kept(
    tmp_path: Path, speech_file: Callable[[str], Path]
) -> None:
    out = tmp_path / "out.m4a"
    settings = RenditionSettings(normalise_loudness=False)
    result = process_voice(str(speech_file("wav")), "audio/wav", 50, settings, str(out))
    assert isinstance(result, VoiceProcessed)
    assert result.gain_db == 0.0
    source = integrated_lufs(decode_mono(str(speech_file("wav")), "audio/wav", RATE))
    kept = integrated_lufs(decode_mono(str(out), "audio/mp4", RATE))
    assert source is not None and kept is not None
    assert kept == pytest.approx(source, abs=0.3)
