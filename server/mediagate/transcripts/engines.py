"""Speech-to-text engines behind one small interface, chosen by a setting.

    ""                              none: transcripts fall back to the placeholder
    "command:/path/to/program"      runs `program AUDIO_PATH LANGUAGE`; stdout is the transcript
    "http(s)://host/v1/audio/transcriptions"
                                    an OpenAI-compatible transcription endpoint, as Whisper
                                    servers (faster-whisper-server, whisper.cpp's server, ...)
                                    speak it: multipart form with `file` and `model`, JSON answer
                                    {"text": ...}

No engine downloads a model: a deployment points the setting at an engine it runs.
"""

from __future__ import annotations

import json
import secrets
import subprocess
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class EngineTranscript:
    text: str
    language: str


class SpeechToText(Protocol):
    name: str

    def transcribe(self, audio: Path, mime: str, language: str) -> EngineTranscript | None:
        """The transcript, or None when the engine has nothing to say. Raises on failure."""


class EngineError(RuntimeError):
    pass


class CommandEngine:
    def __init__(self, program: str, timeout_seconds: float) -> None:
        self.program = program
        self.name = f"command:{Path(program).name}"
        self._timeout = timeout_seconds

    def transcribe(self, audio: Path, mime: str, language: str) -> EngineTranscript | None:
        try:
            done = subprocess.run(
                [self.program, str(audio), language],
                capture_output=True,
                timeout=self._timeout,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise EngineError(f"{self.name}: {exc}") from exc
        if done.returncode != 0:
            raise EngineError(f"{self.name} exited with {done.returncode}")
        text = done.stdout.decode("utf-8", errors="replace").strip()
        return EngineTranscript(text, language) if text else None


class WhisperHttpEngine:
    def __init__(self, url: str, timeout_seconds: float, model: str = "whisper-1") -> None:
        self.url = url
        self.name = f"whisper-http:{urllib.parse.urlsplit(url).netloc}"
        self._timeout = timeout_seconds
        self._model = model

    def transcribe(self, audio: Path, mime: str, language: str) -> EngineTranscript | None:
        boundary = secrets.token_hex(16)
        fields = [("model", self._model), ("response_format", "json")]
        if language:
            fields.append(("language", language))
        body = bytearray()
        for key, value in fields:
            body += (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'
            ).encode()
        body += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{audio.name}"\r\nContent-Type: {mime}\r\n\r\n'
        ).encode()
        body += audio.read_bytes()  # a voice message: bounded by the profile's limits
        body += f"\r\n--{boundary}--\r\n".encode()
        request = urllib.request.Request(
            self.url,
            data=bytes(body),
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:
                answer = json.loads(response.read())
        except (OSError, ValueError) as exc:
            raise EngineError(f"{self.name}: {exc}") from exc
        text = str(answer.get("text", "")).strip()
        return EngineTranscript(text, str(answer.get("language", language))) if text else None


def engine_from_setting(setting: str, timeout_seconds: float) -> SpeechToText | None:
    if not setting:
        return None
    if setting.startswith("command:"):
        return CommandEngine(setting.removeprefix("command:"), timeout_seconds)
    if setting.startswith(("http://", "https://")):
        return WhisperHttpEngine(setting, timeout_seconds)
    raise ValueError(f"unknown speech-to-text engine setting: {setting!r}")
