"""Timings to report, not to assert (machines differ, and others share them): run with -s.

CPU time of this process (time.process_time), best of RUNS, for the whole voice pass over a
30 s speech clip: decode, peaks, loudness, rendition, hashing and re-measuring it. CPU time
rather than wall time, so that a busy machine does not count other processes' work.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from mediagate.voice.model import RenditionCodec, RenditionSettings, VoiceProcessed
from mediagate.voice.process import process_voice
from tests.samples import voice
from tests.unit.audio_files import STORED_TYPES, MakeFile

RUNS = 3
CLIP_SECONDS = 30.0


def _best_cpu_ms(path: Path, mime: str, codec: RenditionCodec, out: Path) -> float:
    best = float("inf")
    for _ in range(RUNS):
        started = time.process_time()
        result = process_voice(str(path), mime, 100, RenditionSettings(codec=codec), str(out))
        best = min(best, time.process_time() - started)
        assert isinstance(result, VoiceProcessed) and not result.silent
    return best * 1000


@pytest.mark.parametrize("fmt", list(STORED_TYPES))
def test_time_a_30_s_clip(tmp_path: Path, sample_file: MakeFile, fmt: str) -> None:
    path = sample_file(f"speech-{fmt}-30s", lambda: voice.speech(fmt, CLIP_SECONDS))
    figures = []
    for codec in RenditionCodec:
        ms = _best_cpu_ms(path, STORED_TYPES[fmt], codec, tmp_path / f"out{codec.extension}")
        figures.append(f"{codec.value} {ms:.0f} ms ({CLIP_SECONDS * 1000 / ms:.0f}x)")
    print(f"\n30 s {fmt} -> 48 kHz 48 kb/s mono, CPU best of {RUNS}: " + ", ".join(figures))
