"""Plain records and facts to and from the wire types."""

from __future__ import annotations

import dataclasses
import secrets
import time
from typing import Any

from google.protobuf import duration_pb2, timestamp_pb2

from mediagate.inspect.facts import Facts
from mediagate.pipeline import Examined
from mediagate.policy.profiles import Profile
from mediagate.store.records import AttachmentRecord
from mediagate.v1 import attachment_pb2 as apb

NAME_PREFIX = "attachments/"


def new_attachment_id(now: float) -> str:
    """32 hex characters that sort by creation time (milliseconds first, then randomness)."""
    return f"{int(now * 1000):012x}{secrets.token_hex(10)}"


def attachment_name(attachment_id: str) -> str:
    return NAME_PREFIX + attachment_id


def media_of(facts: Facts) -> dict[str, Any]:
    for kind in ("image", "document", "audio"):
        value = getattr(facts, kind)
        if value is not None:
            return {kind: dataclasses.asdict(value)}
    return {}


def record_from(examined: Examined, tenant: str, now: float | None = None) -> AttachmentRecord:
    now = time.time() if now is None else now
    header = examined.header
    return AttachmentRecord(
        id=new_attachment_id(now),
        tenant=tenant,
        file_name=header.declared.file_name,
        declared_mime_type=header.declared.mime_type,
        detected_mime_type=examined.facts.mime_type,
        size_bytes=examined.size,
        sha256=examined.sha256,
        profile=examined.profile.name,
        conversation_id=header.conversation_id,
        create_time=now,
        expire_time=now + examined.profile.retention_seconds,
        labels=header.labels,
        media=media_of(examined.facts),
        idempotency_key=header.idempotency_key,
    )


def _timestamp(seconds: float) -> timestamp_pb2.Timestamp:
    stamp = timestamp_pb2.Timestamp()
    stamp.FromNanoseconds(int(seconds * 1e9))
    return stamp


def duration(seconds: float) -> duration_pb2.Duration:
    value = duration_pb2.Duration()
    value.FromNanoseconds(round(seconds * 1e9))
    return value


def _set_media(message: apb.Attachment | apb.Verdict, media: dict[str, Any]) -> None:
    if "image" in media:
        i = media["image"]
        message.image.CopyFrom(
            apb.ImageInfo(
                width=i["width"],
                height=i["height"],
                frame_count=i["frame_count"],
                has_alpha=i["has_alpha"],
                exif_orientation=i["exif_orientation"],
            )
        )
    elif "document" in media:
        message.document.CopyFrom(apb.DocumentInfo(page_count=media["document"]["page_count"]))
    elif "audio" in media:
        a = media["audio"]
        message.audio.CopyFrom(
            apb.AudioInfo(
                duration=duration(a["duration_seconds"]),
                codec=a["codec"],
                sample_rate_hz=a["sample_rate_hz"],
                channels=a["channels"],
                bitrate_bps=a["bitrate_bps"],
                container=a["container"],
            )
        )


def attachment_message(record: AttachmentRecord) -> apb.Attachment:
    message = apb.Attachment(
        name=attachment_name(record.id),
        file_name=record.file_name,
        declared_mime_type=record.declared_mime_type,
        detected_mime_type=record.detected_mime_type,
        size_bytes=record.size_bytes,
        sha256=record.sha256,
        profile=record.profile,
        conversation_id=record.conversation_id,
        labels=record.labels,
        create_time=_timestamp(record.create_time),
        expire_time=_timestamp(record.expire_time),
    )
    _set_media(message, record.media)
    return message


def verdict_message(examined: Examined) -> apb.Verdict:
    verdict = apb.Verdict(
        accepted=examined.accepted,
        detected_mime_type=examined.facts.mime_type,
        size_bytes=examined.size,
        sha256=examined.sha256,
        profile=examined.profile.name,
        rejections=[
            apb.Rejection(
                reason=f"REJECTION_REASON_{f.reason.value}",
                message=f.message,
                metadata=dict(f.metadata),
            )
            for f in examined.findings
        ],
    )
    _set_media(verdict, media_of(examined.facts))
    return verdict


def profile_message(profile: Profile) -> apb.Profile:
    return apb.Profile(
        name=profile.name,
        description=profile.description,
        max_size_bytes=profile.max_size_bytes,
        accepted_mime_types=sorted(profile.accepted_mime_types),
        max_pixels=profile.max_pixels,
        max_frames=profile.max_frames,
        max_pages=profile.max_pages,
        min_audio_duration=duration(profile.min_audio_seconds),
        max_audio_duration=duration(profile.max_audio_seconds),
        retention=duration(profile.retention_seconds),
        reject_type_mismatch=profile.reject_type_mismatch,
        reject_extension_mismatch=profile.reject_extension_mismatch,
    )
