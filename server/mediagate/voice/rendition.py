"""Writing the playback-safe rendition: the decoded mono audio, levelled by a gain, encoded
with one codec at one bitrate into the container browsers expect for it."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass

import av
from av.filter import Graph

from mediagate.inspect.audio import probe_audio
from mediagate.voice.model import RenditionCodec, RenditionSettings
from mediagate.voice.pcm import MonoPcm, mono_source, run_through

# codec -> (FFmpeg encoder, encoder options, muxer, muxer options).
# The encoder options buy speed with some quality, to keep the whole pass over 100x real time.
# CPU time to encode 30 s of speech at 48 kHz, 48 kb/s, default option -> chosen one:
#   AAC: coder "twoloop" (searches quantisers band by band) 900 ms -> "fast" 150 ms. FFmpeg
#        calls "fast" lower quality; at 48 kb/s speech stays intelligible, music would suffer.
#   MP3: LAME -q 5 480 ms -> -q 7 260 ms (LAME's "fast, ok quality" setting).
#   Opus: complexity 10 300 ms -> 5 110 ms. Below 7, libopus's unconstrained VBR ran to
#        80 kb/s when asked for 48, so VBR is constrained to the bitrate.
# tests/unit/voice/test_timing.py prints the figures for the whole pass.
_OUTPUTS: dict[RenditionCodec, tuple[str, dict[str, str], str, dict[str, str]]] = {
    # "ipod" is the mp4 muxer with M4A's brand; faststart moves the index (moov) ahead of the
    # audio, so that a browser can start playing before the download ends.
    RenditionCodec.AAC: ("aac", {"aac_coder": "fast"}, "ipod", {"movflags": "+faststart"}),
    # The mp3 muxer writes a Xing/LAME frame: frame count for the duration, TOC for seeking.
    RenditionCodec.MP3: ("libmp3lame", {"compression_level": "7"}, "mp3", {}),
    RenditionCodec.OPUS: (
        "libopus",
        {"compression_level": "5", "vbr": "constrained"},
        "ogg",
        {},
    ),
}


@dataclass(frozen=True)
class Rendition:
    sha256: str
    size_bytes: int
    duration_seconds: float  # measured by demuxing the written file, as intake measures


def write_rendition(
    pcm: MonoPcm, gain_db: float, settings: RenditionSettings, out_path: str
) -> Rendition:
    encoder, encoder_options, muxer, muxer_options = _OUTPUTS[settings.codec]
    # An absolute path: FFmpeg reads "name:rest" as a protocol name, an absolute path never.
    target = os.path.abspath(out_path)
    # faststart rewrites the file through its own name, so FFmpeg opens the path itself
    # rather than a Python file object.
    with av.open(target, "w", format=muxer, options=muxer_options) as container:
        rate = _encoder_rate(encoder, pcm.sample_rate)
        stream = container.add_stream(encoder, rate=rate, options=encoder_options)
        assert isinstance(stream, av.AudioStream)
        stream.layout = "mono"
        stream.bit_rate = settings.bitrate_bps
        # PyAV converts each frame to the encoder's sample format and rate and cuts it to
        # the encoder's frame size.
        for frame in _levelled(pcm, gain_db):
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    with open(target, "rb") as fh:
        digest = hashlib.file_digest(fh, "sha256").hexdigest()
        size = fh.seek(0, os.SEEK_END)
    return Rendition(digest, size, _measured_seconds(target, settings.codec.mime_type))


def _encoder_rate(encoder: str, wanted: int) -> int:
    """wanted if the encoder takes it, else the nearest rate above it it takes (Opus knows
    only 8, 12, 16, 24 and 48 kHz, so 44.1 kHz becomes 48 kHz), else its highest."""
    rates = av.Codec(encoder, "w").audio_rates
    if not rates or wanted in rates:
        return wanted
    above = [rate for rate in rates if rate > wanted]
    return min(above) if above else max(rates)


def _levelled(pcm: MonoPcm, gain_db: float) -> Iterator[av.AudioFrame]:
    if not gain_db:
        yield from pcm.frames()
        return
    graph = Graph()
    source = mono_source(graph, pcm.sample_rate)
    volume = graph.add("volume", f"volume={gain_db:.4f}dB:precision=float")
    sink = graph.add("abuffersink")
    source.link_to(volume)
    volume.link_to(sink)
    graph.configure()
    yield from run_through(graph, pcm.frames())


def _measured_seconds(path: str, mime: str) -> float:
    """The written file's duration the way intake measures any upload (packets, not
    headers), so a stored rendition and an upload are measured alike."""
    facts = probe_audio(path, mime)
    if facts.audio is None or facts.findings:
        problems = "; ".join(f.message for f in facts.findings) or "no audio stream"
        raise RuntimeError(f"the rendition does not read back: {problems}")
    return facts.audio.duration_seconds
