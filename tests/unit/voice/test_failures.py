"""Damaged files come back as VoiceFailure (or RenderFailure), never as an exception, with
messages that do not name the worker's paths."""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from mediagate.media.preview_spec import PreviewSpec
from mediagate.preview.result import RenderFailure
from mediagate.preview.waveform_preview import render_waveform
from mediagate.voice.model import RenditionSettings, VoiceFailure, VoiceProcessed
from mediagate.voice.process import process_voice
from tests.samples import audio, damage, images, pdfs, voice
from tests.support.small_disk import fill, small_disk
from tests.unit.audio_files import STORED_TYPES

_RANDOM = random.Random(1770)
GARBAGE = bytes(_RANDOM.randrange(256) for _ in range(20_000))
WAV_HEADER_ONLY = audio.wav(0.5)[:44]


def _cut(fmt: str, keep: float) -> Callable[[], bytes]:
    return lambda: damage.truncate(voice.speech(fmt, 2.0), keep)


# name -> (bytes, type the file is stored as)
DAMAGED: dict[str, tuple[Callable[[], bytes], str]] = {
    "empty": (lambda: b"", "audio/mpeg"),
    "garbage-as-mp3": (lambda: GARBAGE, "audio/mpeg"),
    "garbage-as-ogg": (lambda: GARBAGE, "audio/ogg"),
    "garbage-as-m4a": (lambda: GARBAGE, "audio/mp4"),
    "garbage-as-webm": (lambda: GARBAGE, "audio/webm"),
    "garbage-as-wav": (lambda: GARBAGE, "audio/wav"),
    # An M4A written without faststart keeps its index at the end: cut, it has none.
    "m4a-cut-in-half": (_cut("m4a_aac", 0.5), "audio/mp4"),
    "ogg-opus-cut-in-its-headers": (_cut("ogg_opus", 0.05), "audio/ogg"),
    "ogg-vorbis-cut-in-its-headers": (_cut("ogg_vorbis", 0.05), "audio/ogg"),
    "mp3-cut-in-its-first-frames": (_cut("mp3", 0.01), "audio/mpeg"),
    "webm-cut-before-its-audio": (_cut("webm_opus", 0.01), "audio/webm"),
    "wav-header-without-samples": (lambda: WAV_HEADER_ONLY, "audio/wav"),
    "a-png-said-to-be-audio": (lambda: images.png(), "audio/mpeg"),
    "a-video-without-audio": (lambda: audio.mp4_with_video(1.0, audio=False), "video/mp4"),
    "a-pdf": (lambda: pdfs.pdf(), "application/pdf"),
}


@pytest.mark.parametrize("name", list(DAMAGED))
def test_a_damaged_file_is_a_voice_failure(tmp_path: Path, name: str) -> None:
    build, mime = DAMAGED[name]
    source = tmp_path / "secret-upload-name"
    source.write_bytes(build())
    out = tmp_path / "rendition.m4a"
    result = process_voice(str(source), mime, 50, RenditionSettings(), str(out))
    assert isinstance(result, VoiceFailure), result
    assert result.reason == "CORRUPT"
    assert str(tmp_path) not in result.message
    assert "secret-upload-name" not in result.message
    assert not out.exists()


@pytest.mark.parametrize("name", [name for name, (_, mime) in DAMAGED.items() if "audio" in mime])
def test_a_damaged_file_has_no_waveform(tmp_path: Path, name: str) -> None:
    build, mime = DAMAGED[name]
    source = tmp_path / "secret-upload-name"
    source.write_bytes(build())
    result = render_waveform(str(source), mime, PreviewSpec())
    assert isinstance(result, RenderFailure), result
    assert result.reason == "PREVIEW_FAILED"
    assert "secret-upload-name" not in result.message


@pytest.mark.parametrize("fmt", ["wav", "mp3", "webm_opus", "ogg_opus"])
def test_a_file_cut_mid_stream_gives_the_audio_before_the_cut(tmp_path: Path, fmt: str) -> None:
    # Intake refuses these (the header claims more: TRUNCATED); were one processed anyway,
    # what decodes is what there is.
    source = tmp_path / "cut"
    source.write_bytes(damage.truncate(voice.speech(fmt, 4.0), 0.5))
    result = process_voice(
        str(source), STORED_TYPES[fmt], 50, RenditionSettings(), str(tmp_path / "out.m4a")
    )
    assert isinstance(result, VoiceProcessed), result
    # Ogg drops the page the cut falls in (a page holds up to a second of Opus).
    assert 0.5 < result.duration_seconds < 3.0


def test_a_failure_while_writing_leaves_no_rendition(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import mediagate.voice.rendition as rendition

    def broken(path: str, mime: str) -> object:
        raise RuntimeError(f"cannot read {path}")

    monkeypatch.setattr(rendition, "probe_audio", broken)
    source = tmp_path / "speech.wav"
    source.write_bytes(voice.speech("wav", 1.0))
    out = tmp_path / "rendition.m4a"
    result = process_voice(str(source), "audio/wav", 50, RenditionSettings(), str(out))
    assert isinstance(result, VoiceFailure)
    assert str(out) not in result.message and os.path.basename(out) not in result.message
    assert not out.exists()


def test_a_rendition_that_finds_the_disk_full_says_so(tmp_path: Path) -> None:
    """A full disk says nothing about the file: the failure is marked no_space, so that the
    caller answers STORAGE_FULL rather than refusing the recording as CORRUPT."""
    source = tmp_path / "speech.wav"
    source.write_bytes(voice.speech("wav", 2.0))
    with small_disk(tmp_path / "disk", 1024 * 1024) as disk:
        fill(disk)
        result = process_voice(
            str(source), "audio/wav", 50, RenditionSettings(), str(disk / "out.m4a")
        )
        assert isinstance(result, VoiceFailure), result
        assert result.no_space
        assert not (disk / "out.m4a").exists()
    # A damaged file is not a full disk.
    source.write_bytes(GARBAGE)
    damaged = process_voice(str(source), "audio/wav", 50, RenditionSettings(), str(tmp_path / "o"))
    assert isinstance(damaged, VoiceFailure) and not damaged.no_space
