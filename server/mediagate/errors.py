"""The domain's failures, each carrying its reason from the moment it is made.

Two kinds reach a caller:
- `Rejected`: the file is refused. It carries every Finding (RejectionReason) found, the most
  decisive first.
- `MediagateError`: anything else a caller can act on (a malformed stream, an unknown name, an
  overloaded lane). It carries an ErrorReason, a message for people and metadata for programs.

Nothing here knows gRPC: api/status.py is the one table from these to gRPC status codes and
google.rpc details, and the HTTP edge will have its own. Any other exception that reaches an
edge is a bug, answered INTERNAL with a generic message.

ErrorReason names equal the proto enum's value names without their "ERROR_REASON_" prefix;
tests/unit/test_errors.py keeps the two in step.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping

from mediagate.reasons import Finding

# Metadata values are bounded: a caller's own strings (a name, a profile) are echoed back, and
# an echo must never make the status itself too large to send.
MAX_METADATA_VALUE = 256


class ErrorReason(enum.StrEnum):
    MISSING_HEADER = "MISSING_HEADER"
    DUPLICATE_HEADER = "DUPLICATE_HEADER"
    CHUNK_TOO_LARGE = "CHUNK_TOO_LARGE"
    INVALID_HEADER = "INVALID_HEADER"
    UNKNOWN_PROFILE = "UNKNOWN_PROFILE"
    ATTACHMENT_NOT_FOUND = "ATTACHMENT_NOT_FOUND"
    INVALID_NAME = "INVALID_NAME"
    INVALID_PAGE_TOKEN = "INVALID_PAGE_TOKEN"
    INVALID_READ_RANGE = "INVALID_READ_RANGE"
    OVERLOADED = "OVERLOADED"
    EMPTY_STREAM = "EMPTY_STREAM"
    PREVIEW_UNSUPPORTED = "PREVIEW_UNSUPPORTED"
    PREVIEW_FAILED = "PREVIEW_FAILED"
    PAGE_OUT_OF_RANGE = "PAGE_OUT_OF_RANGE"
    INVALID_PREVIEW_SPEC = "INVALID_PREVIEW_SPEC"
    WORKER_LOST = "WORKER_LOST"
    INVALID_PAGE_SIZE = "INVALID_PAGE_SIZE"
    NOT_A_VOICE_MESSAGE = "NOT_A_VOICE_MESSAGE"
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"
    QUOTA_EXCEEDED = "QUOTA_EXCEEDED"
    STORAGE_FULL = "STORAGE_FULL"
    TOO_MANY_UPLOADS = "TOO_MANY_UPLOADS"
    UPLOAD_IDLE = "UPLOAD_IDLE"
    CHUNK_TOO_SMALL = "CHUNK_TOO_SMALL"
    DOWNLOAD_STALLED = "DOWNLOAD_STALLED"
    MALFORMED_REQUEST = "MALFORMED_REQUEST"
    DELIVERY_NOT_FOUND = "DELIVERY_NOT_FOUND"
    DELIVERY_NOT_CONFIGURED = "DELIVERY_NOT_CONFIGURED"
    INVALID_DELIVERY_REQUEST = "INVALID_DELIVERY_REQUEST"
    DELIVERY_FINISHED = "DELIVERY_FINISHED"
    URL_NOT_ALLOWED = "URL_NOT_ALLOWED"
    FETCH_FAILED = "FETCH_FAILED"
    FETCH_TIMEOUT = "FETCH_TIMEOUT"
    SCANNER_UNAVAILABLE = "SCANNER_UNAVAILABLE"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    PERMISSION_DENIED = "PERMISSION_DENIED"


def bounded(value: str, limit: int = MAX_METADATA_VALUE) -> str:
    """A caller's string cut to a length that is safe to echo."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


class MediagateError(Exception):
    """A failure with its reason. `retry_after_seconds` is set when retrying later can work."""

    def __init__(
        self,
        reason: ErrorReason,
        message: str,
        metadata: Mapping[str, str] | None = None,
        *,
        retry_after_seconds: float | None = None,
    ) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.metadata = {k: bounded(v) for k, v in (metadata or {}).items()}
        self.retry_after_seconds = retry_after_seconds

    def __str__(self) -> str:
        return self.message


class PastEnd(MediagateError):
    """A position past the end of a resource: right for a longer one, so it is a range error
    rather than an invalid argument (bytestream.proto's convention for read offsets)."""


class Rejected(Exception):
    """The file is refused: every finding, the most decisive first (never empty)."""

    def __init__(self, findings: Iterable[Finding]) -> None:
        self.findings = list(findings)
        if not self.findings:
            raise ValueError("a rejection needs at least one finding")
        super().__init__(self.findings[0].message)
