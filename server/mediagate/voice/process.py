"""The voice-message pass a worker runs: decode once, then from those samples the duration,
the waveform peaks, the peak level, silence, and the levelled rendition.

Pure and synchronous, for worker processes; never raises for a bad file.
"""

from __future__ import annotations

import contextlib
import errno
import os

from mediagate.media.scrub import describe
from mediagate.voice.decode import decode_mono
from mediagate.voice.levels import dbfs, measure
from mediagate.voice.loudness import integrated_lufs, normalising_gain
from mediagate.voice.model import RenditionSettings, VoiceFailure, VoiceProcessed
from mediagate.voice.rendition import write_rendition

CORRUPT = "CORRUPT"


def process_voice(
    path: str,
    mime: str,
    bins: int,
    settings: RenditionSettings,
    out_path: str,
    silence_dbfs: float = -50.0,
) -> VoiceProcessed | VoiceFailure:
    """Processes the voice message at `path` (stored type `mime`) and writes its rendition to
    out_path, unless it is silent: no sample above silence_dbfs. After a failure or for
    silence there is no file at out_path that this call wrote.

    Raises ValueError for negative bins: a caller's mistake, not something wrong with the file.
    """
    if bins < 0:
        raise ValueError("bins must not be negative")
    writing = False
    try:
        pcm = decode_mono(path, mime, settings.sample_rate_hz)
        if pcm.count == 0:
            return VoiceFailure(CORRUPT, "The file holds no audio that decodes.")
        levels = measure(pcm, bins)
        peak_dbfs = dbfs(levels.peak)
        if peak_dbfs <= silence_dbfs:
            return VoiceProcessed(
                duration_seconds=pcm.duration_seconds,
                peaks=levels.peaks,
                peak_dbfs=peak_dbfs,
                silent=True,
            )
        gain_db = 0.0
        if settings.normalise_loudness:
            gain_db = normalising_gain(integrated_lufs(pcm), peak_dbfs, settings.target_lufs)
        writing = True
        rendition = write_rendition(pcm, gain_db, settings, out_path)
    except Exception as exc:  # the contract: a hostile file costs time, never a crash
        if writing:
            with contextlib.suppress(OSError):
                os.unlink(out_path)
        return VoiceFailure(
            CORRUPT,
            f"The audio cannot be processed: {describe(exc, path, out_path)}",
            no_space=writing and _no_space(exc),
        )
    return VoiceProcessed(
        duration_seconds=pcm.duration_seconds,
        peaks=levels.peaks,
        peak_dbfs=peak_dbfs,
        silent=False,
        rendition_sha256=rendition.sha256,
        rendition_size_bytes=rendition.size_bytes,
        rendition_duration_seconds=rendition.duration_seconds,
        gain_db=gain_db,
    )


def _no_space(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)
