"""The catalog row an accepted file gets: a new id that sorts by time, what inspection learned,
and an expiry from the profile's retention."""

from __future__ import annotations

import dataclasses
import time
from typing import Any

from mediagate.inspect.facts import Facts
from mediagate.pipeline.upload import Examined
from mediagate.store.ids import time_sorted_id
from mediagate.store.records import AttachmentRecord


def new_attachment_id(now: float) -> str:
    return time_sorted_id(now)


def media_of(facts: Facts) -> dict[str, Any]:
    """What inspection learned, as the catalog keeps it: {"image": {...}} or {"document": ...}
    or {"audio": ...} or {"text": ...} or {"archive": ...}, or {} for types with nothing to
    say."""
    for kind in ("image", "document", "audio", "text", "archive"):
        value = getattr(facts, kind)
        if value is not None:
            return {kind: dataclasses.asdict(value)}
    return {}


def record_for(examined: Examined, tenant: str, now: float | None = None) -> AttachmentRecord:
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
        original_sha256=examined.original_sha256,
        metadata=tuple(examined.metadata),
    )
