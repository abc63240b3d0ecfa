"""Damage that applies to a file of any family."""

from __future__ import annotations


def truncate(data: bytes, keep_fraction: float = 0.5) -> bytes:
    return data[: int(len(data) * keep_fraction)]
