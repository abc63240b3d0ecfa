"""The catalog's row for an attachment: plain data that every edge converts from and to."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

NAME_PREFIX = "attachments/"
# The label a rendition carries: the name of the attachment it was made from.
RENDITION_OF_LABEL = "mediagate.rendition-of"


def attachment_name(attachment_id: str) -> str:
    """The resource name callers know an attachment by (and labels refer to it by)."""
    return NAME_PREFIX + attachment_id


@dataclass(frozen=True)
class MetadataItem:
    """A piece of metadata found in a file (attachment.proto's MetadataItem)."""

    kind: str
    size_bytes: int
    removed: bool


@dataclass(frozen=True)
class RenditionRef:
    """An attachment made from another (a voice message's playback, a HEIC photo's JPEG)."""

    attachment_id: str
    purpose: str  # "playback" | "display"
    mime_type: str
    size_bytes: int


@dataclass(frozen=True)
class AttachmentRecord:
    id: str
    tenant: str
    file_name: str
    declared_mime_type: str
    detected_mime_type: str
    size_bytes: int
    sha256: str
    profile: str
    conversation_id: str
    create_time: float  # unix seconds
    expire_time: float
    labels: dict[str, str] = field(default_factory=dict)
    # What inspection learned: {"image": {...}} | {"document": {...}} | {"audio": {...}} | {}
    media: dict[str, Any] = field(default_factory=dict)
    idempotency_key: str = ""
    # The bytes as sent, when other bytes were stored (metadata stripped); "" otherwise.
    original_sha256: str = ""
    metadata: tuple[MetadataItem, ...] = ()
    renditions: tuple[RenditionRef, ...] = ()

    @property
    def name(self) -> str:
        return attachment_name(self.id)


def details_json(record: AttachmentRecord) -> str:
    """What the catalog's `details` column holds: the record's fields beyond its columns."""
    details: dict[str, Any] = {}
    if record.original_sha256:
        details["original_sha256"] = record.original_sha256
    if record.metadata:
        details["metadata"] = [asdict(m) for m in record.metadata]
    if record.renditions:
        details["renditions"] = [asdict(r) for r in record.renditions]
    return json.dumps(details, sort_keys=True)


def details_fields(text: str) -> dict[str, Any]:
    """details_json read back, as AttachmentRecord keyword arguments."""
    details = json.loads(text or "{}")
    return {
        "original_sha256": str(details.get("original_sha256", "")),
        "metadata": tuple(MetadataItem(**m) for m in details.get("metadata", [])),
        "renditions": tuple(RenditionRef(**r) for r in details.get("renditions", [])),
    }


def record_from_row(row: Sequence[object], json_text: Callable[[object], str]) -> AttachmentRecord:
    """A catalog row (the columns every backend selects, in this order) as a record;
    `json_text` gives a JSON column's text (SQLite stores text, PostgreSQL hands JSONB over
    decoded)."""
    (
        id_,
        tenant,
        file_name,
        declared,
        detected,
        size,
        sha,
        profile,
        conv,
        ctime,
        etime,
        labels,
        media,
        key,
        details,
    ) = row
    return AttachmentRecord(
        id=str(id_),
        tenant=str(tenant),
        file_name=str(file_name),
        declared_mime_type=str(declared),
        detected_mime_type=str(detected),
        size_bytes=int(str(size)),
        sha256=str(sha),
        profile=str(profile),
        conversation_id=str(conv),
        create_time=float(str(ctime)),
        expire_time=float(str(etime)),
        labels=json.loads(json_text(labels)),
        media=json.loads(json_text(media)),
        idempotency_key=str(key) if key else "",
        **details_fields(json_text(details)),
    )
