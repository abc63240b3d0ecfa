from __future__ import annotations

import grpc
from google.rpc import error_details_pb2, status_pb2

from mediagate.api.errors import RpcError, rejection
from mediagate.api.servicer import _as_rpc_error
from mediagate.intake.stream import ProtocolViolation
from mediagate.reasons import Finding, Reason
from mediagate.workers.pool import Overloaded


def _status(error: RpcError) -> status_pb2.Status:
    metadata = dict(error.status.trailing_metadata)
    return status_pb2.Status.FromString(metadata["grpc-status-details-bin"])


def _infos(status: status_pb2.Status) -> list[error_details_pb2.ErrorInfo]:
    infos = []
    for detail in status.details:
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            infos.append(info)
    return infos


def test_a_rejection_carries_one_error_info_per_finding_in_order() -> None:
    error = rejection(
        [
            Finding(Reason.ACTIVE_CONTENT, "JavaScript", {"kind": "javascript"}),
            Finding(Reason.TYPE_MISMATCH, "declared png"),
        ]
    )
    assert error.status.code == grpc.StatusCode.INVALID_ARGUMENT
    assert error.status.details.startswith("ACTIVE_CONTENT: JavaScript (also: TYPE_MISMATCH)")
    infos = _infos(_status(error))
    assert [(i.reason, i.domain) for i in infos] == [
        ("ACTIVE_CONTENT", "mediagate.v1"),
        ("TYPE_MISMATCH", "mediagate.v1"),
    ]
    assert dict(infos[0].metadata) == {"kind": "javascript"}


def test_overload_is_resource_exhausted_with_a_retry_delay() -> None:
    error = _as_rpc_error(Overloaded(1.5))
    assert error is not None and error.status.code == grpc.StatusCode.RESOURCE_EXHAUSTED
    status = _status(error)
    assert [i.reason for i in _infos(status)] == ["OVERLOADED"]
    retry = [d for d in status.details if d.Is(error_details_pb2.RetryInfo.DESCRIPTOR)]
    info = error_details_pb2.RetryInfo()
    retry[0].Unpack(info)
    assert info.retry_delay.ToMilliseconds() == 1500


def test_protocol_violations_keep_their_reason_and_metadata() -> None:
    error = _as_rpc_error(ProtocolViolation("CHUNK_TOO_LARGE", "big", {"limit": "1"}))
    assert error is not None and error.status.code == grpc.StatusCode.INVALID_ARGUMENT
    info = _infos(_status(error))[0]
    assert (info.reason, dict(info.metadata)) == ("CHUNK_TOO_LARGE", {"limit": "1"})


def test_unknown_exceptions_are_not_disguised() -> None:
    assert _as_rpc_error(KeyError("bug")) is None
