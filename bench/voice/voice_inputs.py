"""The voice benchmark's inputs: one 30 s speech clip, encoded as each format a voice message
arrives in, generated deterministically and cached under bench/results/voice-inputs/.

Speech rather than a tone, because the cost that matters depends on content: an encoder spends
more on speech than on a sine wave, silence detection and loudness normalisation only mean
something with pauses and varying level, and a codec's packets (Opus, Vorbis) vary in size
with what is said. The speech is espeak-ng reading a guest's message, repeated until it lasts
30 s and cut there, then encoded with PyAV (the FFmpeg that mediagate itself links).

espeak-ng and the encoders are deterministic for a given build, so the manifest records their
versions with the generator version; a file is made again when it is missing, changed in size,
or made by another recipe or build.
"""

from __future__ import annotations

import array
import functools
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import wave
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import av

# Bump when any generator changes, so cached files from an older recipe are remade.
GENERATOR_VERSION = 1
SECONDS = 30.0
ESPEAK_VOICE = "en-gb"
ESPEAK_WPM = 160  # a calm speaker; espeak's default of 175 sounds hurried
FADE_SECONDS = 0.05  # the cut at 30 s lands mid-word; a short fade avoids a click
TEXT = (
    "Hello, this is Maria Santos, I am booked in room two hundred and fourteen from Friday. "
    "My flight from Lisbon is delayed by about forty minutes, so I will only reach the hotel "
    "around half past nine in the evening. Could you please keep the room for me, and tell "
    "the restaurant that we will not make the dinner reservation? "
    "If there is any problem, you can call me back on this number. Thank you very much, bye."
)


@dataclass(frozen=True)
class VoiceInput:
    name: str  # what --only takes
    file_name: str
    sniffed: tuple[str, ...]  # what libmagic may call it (its answer varies by version)
    description: str
    container: str  # PyAV/FFmpeg muxer
    codec: str
    rate: int
    layout: str = "mono"
    bit_rate: int = 0  # 0: the encoder's default (Vorbis has no bitrate control here)
    codec_options: Mapping[str, str] = field(default_factory=dict)
    container_options: Mapping[str, str] = field(default_factory=dict)
    header_duration: bool = True  # False: the container says nothing about its length


INPUTS: tuple[VoiceInput, ...] = (
    VoiceInput(
        "mp3", "speech.mp3", ("audio/mpeg",), "MP3, libmp3lame CBR 64 kb/s, 44.1 kHz mono",
        "mp3", "libmp3lame", 44_100, bit_rate=64_000,
    ),
    VoiceInput(
        "wav", "speech.wav", ("audio/wav", "audio/x-wav"), "WAV, PCM s16le, 16 kHz mono",
        "wav", "pcm_s16le", 16_000,
    ),
    VoiceInput(
        "ogg_opus", "speech.opus", ("audio/ogg",), "Ogg Opus, libopus 32 kb/s, 48 kHz mono",
        "ogg", "libopus", 48_000, bit_rate=32_000,
    ),
    # FFmpeg's own Vorbis encoder (the wheel has no libvorbis) is experimental, encodes only
    # stereo and ignores a bitrate: its default quality is what a Vorbis file here looks like.
    VoiceInput(
        "ogg_vorbis", "speech.ogg", ("audio/ogg",),
        "Ogg Vorbis, FFmpeg's encoder, 44.1 kHz stereo", "ogg", "vorbis", 44_100,
        layout="stereo", codec_options={"strict": "experimental"},
    ),
    # As a browser's MediaRecorder writes it: a live stream, so no Duration in Segment Info
    # and no Cues; whoever wants the length must read the packets.
    VoiceInput(
        "webm_opus", "speech.webm", ("audio/webm", "video/webm"),
        "WebM Opus as MediaRecorder writes it (live: no duration, no cues), 32 kb/s, 48 kHz mono",
        "webm", "libopus", 48_000, bit_rate=32_000, container_options={"live": "1"},
        header_duration=False,
    ),
    VoiceInput(
        "m4a_aac", "speech.m4a", ("audio/mp4", "video/mp4", "audio/x-m4a"),
        "M4A, FFmpeg AAC-LC 64 kb/s, 44.1 kHz mono", "ipod", "aac", 44_100, bit_rate=64_000,
    ),
)  # fmt: skip


def espeak_version() -> str:
    done = subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True, check=True)
    return done.stdout.split("Data at:")[0].strip()


