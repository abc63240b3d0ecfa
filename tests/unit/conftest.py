"""Audio samples are slow to make (espeak-ng, then an encoder): each is made once a session."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.samples import voice
from tests.unit.audio_files import SECONDS, MakeFile


@pytest.fixture(scope="session")
def sample_file(tmp_path_factory: pytest.TempPathFactory) -> MakeFile:
    """make(name, build) -> the path of a file holding build()'s bytes, built once."""
    root = tmp_path_factory.mktemp("voice-samples")
    made: dict[str, Path] = {}

    def make(name: str, build: Callable[[], bytes]) -> Path:
        if name not in made:
            path = root / name
            path.write_bytes(build())
            made[name] = path
        return made[name]

    return make


@pytest.fixture(scope="session")
def speech_file(sample_file: MakeFile) -> Callable[[str], Path]:
    """SECONDS of speech in a voice.speech() format."""

    def make(fmt: str) -> Path:
        return sample_file(f"speech-{fmt}", lambda: voice.speech(fmt, SECONDS))

    return make
