"""Decoding a voice message once, to the mono samples at one rate that everything else
(duration, peaks, loudness, the rendition) is made from."""

from __future__ import annotations

from fractions import Fraction

import av
from av.filter import Graph

from mediagate.inspect.wav_extent import undeclared_bytes
from mediagate.voice.pcm import SAMPLE_BYTES, MonoPcm, pull_ready

# Stored type -> FFmpeg demuxer, as intake's probe (inspect/audio.py) chooses it: forcing the
# demuxer keeps FFmpeg from guessing among all it knows from hostile bytes.
DEMUXERS = {
    "audio/mpeg": "mp3",
    "audio/wav": "wav",
    "audio/ogg": "ogg",
    "video/ogg": "ogg",
    "audio/webm": "matroska",
    "video/webm": "matroska",
    "audio/mp4": "mov",
    "video/mp4": "mov",
    "audio/aac": "aac",
}


class NoAudio(ValueError):
    """The file has no audio stream, or its codec is one FFmpeg cannot decode."""


def decode_mono(path: str, mime: str, sample_rate: int) -> MonoPcm:
    """All of the first audio stream, mixed down to mono float at sample_rate.

    Raises whatever FFmpeg raises for a damaged file; a file that merely ends early yields
    the audio before the cut (intake has already judged whether that is a truncated file).
    """
    demuxer = DEMUXERS.get(mime)
    if demuxer is None:
        raise NoAudio(f"{mime or 'this type'} is not an audio type")
    options = {}
    if demuxer == "wav" and undeclared_bytes(path):
        options["ignore_length"] = "1"  # see wav_extent: samples past the declared end count
    samples = bytearray()
    # metadata_errors: PyAV decodes every tag on open, strictly as UTF-8 unless told; a tag in
    # Latin-1 bytes must not make the audio undecodable (inspect/audio.py opens files so too).
    with (
        open(path, "rb") as fh,
        av.open(fh, "r", format=demuxer, options=options, metadata_errors="replace") as container,
    ):
        if not container.streams.audio:
            raise NoAudio("the file has no audio stream")
        stream = container.streams.audio[0]
        if stream.codec_context is None:
            raise NoAudio("the file's audio codec is unknown")
        graph: Graph | None = None
        shape: tuple[str, int, str] | None = None
        for frame in container.decode(stream):
            # The mixdown is set up from decoded frames, not the stream header: only decoding
            # settles the layout and sample format, and they can change part-way (MP3s joined
            # end to end at different rates). A change flushes the old graph into the buffer.
            now = (frame.format.name, frame.sample_rate, frame.layout.name)
            if graph is None or now != shape:
                if graph is not None:
                    _drain(graph, samples, flush=True)
                graph, shape = _downmixer(frame, sample_rate), now
            graph.push(frame)
            _drain(graph, samples)
        if graph is not None:
            _drain(graph, samples, flush=True)
    return MonoPcm(bytes(samples), sample_rate)


def _drain(graph: Graph, into: bytearray, flush: bool = False) -> None:
    if flush:
        graph.push(None)
    for mono in pull_ready(graph):
        into += memoryview(mono.planes[0])[: mono.samples * SAMPLE_BYTES]


def _downmixer(frame: av.AudioFrame, sample_rate: int) -> Graph:
    """source -> mono flt at sample_rate. rematrix_maxval=1 scales the mixdown so that it
    never exceeds the loudest input channel: stereo becomes (L+R)/2, so a mono recording
    stored as two equal channels keeps its level (FFmpeg's default, L*0.707 + R*0.707, would
    make it 3 dB louder and push full-scale peaks past 1.0)."""
    graph = Graph()
    source = graph.add_abuffer(
        format=frame.format.name,
        sample_rate=frame.sample_rate,
        layout=frame.layout.name,
        time_base=frame.time_base or Fraction(1, frame.sample_rate),
    )
    resample = graph.add("aresample", "rematrix_maxval=1")
    convert = graph.add(
        "aformat", f"sample_fmts=flt:channel_layouts=mono:sample_rates={sample_rate}"
    )
    sink = graph.add("abuffersink")
    source.link_to(resample)
    resample.link_to(convert)
    convert.link_to(sink)
    graph.configure()
    return graph
