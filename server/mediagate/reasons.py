"""The one vocabulary of rejection reasons, free of protobuf so the pure stages can use it.

Names equal the proto enum value names without their "REJECTION_REASON_" prefix, which is also
what google.rpc.ErrorInfo.reason carries; tests/unit/test_reasons.py keeps the two in step.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field


class Reason(enum.StrEnum):
    EMPTY = "EMPTY"
    TOO_LARGE = "TOO_LARGE"
    UNSUPPORTED_TYPE = "UNSUPPORTED_TYPE"
    TYPE_MISMATCH = "TYPE_MISMATCH"
    EXTENSION_MISMATCH = "EXTENSION_MISMATCH"
    SIZE_MISMATCH = "SIZE_MISMATCH"
    CHECKSUM_MISMATCH = "CHECKSUM_MISMATCH"
    CORRUPT = "CORRUPT"
    TRUNCATED = "TRUNCATED"
    TOO_MANY_PIXELS = "TOO_MANY_PIXELS"
    TOO_MANY_FRAMES = "TOO_MANY_FRAMES"
    TOO_MANY_PAGES = "TOO_MANY_PAGES"
    ENCRYPTED = "ENCRYPTED"
    ACTIVE_CONTENT = "ACTIVE_CONTENT"
    POLYGLOT = "POLYGLOT"
    EXECUTABLE = "EXECUTABLE"
    TOO_LONG = "TOO_LONG"
    TOO_SHORT = "TOO_SHORT"
    DECOMPRESSION_BOMB = "DECOMPRESSION_BOMB"
    MALWARE = "MALWARE"


@dataclass(frozen=True)
class Finding:
    """One reason to refuse a file, with a sentence for people and facts for programs.

    metadata keys (all optional): detected_mime_type, declared_mime_type, limit, actual, part,
    kind. Values are strings because they travel in google.rpc.ErrorInfo.metadata.
    """

    reason: Reason
    message: str
    metadata: Mapping[str, str] = field(default_factory=dict)
