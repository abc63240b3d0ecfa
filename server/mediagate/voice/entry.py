"""The worker-side entry points of voice processing: PyAV loads only in the workers."""

from __future__ import annotations

from mediagate.voice.model import RenditionSettings, VoiceFailure, VoiceProcessed


def process_in_worker(
    path: str, mime: str, bins: int, settings: RenditionSettings, out_path: str, silence_dbfs: float
) -> VoiceProcessed | VoiceFailure:
    from mediagate.voice.process import process_voice

    return process_voice(path, mime, bins, settings, out_path, silence_dbfs)
