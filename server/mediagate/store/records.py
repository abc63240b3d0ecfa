"""The catalog's row for an attachment: plain data that every edge converts from and to."""

from __future__ import annotations

import json
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