def _espeak(text: str, path: Path) -> tuple[bytes, int]:
    """espeak-ng's PCM (s16 mono) and sample rate for `text`."""
    subprocess.run(
        ["espeak-ng", "-v", ESPEAK_VOICE, "-s", str(ESPEAK_WPM), "-w", str(path), text],
        check=True,
        capture_output=True,
    )
    with wave.open(str(path), "rb") as w:
        assert w.getnchannels() == 1 and w.getsampwidth() == 2, "espeak-ng wrote non-s16 mono"
        return w.readframes(w.getnframes()), w.getframerate()


def speech_pcm(work: Path) -> tuple[bytes, int]:
    """SECONDS of speech as s16 mono PCM: the text read as often as it takes, then cut."""
    once, rate = _espeak(TEXT, work / "once.wav")
    wanted = round(SECONDS * rate)
    repeats = -(-wanted // (len(once) // 2))  # ceiling division
    pcm, rate = _espeak(" ".join([TEXT] * repeats), work / "all.wav")
    while len(pcm) // 2 < wanted:  # espeak-ng trims trailing pauses, so a reading may fall short
        repeats += 1
        pcm, rate = _espeak(" ".join([TEXT] * repeats), work / "all.wav")
    samples = array.array("h")
    samples.frombytes(pcm[: wanted * 2])
    fade = round(FADE_SECONDS * rate)
    for i in range(fade):
        samples[wanted - fade + i] = samples[wanted - fade + i] * (fade - i) // fade
    return samples.tobytes(), rate


def encode(pcm: bytes, source_rate: int, item: VoiceInput, path: Path) -> None:
    """Encodes s16 mono PCM as `item` says, the way tests/samples/pcm.py's encode_pcm does
    (resample, then feed the encoder frames of its own frame size)."""
    with av.open(
        str(path), "w", format=item.container, options=dict(item.container_options)
    ) as container:
        stream = container.add_stream(item.codec, rate=item.rate, options=dict(item.codec_options))
        assert isinstance(stream, av.AudioStream)
        stream.layout = item.layout
        if item.bit_rate:
            stream.bit_rate = item.bit_rate
        ctx = stream.codec_context
        source = av.AudioFrame(format="s16", layout="mono", samples=len(pcm) // 2)
        source.planes[0].update(pcm)
        source.sample_rate = source_rate
        source.pts = 0
        resampler = av.AudioResampler(format=ctx.format, layout=item.layout, rate=item.rate)
        fifo = av.AudioFifo()
        for converted in resampler.resample(source):
            fifo.write(converted)
        for converted in resampler.resample(None):  # the resampler's delayed tail
            fifo.write(converted)
        for frame in fifo.read_many(ctx.frame_size or 1024, partial=True):
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))


def _atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Writes via a temporary sibling so an interrupted run never leaves a truncated input."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=path.suffix)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o644)  # mkstemp makes it private; these are shareable fixtures
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _recipe() -> dict[str, object]:
    """Everything that decides the bytes: a change in any of it remakes the inputs."""
    return {
        "version": GENERATOR_VERSION,
        "espeak_ng": espeak_version(),
        "ffmpeg_in_pyav": str(av.library_versions.get("libavcodec")),
        "pyav": av.__version__,
    }


def ensure_inputs(directory: Path, wanted: list[VoiceInput]) -> dict[str, dict[str, object]]:
    """Makes any missing or stale input; returns the manifest entries of the wanted ones."""
    if shutil.which("espeak-ng") is None:
        raise SystemExit(
            "espeak-ng is not installed: apt-get install espeak-ng (or make bench-voice)"
        )
    directory.mkdir(parents=True, exist_ok=True)
    manifest_path = directory / "manifest.json"
    try:
        manifest = json.loads(manifest_path.read_text())
    except (OSError, ValueError):
        manifest = {}
    recipe = _recipe()
    if manifest.get("recipe") != recipe:
        manifest = {"recipe": recipe, "files": {}}
    files: dict[str, dict[str, object]] = manifest["files"]
    pcm: tuple[bytes, int] | None = None  # spoken once per run, only when something is stale
    with tempfile.TemporaryDirectory() as work:
        for item in wanted:
            path = directory / item.file_name
            entry = files.get(item.name)
            if entry is not None and path.exists() and path.stat().st_size == entry["bytes"]:
                continue
            print(f"generating {item.file_name} ...", flush=True)
            if pcm is None:
                pcm = speech_pcm(Path(work))
            speech, rate = pcm
            _atomic_write(path, functools.partial(encode, speech, rate, item))
            data = path.read_bytes()
            files[item.name] = {
                "file": item.file_name,
                "bytes": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
                "description": item.description,
            }
            manifest_path.write_text(json.dumps(manifest, indent=2))
    return {item.name: files[item.name] for item in wanted}
