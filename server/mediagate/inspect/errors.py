"""Turning what a decoder or parser raised into a finding, since a probe must never raise."""

from __future__ import annotations

from collections.abc import Mapping

from mediagate.media.scrub import describe
from mediagate.reasons import Finding, Reason


def looks_truncated(exc: BaseException) -> bool:
    # Pillow, zipfile and FFmpeg all say "truncated" when the bytes ran out, which is the one
    # distinction between damage kinds that their exceptions carry.
    return "truncated" in str(exc).lower()


def failure(what: str, exc: BaseException, metadata: Mapping[str, str] | None = None) -> Finding:
    """CORRUPT, or TRUNCATED when the exception says the data ended early."""
    reason = Reason.TRUNCATED if looks_truncated(exc) else Reason.CORRUPT
    return Finding(reason, f"{what}: {describe(exc)}", dict(metadata or {}))
