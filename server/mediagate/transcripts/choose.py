"""Which transcript a voice message gets: the caller's, else the engine's, else the placeholder.

An engine that fails or says nothing never fails the upload: accessibility needs *some* text,
and the placeholder tells the agent how long the message is.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from mediagate.transcripts.engines import EngineError, SpeechToText

log = logging.getLogger(__name__)

MAX_CALLER_TRANSCRIPT_BYTES = 64 * 1024


@dataclass(frozen=True)
class Transcript:
    text: str
    language: str
    source: str  # CALLER | PLACEHOLDER | ENGINE
    engine: str = ""


def clock(seconds: float) -> str:
    """0:07, 1:05, 1:02:03: how a chat shows a duration."""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def placeholder(template: str, seconds: float, language: str = "") -> Transcript:
    return Transcript(template.format(duration=clock(seconds)), language, "PLACEHOLDER")


def choose_transcript(
    caller_text: str,
    language: str,
    engine: SpeechToText | None,
    audio: Path,
    mime: str,
    seconds: float,
    template: str,
) -> Transcript:
    if caller_text.strip():
        return Transcript(caller_text.strip(), language, "CALLER")
    if engine is not None:
        try:
            heard = engine.transcribe(audio, mime, language)
        except EngineError as exc:
            log.warning("speech-to-text failed, using the placeholder: %s", exc)
            heard = None
        if heard is not None:
            return Transcript(heard.text, heard.language, "ENGINE", engine.name)
    return placeholder(template, seconds, language)
