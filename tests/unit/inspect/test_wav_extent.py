from __future__ import annotations

from pathlib import Path

from mediagate.inspect.wav_extent import undeclared_bytes
from tests.samples import audio, voice


def _written(tmp_path: Path, data: bytes | bytearray) -> str:
    path = tmp_path / "audio.wav"
    path.write_bytes(bytes(data))
    return str(path)


def _with_riff_size(data: bytearray) -> bytearray:
    data[4:8] = (len(data) - 8).to_bytes(4, "little")
    return data


def test_a_plain_wav_has_none(tmp_path: Path) -> None:
    assert undeclared_bytes(_written(tmp_path, audio.wav(0.5))) == 0


def test_samples_past_a_short_data_size_are_undeclared(tmp_path: Path) -> None:
    data = voice.wav_with_lying_header(real_seconds=3.0, claimed_seconds=1.0)
    expected = 2 * voice.SPEECH_RATE * 2  # 2 s of 16-bit mono
    assert undeclared_bytes(_written(tmp_path, data)) == expected


def test_tag_chunks_after_the_data_are_not_undeclared(tmp_path: Path) -> None:
    info = b"INFOISFT\x0d\x00\x00\x00Lavf62.12.10\x00\x00"  # odd body, padded
    cue = b"cue \x04\x00\x00\x00\x00\x00\x00\x00"
    data = bytearray(audio.wav(0.5)) + b"LIST" + len(info).to_bytes(4, "little") + info + cue
    assert undeclared_bytes(_written(tmp_path, _with_riff_size(data))) == 0


def test_a_last_chunk_without_its_pad_byte_is_still_a_chunk(tmp_path: Path) -> None:
    data = bytearray(audio.wav(0.5)) + b"note\x03\x00\x00\x00abc"
    assert undeclared_bytes(_written(tmp_path, _with_riff_size(data))) == 0


def test_a_chunk_header_whose_size_runs_past_the_end_is_not_a_chunk(tmp_path: Path) -> None:
    tail = b"LIST\xff\xff\x00\x00" + bytes(100)
    data = bytearray(audio.wav(0.5)) + tail
    assert undeclared_bytes(_written(tmp_path, _with_riff_size(data))) == len(tail)


def test_unknown_data_sizes_are_left_to_ffmpeg(tmp_path: Path) -> None:
    # Streaming writers' 0 and 0xFFFFFFFF: FFmpeg reads those to the end already.
    for size in (b"\x00\x00\x00\x00", b"\xff\xff\xff\xff"):
        data = bytearray(audio.wav(0.5))
        data[40:44] = size
        assert undeclared_bytes(_written(tmp_path, data)) == 0


def test_what_is_not_a_wav_has_none(tmp_path: Path) -> None:
    assert undeclared_bytes(_written(tmp_path, b"")) == 0
    assert undeclared_bytes(_written(tmp_path, audio.mp3(0.2))) == 0
    assert undeclared_bytes(_written(tmp_path, b"RIFF\x10\x00\x00\x00WAVEfmt ")) == 0
