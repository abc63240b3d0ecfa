"""Audio test files as the unit tests of voice/ and preview/ (waveforms) share them: which type
intake stores each voice.speech() format as, and the type of the file-making fixture."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

MakeFile = Callable[[str, Callable[[], bytes]], Path]

# voice.speech() format -> the type intake stores it as (after refining WebM to audio)
STORED_TYPES = {
    "wav": "audio/wav",
    "mp3": "audio/mpeg",
    "ogg_opus": "audio/ogg",
    "ogg_vorbis": "audio/ogg",
    "webm_opus": "audio/webm",
    "m4a_aac": "audio/mp4",
}
SECONDS = 5.0
