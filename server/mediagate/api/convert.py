"""Domain results to wire messages: records, verdicts, profiles, previews, voice messages.

Conversion only: every rule (ids, expiry, which rows a page holds) was applied below the edge,
except the wire's own: a list response is cut short where its serialized size would pass the
send limit, which only the serialized messages can tell (list_response)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from google.protobuf import duration_pb2, timestamp_pb2

from mediagate.media.preview_spec import PreviewFormat, PreviewSpec
from mediagate.pipeline.records import media_of
from mediagate.pipeline.upload import Examined
from mediagate.policy.profiles import Profile
from mediagate.preview.result import RenderedPreview
from mediagate.store.records import AttachmentRecord, attachment_name
from mediagate.usecases.media_links import SignedLink
from mediagate.usecases.voice_messages import VoiceMessage
from mediagate.v1 import attachment_pb2 as apb
from mediagate.v1 import attachment_service_pb2 as pb
from mediagate.v1 import delivery_pb2, preview_pb2, voice_pb2

# The wire's preview formats and the domain's, both ways (UNSPECIFIED: the default, WebP).
PREVIEW_FORMAT_OF: dict[preview_pb2.PreviewFormat, PreviewFormat | None] = {
    preview_pb2.PREVIEW_FORMAT_UNSPECIFIED: None,
    preview_pb2.PREVIEW_FORMAT_WEBP: PreviewFormat.WEBP,
    preview_pb2.PREVIEW_FORMAT_JPEG: PreviewFormat.JPEG,
    preview_pb2.PREVIEW_FORMAT_PNG: PreviewFormat.PNG,
}
WIRE_FORMAT_OF = {fmt: wire for wire, fmt in PREVIEW_FORMAT_OF.items() if fmt is not None}


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
    elif "text" in media:
        message.text.CopyFrom(apb.TextInfo(charset=media["text"]["charset"]))
    elif "archive" in media:
        a = media["archive"]
        message.archive.CopyFrom(
            apb.ArchiveInfo(
                entry_count=a["entry_count"], uncompressed_bytes=a["uncompressed_bytes"]
            )
        )
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
        name=record.name,
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
    message.original_sha256 = record.original_sha256
    message.metadata.extend(
        apb.MetadataItem(kind=m.kind, size_bytes=m.size_bytes, removed=m.removed)
        for m in record.metadata
    )
    message.renditions.extend(
        apb.RenditionRef(
            attachment=attachment_name(r.attachment_id),
            purpose=r.purpose,
            mime_type=r.mime_type,
            size_bytes=r.size_bytes,
        )
        for r in record.renditions
    )
    return message


def list_response(
    records: Sequence[AttachmentRecord],
    next_before_id: str,
    token_for: Callable[[str], str],
    max_bytes: int,
) -> pb.ListAttachmentsResponse:
    """A page as a response of at most max_bytes serialized. Rows go in, in order, while the
    response with them (and with a page token after the last of them) stays within max_bytes;
    at the first that would not, the page ends and its token starts after the last row in it,
    so the next page begins with the row left out: none is skipped or repeated. The sizes are
    exact (each converted message's ByteSize and its field's tag and length), not estimates.

    A page always holds its first row, or the caller would page in place. The header's limits
    keep a row far below any send limit: ~22 KiB with 64 labels of 63 + 255 bytes and a
    255-byte file name."""
    attachments: list[apb.Attachment] = []
    used = 0
    for index, record in enumerate(records):
        message = attachment_message(record)
        size = _field_bytes(message.ByteSize())
        token_if_last = _field_bytes(len(token_for(record.id)))
        if index and used + size + token_if_last > max_bytes:
            next_before_id = records[index - 1].id
            break
        attachments.append(message)
        used += size
    token = token_for(next_before_id) if next_before_id else ""
    return pb.ListAttachmentsResponse(attachments=attachments, next_page_token=token)


def _field_bytes(length: int) -> int:
    """A length-delimited field's serialized size: tag (1 byte for fields 1..15), length as a
    varint, and the bytes."""
    return 1 + max(1, (length.bit_length() + 6) // 7) + length


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


def preview_spec_message(spec: PreviewSpec) -> preview_pb2.PreviewSpec:
    return preview_pb2.PreviewSpec(
        max_width=spec.max_width,
        max_height=spec.max_height,
        format=WIRE_FORMAT_OF[spec.format],
        quality=spec.quality,
        page=spec.page,
    )


def preview_message(preview: RenderedPreview, spec: PreviewSpec) -> preview_pb2.Preview:
    # The spec says what the preview is: its quality is the one it was encoded at, lower than
    # asked when the asked one would not have fit the byte budget (preview/encode.py).
    spec = replace(spec, quality=preview.quality)
    return preview_pb2.Preview(
        content=preview.data,
        mime_type=preview.mime_type,
        width=preview.width,
        height=preview.height,
        size_bytes=len(preview.data),
        spec=preview_spec_message(spec),
        source=preview_pb2.PreviewSource(
            width=preview.source_width,
            height=preview.source_height,
            page=preview.page,
            page_count=preview.page_count,
            frame=preview.frame,
            frame_count=preview.frame_count,
        ),
    )


def voice_message(voice: VoiceMessage) -> voice_pb2.VoiceMessage:
    audio = voice.recording.media.get("audio", {})
    t = voice.transcript
    message = voice_pb2.VoiceMessage(
        attachment=attachment_message(voice.recording),
        container=audio.get("container", ""),
        codec=audio.get("codec", ""),
        sample_rate_hz=audio.get("sample_rate_hz", 0),
        channels=audio.get("channels", 0),
        bitrate_bps=audio.get("bitrate_bps", 0),
        waveform=voice.waveform,
        transcript=voice_pb2.Transcript(
            text=t.text,
            language=t.language,
            source=f"TRANSCRIPT_SOURCE_{t.source}",
            engine=t.engine,
        ),
    )
    message.duration.CopyFrom(duration(audio.get("duration_seconds", 0.0)))
    for rendition in voice.renditions:
        record = rendition.record
        entry = message.renditions.add(
            name=record.name,
            mime_type=record.detected_mime_type,
            codec=rendition.codec,
            bitrate_bps=rendition.bitrate_bps,
            channels=1,
            size_bytes=record.size_bytes,
            sha256=record.sha256,
            gain_db=rendition.gain_db,
        )
        entry.duration.CopyFrom(duration(rendition.duration_seconds))
    return message


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
        strip_metadata=profile.strip_metadata,
        eager_previews=[preview_spec_message(spec) for spec in profile.eager_previews],
        audio_codecs=[
            apb.AudioCodecs(mime_type=mime, codecs=sorted(codecs))
            for mime, codecs in sorted(profile.audio_codecs.items())
        ],
    )


def signed_url_message(link: SignedLink) -> delivery_pb2.SignedUrl:
    return delivery_pb2.SignedUrl(
        url=link.url,
        expire_time=_timestamp(link.expire_time),
        mime_type=link.mime_type,
        size_bytes=link.size_bytes,
        sha256=link.sha256,
    )
