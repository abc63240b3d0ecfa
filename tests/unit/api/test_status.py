"""The one table from domain failures to gRPC statuses: every reason has a status, rich details
come along, and nothing internal leaks."""

from __future__ import annotations

import logging

import grpc
import pytest
from google.rpc import error_details_pb2, status_pb2

from mediagate.api.status import INTERNAL_MESSAGE, STATUS_OF, status_of
from mediagate.errors import MAX_METADATA_VALUE, ErrorReason, MediagateError, PastEnd, Rejected
from mediagate.reasons import Finding, Reason
from mediagate.workers.pool import Overloaded


def _rich(status: grpc.Status) -> status_pb2.Status:
    metadata = dict(status.trailing_metadata)
    return status_pb2.Status.FromString(metadata["grpc-status-details-bin"])


def _infos(status: grpc.Status) -> list[error_details_pb2.ErrorInfo]:
    infos = []
    for detail in _rich(status).details:
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            infos.append(info)
    return infos


def test_every_error_reason_has_exactly_one_status() -> None:
    assert set(STATUS_OF) == set(ErrorReason)


def test_a_rejection_carries_one_error_info_per_finding_in_order() -> None:
    status = status_of(
        Rejected(
            [
                Finding(Reason.ACTIVE_CONTENT, "JavaScript", {"kind": "javascript"}),
                Finding(Reason.TYPE_MISMATCH, "declared png"),
            ]
        )
    )
    assert status.code == grpc.StatusCode.INVALID_ARGUMENT
    assert status.details.startswith("ACTIVE_CONTENT: JavaScript (also: TYPE_MISMATCH)")
    infos = _infos(status)
    assert [(i.reason, i.domain) for i in infos] == [
        ("ACTIVE_CONTENT", "mediagate.v1"),
        ("TYPE_MISMATCH", "mediagate.v1"),
    ]
    assert dict(infos[0].metadata) == {"kind": "javascript"}


def test_overload_is_resource_exhausted_with_a_retry_delay() -> None:
    status = status_of(Overloaded("render", 1.5))
    assert status.code == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert [(i.reason, dict(i.metadata)) for i in _infos(status)] == [
        ("OVERLOADED", {"lane": "render"})
    ]
    retry = [d for d in _rich(status).details if d.Is(error_details_pb2.RetryInfo.DESCRIPTOR)]
    info = error_details_pb2.RetryInfo()
    retry[0].Unpack(info)
    assert info.retry_delay.ToMilliseconds() == 1500


@pytest.mark.parametrize(
    ("reason", "code"),
    [
        (ErrorReason.CHUNK_TOO_LARGE, grpc.StatusCode.INVALID_ARGUMENT),
        (ErrorReason.ATTACHMENT_NOT_FOUND, grpc.StatusCode.NOT_FOUND),
        (ErrorReason.IDEMPOTENCY_KEY_REUSED, grpc.StatusCode.ALREADY_EXISTS),
        (ErrorReason.PREVIEW_FAILED, grpc.StatusCode.FAILED_PRECONDITION),
        (ErrorReason.PAGE_OUT_OF_RANGE, grpc.StatusCode.OUT_OF_RANGE),
        (ErrorReason.WORKER_LOST, grpc.StatusCode.UNAVAILABLE),
    ],
)
def test_errors_keep_their_reason_and_metadata(reason: ErrorReason, code: grpc.StatusCode) -> None:
    status = status_of(MediagateError(reason, "message", {"limit": "1"}))
    assert (status.code, status.details) == (code, "message")
    info = _infos(status)[0]
    assert (info.reason, dict(info.metadata)) == (reason.value, {"limit": "1"})
    assert not any(d.Is(error_details_pb2.RetryInfo.DESCRIPTOR) for d in _rich(status).details)


def test_a_read_offset_past_the_end_is_out_of_range_and_a_negative_one_invalid() -> None:
    past = status_of(PastEnd(ErrorReason.INVALID_READ_RANGE, "past the end"))
    negative = status_of(MediagateError(ErrorReason.INVALID_READ_RANGE, "negative"))
    assert past.code == grpc.StatusCode.OUT_OF_RANGE
    assert negative.code == grpc.StatusCode.INVALID_ARGUMENT
    assert _infos(past)[0].reason == _infos(negative)[0].reason == "INVALID_READ_RANGE"


def test_echoed_values_are_bounded() -> None:
    status = status_of(MediagateError(ErrorReason.UNKNOWN_PROFILE, "no", {"profile": "p" * 10**6}))
    assert len(_infos(status)[0].metadata["profile"]) == MAX_METADATA_VALUE


def test_anything_else_is_internal_with_a_generic_message(caplog: pytest.LogCaptureFixture) -> None:
    secret = "sqlite3.OperationalError: no such table: attachments at /srv/data/catalog.sqlite3"
    with caplog.at_level(logging.ERROR):
        status = status_of(KeyError(secret))
    assert (status.code, status.details) == (grpc.StatusCode.INTERNAL, INTERNAL_MESSAGE)
    assert "KeyError" not in status.details and "/srv" not in status.details
    assert _infos(status) == []
    # The operator still sees what happened.
    assert secret in caplog.text
