"""Which failures of an import are tried again: the scanner's absence is, a malware find is not."""

from __future__ import annotations

from mediagate.errors import ErrorReason, MediagateError, Rejected
from mediagate.reasons import Finding, Reason
from mediagate.usecases.imports import retryable


def test_a_scanner_without_a_verdict_is_tried_again() -> None:
    for why in ("unreachable", "timeout", "error"):
        failure = MediagateError(
            ErrorReason.SCANNER_UNAVAILABLE, "no verdict", {"why": why}, retry_after_seconds=5
        )
        assert retryable(failure)


def test_malware_found_is_final() -> None:
    found = Rejected([Finding(Reason.MALWARE, "found", {"signature": "Eicar"})])
    assert not retryable(found)
