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
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from mediagate import pipeline
from mediagate.api import convert, errors
from mediagate.intake.stream import ProtocolViolation, read_header
from mediagate.pipeline import Examined, Intake
from mediagate.reasons import Finding, Reason
from mediagate.store.attachments import AttachmentStore, MissingBlob
from mediagate.store.records import AttachmentRecord
from mediagate.transcripts.choose import MAX_CALLER_TRANSCRIPT_BYTES, choose_transcript
from mediagate.transcripts.engines import SpeechToText
from mediagate.v1 import attachment_service_pb2 as pb
from mediagate.v1 import voice_pb2
from mediagate.voice.entry import process_in_worker
from mediagate.voice.model import RenditionSettings, VoiceFailure, VoiceProcessed
from mediagate.workers.pool import WorkerFailed, WorkerPool

log = logging.getLogger(__name__)

RENDITION_LABEL = "mediagate.rendition-of"


@dataclass(frozen=True)
class VoiceOptions:
    profile: str
    bins: int
    rendition: RenditionSettings
    silence_dbfs: float
    placeholder: str
    engine: SpeechToText | None


class NotAVoiceMessage(Exception):
    pass


@dataclass
class _Said:
    """What the caller said in the voice header beyond the upload header."""

    transcript: str = ""
    language: str = ""


