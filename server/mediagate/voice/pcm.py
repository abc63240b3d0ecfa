"""Decoded voice audio held in memory, and the plumbing that moves it through FFmpeg filters.

A voice message is buffered whole, as one channel of 32-bit floats: loudness has to be
measured over all of it before the first sample of the rendition can be levelled. Profiles
bound voice messages to a few minutes, so the buffer stays small (60 s at 48 kHz is 11 MB).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

import av
from av.filter import Graph

SAMPLE_BYTES = 4  # float32
_FRAME_SAMPLES = 16384  # per frame handed to FFmpeg: few frames, so little Python per second


@dataclass(frozen=True)
class MonoPcm:
    samples: bytes  # native-endian float32 ("flt"), one channel; full scale is +-1.0
    sample_rate: int

    @property
    def count(self) -> int:
        return len(self.samples) // SAMPLE_BYTES

    @property
    def duration_seconds(self) -> float:
        return self.count / self.sample_rate

    def frames(self) -> Iterator[av.AudioFrame]:
        """The samples as consecutive frames, timestamped in samples."""
        step = _FRAME_SAMPLES * SAMPLE_BYTES
        for start in range(0, len(self.samples), step):
            chunk = self.samples[start : start + step]
            frame = av.AudioFrame(format="flt", layout="mono", samples=len(chunk) // SAMPLE_BYTES)
            frame.planes[0].update(chunk)
            frame.sample_rate = self.sample_rate
            frame.pts = start // SAMPLE_BYTES
            frame.time_base = Fraction(1, self.sample_rate)
            yield frame


def mono_source(graph: Graph, sample_rate: int) -> av.filter.FilterContext:
    """The input of a graph fed with MonoPcm.frames()."""
    return graph.add_abuffer(
        format="flt", sample_rate=sample_rate, layout="mono", time_base=Fraction(1, sample_rate)
    )


def pull_ready(graph: Graph) -> Iterator[av.AudioFrame]:
    """The frames a graph has ready now; after a push(None), all that remain."""
    while True:
        try:
            frame = graph.pull()
        except (av.error.BlockingIOError, av.error.EOFError):
            return
        assert isinstance(frame, av.AudioFrame)
        yield frame


def run_through(graph: Graph, frames: Iterator[av.AudioFrame]) -> Iterator[av.AudioFrame]:
    """Pushes every frame into a configured graph and yields what comes out, flushing at the
    end. Pulling after each push keeps only a frame or two inside FFmpeg at a time."""
    for frame in frames:
        graph.push(frame)
        yield from pull_ready(graph)
    graph.push(None)
    yield from pull_ready(graph)
