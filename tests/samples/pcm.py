"""16-bit mono PCM encoded into audio files with PyAV: what audio's tones and voice's speech
are written with."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

import av


class Unseekable(io.RawIOBase):
    """A write-only sink that cannot seek back, like the stream a browser's MediaRecorder
    hands its chunks to: a muxer cannot go back to fill in the duration."""

    def __init__(self) -> None:
        self.data = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        self.data += b
        return len(b)

    def getvalue(self) -> bytes:
        return bytes(self.data)


def encode_pcm(
    pcm: bytes,
    rate: int,
    muxer: str,
    encoder: str,
    out_rate: int,
    layout: str = "mono",
    options: Mapping[str, str] | None = None,
    container_options: Mapping[str, str] | None = None,
    sink: io.BytesIO | Unseekable | None = None,
) -> bytes:
    """16-bit mono PCM at `rate`, resampled and encoded into `muxer` with PyAV, written to
    sink (a seekable buffer unless given)."""
    out = io.BytesIO() if sink is None else sink
    with av.open(out, "w", format=muxer, options=dict(container_options or {})) as container:
        stream = container.add_stream(encoder, rate=out_rate, options=dict(options or {}))
        assert isinstance(stream, av.AudioStream)
        stream.layout = layout
        ctx = stream.codec_context
        source = av.AudioFrame(format="s16", layout="mono", samples=len(pcm) // 2)
        source.planes[0].update(pcm)
        source.sample_rate = rate
        source.pts = 0
        resampler = av.AudioResampler(format=ctx.format, layout=layout, rate=out_rate)
        fifo = av.AudioFifo()
        for converted in [*resampler.resample(source), *resampler.resample(None)]:
            fifo.write(converted)
        for frame in fifo.read_many(ctx.frame_size or 1024, partial=True):
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return out.getvalue()
