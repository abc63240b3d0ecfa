"""Checks and cleans what a caller says in an UploadHeader before any byte is read."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from mediagate.intake.parts import HeaderFields
from mediagate.media.declared import Declared
from mediagate.media.mime import normalise

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
MAX_FILE_NAME_BYTES = 255
MAX_LABELS = 64
MAX_LABEL_KEY_BYTES = 63
MAX_LABEL_VALUE_BYTES = 255
MAX_IDEMPOTENCY_KEY_BYTES = 128
MAX_CONVERSATION_ID_BYTES = 128
# No real MIME name is near this long; a longer one would be echoed back in refusals.
MAX_MIME_TYPE_BYTES = 255


class HeaderError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Header:
    declared: Declared
    profile: str
    conversation_id: str
    labels: dict[str, str]
    idempotency_key: str


def sanitise_file_name(name: str) -> str:
    """The last path part, without control characters, at most 255 bytes of UTF-8.

    Both separators count: a Windows caller's "C:\\Users\\x\\photo.jpg" is "photo.jpg".
    """
    base = re.split(r"[\\/]", name)[-1]
    cleaned = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    if cleaned in {".", ".."}:
        cleaned = ""
    encoded = cleaned.encode()[:MAX_FILE_NAME_BYTES]
    return encoded.decode(errors="ignore")


def parse_header(fields: HeaderFields, default_profile: str) -> Header:
    """The checked header; raises HeaderError naming the first field that is wrong."""
    labels = dict(fields.labels)
    if fields.declared_size_bytes < 0:
        raise HeaderError("declared_size_bytes", "declared_size_bytes must not be negative")
    if fields.sha256 and not _SHA256.match(fields.sha256):
        raise HeaderError("sha256", "sha256 must be 64 lowercase hex characters")
    if len(labels) > MAX_LABELS:
        raise HeaderError("labels", f"at most {MAX_LABELS} labels")
    for key, value in labels.items():
        if not key or len(key.encode()) > MAX_LABEL_KEY_BYTES:
            raise HeaderError("labels", f"label keys are 1..{MAX_LABEL_KEY_BYTES} bytes")
        if len(value.encode()) > MAX_LABEL_VALUE_BYTES:
            raise HeaderError("labels", f"label values are at most {MAX_LABEL_VALUE_BYTES} bytes")
    if len(fields.idempotency_key.encode()) > MAX_IDEMPOTENCY_KEY_BYTES:
        raise HeaderError("idempotency_key", "idempotency_key is at most 128 bytes")
    if len(fields.declared_mime_type.encode()) > MAX_MIME_TYPE_BYTES:
        raise HeaderError(
            "declared_mime_type", f"declared_mime_type is at most {MAX_MIME_TYPE_BYTES} bytes"
        )
    if len(fields.conversation_id.encode()) > MAX_CONVERSATION_ID_BYTES:
        raise HeaderError("conversation_id", "conversation_id is at most 128 bytes")
    declared = Declared(
        file_name=sanitise_file_name(fields.file_name),
        mime_type=normalise(fields.declared_mime_type),
        size_bytes=fields.declared_size_bytes,
        sha256=fields.sha256,
    )
    return Header(
        declared=declared,
        profile=fields.profile or default_profile,
        conversation_id=fields.conversation_id,
        labels=labels,
        idempotency_key=fields.idempotency_key,
    )
