"""What an upload stream is made of, free of any wire format: the edge turns each message it
receives into one of these, so intake reads Upload and UploadVoiceMessage streams the same way."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class HeaderFields:
    """The header as the caller sent it: unchecked (intake/header.py checks and cleans it)."""

    file_name: str = ""
    declared_mime_type: str = ""
    declared_size_bytes: int = 0
    sha256: str = ""
    profile: str = ""
    conversation_id: str = ""
    labels: Mapping[str, str] = field(default_factory=dict)
    idempotency_key: str = ""


class Neither:
    """A message that carried neither a header nor a chunk."""


NEITHER = Neither()

# A header, a chunk of bytes (possibly empty), or a message with neither.
Part = HeaderFields | bytes | Neither
Parts = AsyncIterator[Part]
