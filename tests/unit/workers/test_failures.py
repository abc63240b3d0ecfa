"""The one translation of a worker failure into what a caller is told."""

from __future__ import annotations

import pytest

from mediagate.errors import ErrorReason
from mediagate.reasons import Reason
from mediagate.workers.failures import refusal, stored_file_error
from mediagate.workers.pool import WorkerFailed


@pytest.mark.parametrize("kind", ["timeout", "crashed", "error"])
@pytest.mark.parametrize("lane", ["probe", "voice"])
def test_an_incoming_file_whose_job_failed_is_refused_as_corrupt(lane: str, kind: str) -> None:
    finding = refusal(WorkerFailed(lane, kind, "details"), "image/png")
    assert finding.reason is Reason.CORRUPT
    assert finding.metadata == {"detected_mime_type": "image/png", "kind": f"{lane}_{kind}"}
    assert "(details)" in finding.message


def test_a_timed_out_job_says_so() -> None:
    finding = refusal(WorkerFailed("probe", "timeout", "no answer within 1 s"), "application/pdf")
    assert "within the time limit" in finding.message


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("crashed", ErrorReason.WORKER_LOST),
        ("timeout", ErrorReason.PREVIEW_FAILED),
        ("error", ErrorReason.PREVIEW_FAILED),
    ],
)
def test_a_stored_files_render_failure(kind: str, reason: ErrorReason) -> None:
    error = stored_file_error(WorkerFailed("render", kind, "details"))
    assert error.reason is reason
    assert error.metadata == {"kind": f"render_{kind}"}