class VoiceMessages:
    def __init__(
        self, intake: Intake, store: AttachmentStore, pool: WorkerPool, options: VoiceOptions
    ) -> None:
        self._intake = dataclasses.replace(intake, default_profile=options.profile)
        self._store = store
        self._pool = pool
        self._options = options

    async def upload(
        self, requests: AsyncIterator[pb.UploadVoiceMessageRequest], tenant: str
    ) -> voice_pb2.VoiceMessage:
        said = _Said()
        stream = _as_upload_stream(requests, said)
        header, profile = await read_header(
            stream, self._intake.profiles, self._intake.default_profile
        )
        if len(said.transcript.encode()) > MAX_CALLER_TRANSCRIPT_BYTES:
            raise ProtocolViolation(
                "INVALID_HEADER", "transcript is at most 64 KiB", {"field": "transcript"}
            )
        if header.idempotency_key:
            first = self._store.catalog.find_by_idempotency_key(tenant, header.idempotency_key)
            if first is not None:
                return self.message(tenant, first.id)
        examined = await pipeline.examine(stream, header, profile, self._intake)
        spool = examined.spool
        rendition_path = self._intake.staging_dir / f"rendition-{secrets.token_hex(12)}"
        try:
            if not examined.accepted or spool is None:
                raise errors.rejection(examined.findings)
            if examined.facts.audio is None:
                raise errors.rejection([_not_audio(examined.facts.mime_type)])
            stored = await self._process_and_commit(examined, tenant, said, rendition_path)
        finally:
            if spool is not None:
                spool.discard()
            rendition_path.unlink(missing_ok=True)
        return self.message(tenant, stored.id)

    def message(self, tenant: str, attachment_id: str) -> voice_pb2.VoiceMessage:
        """Raises NotAVoiceMessage; the caller has checked the attachment exists."""
        record = self._store.catalog.get(tenant, attachment_id)
        details = self._store.catalog.voice_details(tenant, attachment_id)
        if record is None or details is None:
            raise NotAVoiceMessage(attachment_id)
        return _message(record, details, self._store, tenant)

    async def _process_and_commit(
        self, examined: Examined, tenant: str, said: _Said, rendition_path: Path
    ) -> AttachmentRecord:
        assert examined.spool is not None and examined.facts.audio is not None
        mime = examined.facts.mime_type
        cached = self._cached(examined.sha256)
        processed = cached or await self._process(
            examined.spool.path, mime, rendition_path, examined.sha256
        )
        transcript = await asyncio.to_thread(
            choose_transcript,
            said.transcript,
            said.language,
            self._options.engine,
            examined.spool.path,
            mime,
            examined.facts.audio.duration_seconds,
            self._options.placeholder,
        )
        recording = convert.record_from(examined, tenant)
        rendition = self._rendition_record(recording, processed)
        details = {
            "renditions": [
                {
                    "id": rendition.id,
                    "codec": self._options.rendition.codec.value,
                    "bitrate_bps": self._options.rendition.bitrate_bps,
                    "gain_db": processed.gain_db,
                    "duration_seconds": processed.rendition_duration_seconds,
                }
            ],
            "waveform": list(processed.peaks),
            "transcript": dataclasses.asdict(transcript),
        }
        commit = self._store.commit_voice
        staged_rendition = None if cached else rendition_path
        try:
            stored = await asyncio.to_thread(
                commit, examined.spool.path, recording, staged_rendition, [rendition], details
            )
        except MissingBlob:
            # The cached rendition was deleted meanwhile: make it again, once.
            processed = await self._process(
                examined.spool.path, mime, rendition_path, examined.sha256
            )
            rendition = self._rendition_record(recording, processed)
            details["renditions"][0]["id"] = rendition.id  # type: ignore[index]
            stored = await asyncio.to_thread(
                commit, examined.spool.path, recording, rendition_path, [rendition], details
            )
            cached = None
        if cached is None and stored.id == recording.id:
            self._remember(recording.sha256, processed)
        return stored

    async def _process(self, path: Path, mime: str, out: Path, sha256: str) -> VoiceProcessed:
        o = self._options
        try:
            result = await self._pool.run(
                process_in_worker, str(path), mime, o.bins, o.rendition, str(out), o.silence_dbfs
            )
        except WorkerFailed as failed:
            raise errors.rejection(
                [
                    Finding(
                        Reason.CORRUPT,
                        f"The audio could not be processed ({failed.detail}).",
                        {"detected_mime_type": mime, "kind": f"voice_{failed.kind}"},
                    )
                ]
            ) from failed
        log.info("voice processed sha256=%s", sha256[:16])
        if isinstance(result, VoiceFailure):
            raise errors.rejection(
                [Finding(Reason(result.reason), result.message, dict(result.metadata))]
            )
        if result.silent:
            raise errors.rejection(
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

    def _cached(self, sha256: str) -> VoiceProcessed | None:
        data = self._store.blobs.get_derived(sha256, self._cache_key())
        if data is None:
            return None
        with contextlib.suppress(ValueError, TypeError, KeyError):
            fields = json.loads(data)
            fields["peaks"] = tuple(fields["peaks"])
            processed = VoiceProcessed(**fields)
            if self._store.blobs.exists(processed.rendition_sha256):
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
            id=convert.new_attachment_id(now),
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
            labels={RENDITION_LABEL: convert.attachment_name(recording.id)},
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


async def _as_upload_stream(
    requests: AsyncIterator[pb.UploadVoiceMessageRequest], said: _Said
) -> AsyncIterator[pb.UploadRequest]:
    """The voice stream as an upload stream, so intake reads both the same way."""
    async for request in requests:
        kind = request.WhichOneof("content")
        if kind == "header":
            said.transcript = request.header.transcript
            said.language = request.header.transcript_language
            yield pb.UploadRequest(header=request.header.upload)
        elif kind == "chunk":
            yield pb.UploadRequest(chunk=request.chunk)
        else:
            yield pb.UploadRequest()  # neither: intake names the misuse


def _not_audio(mime: str) -> Finding:
    return Finding(
        Reason.UNSUPPORTED_TYPE,
        f"A voice message must be audio; the bytes are {mime}.",
        {"detected_mime_type": mime},
    )


def _message(
    record: AttachmentRecord, details: dict[str, Any], store: AttachmentStore, tenant: str
) -> voice_pb2.VoiceMessage:
    audio = record.media.get("audio", {})
    t = details["transcript"]
    message = voice_pb2.VoiceMessage(
        attachment=convert.attachment_message(record),
        container=audio.get("container", ""),
        codec=audio.get("codec", ""),
        sample_rate_hz=audio.get("sample_rate_hz", 0),
        channels=audio.get("channels", 0),
        bitrate_bps=audio.get("bitrate_bps", 0),
        waveform=details["waveform"],
        transcript=voice_pb2.Transcript(
            text=t["text"],
            language=t["language"],
            source=f"TRANSCRIPT_SOURCE_{t['source']}",
            engine=t["engine"],
        ),
    )
    message.duration.CopyFrom(convert.duration(audio.get("duration_seconds", 0.0)))
    for item in details["renditions"]:
        rendition = store.catalog.get(tenant, item["id"])
        if rendition is None:  # deleted on its own; the voice message stays
            continue
        entry = message.renditions.add(
            name=convert.attachment_name(rendition.id),
            mime_type=rendition.detected_mime_type,
            codec=item["codec"],
            bitrate_bps=item["bitrate_bps"],
            channels=1,
            size_bytes=rendition.size_bytes,
            sha256=rendition.sha256,
            gain_db=item["gain_db"],
        )
        entry.duration.CopyFrom(convert.duration(item["duration_seconds"]))
    return message
