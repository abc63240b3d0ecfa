"""A voice message's way through: the same intake, inspection and policy as Upload, then one
worker pass over the audio (duration, waveform, silence, playback rendition), a transcript, and
one commit of the recording, its rendition and the voice details together.

The rendition is made once per distinct recording and settings: the worker's result is kept as
a derived blob of the recording, and the rendition's bytes are a content-addressed blob, so a
re-sent recording (another tenant, another conversation) reuses both.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
import secrets
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from mediagate.errors import ErrorReason, MediagateError, Rejected
from mediagate.intake.parts import Parts
from mediagate.pipeline.records import new_attachment_id, record_for
from mediagate.pipeline.upload import Examined
from mediagate.reasons import Finding, Reason
from mediagate.store.attachments import AttachmentStore, MissingBlob
from mediagate.store.reads import StoreReads
from mediagate.store.records import (
    RENDITION_OF_LABEL,
    AttachmentRecord,
    RenditionRef,
    attachment_name,
)
from mediagate.telemetry import metrics
from mediagate.transcripts.choose import MAX_CALLER_TRANSCRIPT_BYTES, Transcript, choose_transcript
from mediagate.transcripts.engines import SpeechToText
from mediagate.usecases.admission import Caller
from mediagate.usecases.attachments import Attachments
from mediagate.usecases.uploads import Kind, Uploads
from mediagate.voice.entry import process_in_worker
from mediagate.voice.model import RenditionSettings, VoiceFailure, VoiceProcessed
from mediagate.workers.failures import refusal
from mediagate.workers.pool import WorkerFailed, WorkerPool

log = logging.getLogger(__name__)

RENDITION_LABEL = RENDITION_OF_LABEL


@dataclass(frozen=True)
class VoiceOptions:
    profile: str
    bins: int
    rendition: RenditionSettings
    silence_dbfs: float
    placeholder: str
    engine: SpeechToText | None
    staging_dir: Path


@dataclass
class Said:
    """What the caller said in the voice header beyond the upload header. The edge fills it
    in when the header message is read, which intake does once the upload is admitted."""

    transcript: str = ""
    language: str = ""
    heard: bool = False

    def hear(self, transcript: str, language: str) -> None:
        self.transcript, self.language, self.heard = transcript, language, True


@dataclass(frozen=True)
class Rendition:
    record: AttachmentRecord
    codec: str
    bitrate_bps: int
    gain_db: float
    duration_seconds: float


@dataclass(frozen=True)
class VoiceMessage:
    """A stored voice message: the recording, what its worker pass learned, its renditions
    (those not deleted on their own) and its transcript."""

    recording: AttachmentRecord
    waveform: list[float]
    transcript: Transcript
    renditions: list[Rendition]


def _with_playback(recording: AttachmentRecord, rendition: AttachmentRecord) -> AttachmentRecord:
    """The recording listing its playback rendition (Attachment.renditions)."""
    ref = RenditionRef(rendition.id, "playback", rendition.detected_mime_type, rendition.size_bytes)
    return dataclasses.replace(recording, renditions=(ref,))


def not_a_voice_message(attachment_id: str) -> MediagateError:
    name = attachment_name(attachment_id)
    return MediagateError(
        ErrorReason.NOT_A_VOICE_MESSAGE,
        f"{name} was not uploaded as a voice message.",
        {"name": name},
    )


class VoiceMessages:
    def __init__(
        self,
        uploads: Uploads,
        attachments: Attachments,
        store: AttachmentStore,
        reads: StoreReads,
        voice_lane: WorkerPool,
        stt_threads: ThreadPoolExecutor,
        options: VoiceOptions,
    ) -> None:
        self._uploads = uploads
        self._attachments = attachments
        self._store = store
        self._reads = reads
        self._lane = voice_lane
        # Speech-to-text waits on an engine for up to its timeout: in threads of its own, so
        # it never holds the threads that commits and reads need.
        self._stt = stt_threads
        self._options = options

    async def upload(self, parts: Parts, said: Said, who: Caller) -> VoiceMessage:
        def check_transcript(_: object) -> None:
            if len(said.transcript.encode()) > MAX_CALLER_TRANSCRIPT_BYTES:
                raise MediagateError(
                    ErrorReason.INVALID_HEADER,
                    "transcript is at most 64 KiB",
                    {"field": "transcript"},
                )

        async def keep(examined: Examined, owner: str) -> tuple[AttachmentRecord, bool]:
            return await self._process_and_commit(examined, owner, said)

        try:
            stored = await self._uploads.take_in(
                parts, who, self._options.profile, Kind.VOICE_MESSAGE, keep, check_transcript
            )
        except Rejected:
            metrics.VOICE_MESSAGES.labels("refused").inc()
            raise
        except Exception:
            metrics.VOICE_MESSAGES.labels("failed").inc()
            raise
        metrics.VOICE_MESSAGES.labels("accepted").inc()
        return await self.get(who.tenant, stored.id)

    async def get(self, tenant: str, attachment_id: str) -> VoiceMessage:
        """Raises ATTACHMENT_NOT_FOUND, or NOT_A_VOICE_MESSAGE for a plain attachment."""
        record = await self._attachments.get(tenant, attachment_id)
        details = await self._reads.voice_details(tenant, attachment_id)
        if details is None:
            raise not_a_voice_message(attachment_id)
        renditions = []
        for item in details["renditions"]:
            rendition = await self._reads.get(tenant, item["id"])
            if rendition is None:  # deleted on its own; the voice message stays
                continue
            renditions.append(
                Rendition(
                    record=rendition,
                    codec=item["codec"],
                    bitrate_bps=item["bitrate_bps"],
                    gain_db=item["gain_db"],
                    duration_seconds=item["duration_seconds"],
                )
            )
        return VoiceMessage(
            recording=record,
            waveform=list(details["waveform"]),
            transcript=Transcript(**details["transcript"]),
            renditions=renditions,
        )

    async def _process_and_commit(
        self, examined: Examined, tenant: str, said: Said
    ) -> tuple[AttachmentRecord, bool]:
        audio = examined.facts.audio
        spool = examined.spool
        assert spool is not None  # accepted: the whole file arrived
        if audio is None:
            raise Rejected([_not_audio(examined.facts.mime_type)])
        mime = examined.facts.mime_type
        rendition_path = self._options.staging_dir / f"rendition-{secrets.token_hex(12)}"
        try:
            cached = await self._cached(examined.sha256)
            processed = cached or await self._process(
                spool.path, mime, rendition_path, examined.sha256
            )
            transcript = await asyncio.get_running_loop().run_in_executor(
                self._stt,
                choose_transcript,
                said.transcript,
                said.language,
                self._options.engine,
                spool.path,
                mime,
                audio.duration_seconds,
                self._options.placeholder,
            )
            recording = record_for(examined, tenant)
            rendition = self._rendition_record(recording, processed)
            recording = _with_playback(recording, rendition)
            details: dict[str, Any] = {
                "renditions": [self._rendition_details(rendition.id, processed)],
                "waveform": list(processed.peaks),
                "transcript": dataclasses.asdict(transcript),
            }
            staged_rendition = None if cached else rendition_path
            try:
                stored = await self._commit(
                    recording, staged_rendition, rendition, details, spool.path
                )
            except MissingBlob:
                # The cached rendition was deleted meanwhile: make it again, once.
                processed = await self._process(spool.path, mime, rendition_path, examined.sha256)
                rendition = self._rendition_record(recording, processed)
                recording = _with_playback(recording, rendition)
                details["renditions"] = [self._rendition_details(rendition.id, processed)]
                stored = await self._commit(
                    recording, rendition_path, rendition, details, spool.path
                )
                cached = None
        finally:
            rendition_path.unlink(missing_ok=True)
        new = stored.id == recording.id
        if cached is None and new:
            await asyncio.to_thread(self._remember, recording.sha256, processed)
        return stored, new

    async def _commit(
        self,
        recording: AttachmentRecord,
        staged_rendition: Path | None,
        rendition: AttachmentRecord,
        details: dict[str, Any],
        spool: Path,
    ) -> AttachmentRecord:
        def commit() -> AttachmentRecord:
            return self._store.commit_with_renditions(
                spool, recording, [staged_rendition], [rendition], voice_details=details
            )

        return await self._uploads.committed(commit, recording)

    def _rendition_details(self, rendition_id: str, processed: VoiceProcessed) -> dict[str, Any]:
        return {
            "id": rendition_id,
            "codec": self._options.rendition.codec.value,
            "bitrate_bps": self._options.rendition.bitrate_bps,
            "gain_db": processed.gain_db,
            "duration_seconds": processed.rendition_duration_seconds,
        }

    async def _process(self, path: Path, mime: str, out: Path, sha256: str) -> VoiceProcessed:
        o = self._options
        try:
            result = await self._lane.run(
                process_in_worker, str(path), mime, o.bins, o.rendition, str(out), o.silence_dbfs
            )
        except WorkerFailed as failed:
            raise Rejected([refusal(failed, mime)]) from failed
        log.info("voice processed sha256=%s", sha256[:16])
        if isinstance(result, VoiceFailure):
            if result.no_space:  # the disk is full, the file may well be fine
                raise self._store.space.full()
            raise Rejected([Finding(Reason(result.reason), result.message, dict(result.metadata))])
        if result.silent:
            raise Rejected(
                [
                    Finding(
                        Reason.EMPTY,
                        f"The recording is silence (loudest sample {result.peak_dbfs:.0f} dBFS, "
                        f"threshold {o.silence_dbfs:g} dBFS).",
                        {"limit": f"{o.silence_dbfs:g}", "actual": f"{result.peak_dbfs:.1f}"},
                    )
                ]
            )
        return result

    def _cache_key(self) -> str:
        return f"voice-{self._options.bins}-{self._options.rendition.cache_key}"

    async def _cached(self, sha256: str) -> VoiceProcessed | None:
        data = await self._reads.derived(sha256, self._cache_key())
        if data is None:
            return None
        with contextlib.suppress(ValueError, TypeError, KeyError):
            fields = json.loads(data)
            fields["peaks"] = tuple(fields["peaks"])
            processed = VoiceProcessed(**fields)
            if await asyncio.to_thread(self._store.blobs.exists, processed.rendition_sha256):
                return processed
        return None

    def _remember(self, sha256: str, processed: VoiceProcessed) -> None:
        data = json.dumps(dataclasses.asdict(processed)).encode()
        try:
            self._store.blobs.put_derived(sha256, self._cache_key(), data)
        except OSError as exc:  # a cache: losing an entry costs one more rendition, no more
            log.warning("could not cache a voice rendition: %s", exc)

    def _rendition_record(
        self, recording: AttachmentRecord, processed: VoiceProcessed
    ) -> AttachmentRecord:
        settings = self._options.rendition
        stem = PurePath(recording.file_name).stem or "voice-message"
        now = time.time()
        return AttachmentRecord(
            id=new_attachment_id(now),
            tenant=recording.tenant,
            file_name=f"{stem}{settings.codec.extension}",
            declared_mime_type="",
            detected_mime_type=settings.codec.mime_type,
            size_bytes=processed.rendition_size_bytes,
            sha256=processed.rendition_sha256,
            profile=recording.profile,
            conversation_id=recording.conversation_id,
            create_time=now,
            expire_time=recording.expire_time,
            labels={RENDITION_LABEL: recording.name},
            media={
                "audio": {
                    "duration_seconds": processed.rendition_duration_seconds,
                    "codec": settings.codec.value,
                    "sample_rate_hz": settings.sample_rate_hz,
                    "channels": 1,
                    "bitrate_bps": settings.bitrate_bps,
                    "container": settings.codec.extension.lstrip("."),
                    "header_duration_seconds": None,
                }
            },
        )


def _not_audio(mime: str) -> Finding:
    return Finding(
        Reason.UNSUPPORTED_TYPE,
        f"A voice message must be audio; the bytes are {mime}.",
        {"detected_mime_type": mime},
    )
