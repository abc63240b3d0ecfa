"""What a caller says about a file: evidence that intake takes from the header and policy
compares with the bytes, never the truth."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Declared:
    file_name: str = ""
    mime_type: str = ""  # normalised
    size_bytes: int = 0  # 0 = unknown
    sha256: str = ""  # lowercase hex or empty
