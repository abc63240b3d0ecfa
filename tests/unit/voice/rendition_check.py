"""Reading a rendition back with PyAV: what a browser's decoder would find in it."""

from __future__ import annotations

import array
from dataclasses import dataclass
from pathlib import Path

import av


@dataclass(frozen=True)
class ReadBack:
    codec: str
    channels: int
    sample_rate: int
    decoded_seconds: float  # what the decoder returned (encoder priming and padding removed)
    bitrate_bps: float  # packet bytes over the decoded duration
    peak: float  # the largest |sample| decoded; 1.0 is full scale


def read_back(path: Path) -> ReadBack:
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        ctx = stream.codec_context
        samples = 0
        packet_bytes = 0
        peak = 0.0
        for packet in container.demux(stream):
            packet_bytes += packet.size
            for frame in packet.decode():
                assert isinstance(frame, av.AudioFrame)
                samples += frame.samples
                peak = max(peak, _peak(frame))
        seconds = samples / ctx.sample_rate
        return ReadBack(
            codec=ctx.name,
            channels=ctx.channels,
            sample_rate=ctx.sample_rate,
            decoded_seconds=seconds,
            bitrate_bps=packet_bytes * 8 / seconds,
            peak=peak,
        )


def _peak(frame: av.AudioFrame) -> float:
    # AAC, MP3 and Opus decoders all hand out 32-bit float samples.
    assert frame.format.name in ("flt", "fltp"), frame.format.name
    peak = 0.0
    for plane in frame.planes:
        values = array.array("f")
        values.frombytes(bytes(plane)[: frame.samples * 4])
        peak = max(peak, max(values), -min(values))
    return peak
