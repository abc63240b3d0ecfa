"""Voice-message processing as plain data: what to make, and what the worker hands back.

Everything here crosses into worker processes, so it is frozen, picklable data.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field


class RenditionCodec(enum.StrEnum):
    AAC = "aac"  # in M4A: plays in every agent-desktop browser, the default
    MP3 = "mp3"
    OPUS = "opus"  # in Ogg

    @property
    def mime_type(self) -> str:
        return {"aac": "audio/mp4", "mp3": "audio/mpeg", "opus": "audio/ogg"}[self.value]

    @property
    def extension(self) -> str:
        return {"aac": ".m4a", "mp3": ".mp3", "opus": ".ogg"}[self.value]


@dataclass(frozen=True)
class RenditionSettings:
    """The playback-safe rendition: one format, mono, a fixed bitrate, optionally levelled."""

    codec: RenditionCodec = RenditionCodec.AAC
    bitrate_bps: int = 48_000
    sample_rate_hz: int = 48_000
    normalise_loudness: bool = True
    target_lufs: float = -16.0  # speech on laptops and headsets

    @property
    def cache_key(self) -> str:
        norm = f"norm{self.target_lufs:g}" if self.normalise_loudness else "raw"
        return (
            f"rendition-{self.codec.value}-{self.bitrate_bps // 1000}k-"
            f"{self.sample_rate_hz // 1000}k-mono-{norm}"
        )


@dataclass(frozen=True)
class VoiceProcessed:
    """What one decoding pass over a voice message produced."""

    duration_seconds: float  # of the decoded audio
    peaks: tuple[float, ...]  # `bins` values in 0..1: the loudest sample in each slice
    peak_dbfs: float  # the loudest sample of the whole message (-inf for digital silence)
    silent: bool  # nothing above the silence threshold: not a message
    # The rendition written to out_path (absent when silent: nothing worth playing).
    rendition_sha256: str = ""
    rendition_size_bytes: int = 0
    rendition_duration_seconds: float = 0.0
    gain_db: float = 0.0  # what loudness normalisation applied


@dataclass(frozen=True)
class VoiceFailure:
    """The audio could not be processed; reason is a RejectionReason name (CORRUPT, ...).
    no_space: writing the rendition found the disk full, which says nothing about the file."""

    reason: str
    message: str
    metadata: Mapping[str, str] = field(default_factory=dict)
    no_space: bool = False
