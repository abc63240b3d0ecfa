"""How loud a voice message is, and the gain that brings it to the target.

The measurement is ITU-R BS.1770-4 integrated loudness (K-weighting, 400 ms blocks with 75 %
overlap, absolute gate at -70 LUFS, relative gate at -10 LU), taken from FFmpeg's ebur128
filter rather than computed here: the K-weighting filters are recursive, one step per sample,
which pure Python runs at ~1 s per 30 s of 48 kHz audio; the filter does it in ~20 ms.
"""

from __future__ import annotations

from av.filter import Graph

from mediagate.voice.pcm import MonoPcm, mono_source, run_through

MAX_BOOST_DB = 20.0  # past this, a whisper's noise floor becomes a hiss as loud as speech
PEAK_CEILING_DBFS = -1.0  # headroom for the codec: lossy encoding overshoots sample peaks
_GATE_LUFS = -70.0  # what the meter reports when no block rises above the absolute gate
_INTEGRATED = "lavfi.r128.I"


def integrated_lufs(pcm: MonoPcm) -> float | None:
    """The integrated loudness, or None when there is nothing to measure: under 400 ms of
    audio, or every block below the absolute gate."""
    graph = Graph()
    source = mono_source(graph, pcm.sample_rate)
    # metadata=1: each 100 ms output frame carries the running measurements, the last one
    # those of the whole message. The filter logs a summary at the end; no one reads it.
    meter = graph.add("ebur128", "metadata=1")
    sink = graph.add("abuffersink")
    source.link_to(meter)
    meter.link_to(sink)
    graph.configure()
    integrated: str | None = None
    for frame in run_through(graph, pcm.frames()):
        integrated = frame.metadata.get(_INTEGRATED, integrated)
    if integrated is None or float(integrated) <= _GATE_LUFS:
        return None
    return float(integrated)


def normalising_gain(lufs: float | None, peak_dbfs: float, target_lufs: float) -> float:
    """The gain in dB that brings `lufs` to the target: at most MAX_BOOST_DB, and never so
    much that the loudest sample passes PEAK_CEILING_DBFS. A plain gain, no limiter: speech
    with one loud click stays quieter than the target rather than being compressed."""
    if lufs is None:
        return 0.0
    return min(target_lufs - lufs, MAX_BOOST_DB, PEAK_CEILING_DBFS - peak_dbfs)
