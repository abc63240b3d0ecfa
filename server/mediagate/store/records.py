"""The catalog's row for an attachment: plain data that every edge converts from and to."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

NAME_PREFIX = "attachments/"


def attachment_name(attachment_id: str) -> str:
    """The resource name callers know an attachment by (and labels refer to it by)."""
    return NAME_PREFIX + attachment_id


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

    @property
    def name(self) -> str:
        return attachment_name(self.id)
