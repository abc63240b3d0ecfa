from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from mediagate.transcripts.choose import choose_transcript, clock
from mediagate.transcripts.engines import (
    CommandEngine,
    EngineError,
    WhisperHttpEngine,
    engine_from_setting,
)

ENGINE = Path(__file__).parents[2] / "support" / "stt_engine.py"
TEMPLATE = "Voice message, {duration}"


class _Whisper(BaseHTTPRequestHandler):
    """Speaks the OpenAI-compatible transcription API's shape: multipart in, JSON out."""

    mode = "ok"
    seen: ClassVar[list[bytes]] = []
    release = threading.Event()

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Whisper.seen.append(body)
        if _Whisper.mode == "hang":
            _Whisper.release.wait(10)
            return
        if _Whisper.mode == "fail":
            self.send_response(500)
            self.end_headers()
            return
        answer = json.dumps({"text": " Where is my parcel? ", "language": "en"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def whisper() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Whisper)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Whisper.mode, _Whisper.seen = "ok", []
    _Whisper.release.clear()
    yield f"http://127.0.0.1:{server.server_port}/v1/audio/transcriptions"
    _Whisper.release.set()
    server.shutdown()


@pytest.fixture
def audio(tmp_path: Path) -> Path:
    path = tmp_path / "note.ogg"
    path.write_bytes(b"OggS" + b"\0" * 100)
    return path


def test_clock() -> None:
    assert [clock(s) for s in (0.4, 7.2, 65, 3723)] == ["0:00", "0:07", "1:05", "1:02:03"]


def test_the_caller_wins_over_any_engine(audio: Path, whisper: str) -> None:
    engine = WhisperHttpEngine(whisper, 5)
    t = choose_transcript(" I'm here ", "en", engine, audio, "audio/ogg", 3.0, TEMPLATE)
    assert (t.text, t.source) == ("I'm here", "CALLER")
    assert _Whisper.seen == []


def test_a_whisper_server_transcribes(audio: Path, whisper: str) -> None:
    engine = engine_from_setting(whisper, 5)
    t = choose_transcript("", "en", engine, audio, "audio/ogg", 3.0, TEMPLATE)
    assert (t.text, t.language, t.source) == ("Where is my parcel?", "en", "ENGINE")
    assert t.engine.startswith("whisper-http:127.0.0.1:")
    (body,) = _Whisper.seen
    assert b'name="model"' in body and b'name="language"\r\n\r\nen' in body
    assert b'filename="note.ogg"' in body and audio.read_bytes() in body


@pytest.mark.parametrize("mode", ["fail", "hang"])
def test_a_failing_or_silent_server_gives_the_placeholder(
    audio: Path, whisper: str, mode: str
) -> None:
    _Whisper.mode = mode
    engine = WhisperHttpEngine(whisper, 0.5)
    with pytest.raises(EngineError):
        engine.transcribe(audio, "audio/ogg", "")
    t = choose_transcript("", "", engine, audio, "audio/ogg", 12.4, TEMPLATE)
    assert (t.text, t.source) == ("Voice message, 0:12", "PLACEHOLDER")


def test_a_command_engine(audio: Path) -> None:
    engine = CommandEngine(str(ENGINE), 10)
    heard = engine.transcribe(audio, "audio/ogg", "de")
    assert heard is not None and heard.text == "heard 104 bytes of speech in de"
    with pytest.raises(EngineError):
        CommandEngine("/nonexistent/engine", 10).transcribe(audio, "audio/ogg", "")


def test_settings() -> None:
    assert engine_from_setting("", 1) is None
    assert isinstance(engine_from_setting("command:/bin/true", 1), CommandEngine)
    with pytest.raises(ValueError):
        engine_from_setting("ftp://nope", 1)
