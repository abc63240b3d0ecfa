"""Turns findings and failures into gRPC statuses with google.rpc rich details.

Every error carries an ErrorInfo (domain "mediagate.v1") whose reason is a RejectionReason or
ErrorReason name without its prefix, so a caller in any language can switch on it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import grpc
from google.protobuf import any_pb2, duration_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status

from mediagate.reasons import Finding

DOMAIN = "mediagate.v1"


class RpcError(Exception):
    """Raised inside servicers; the servicer edge aborts the RPC with `status`."""

    def __init__(self, status: grpc.Status) -> None:
        super().__init__(status.details)
        self.status = status


def _pack(message: object) -> any_pb2.Any:
    packed = any_pb2.Any()
    packed.Pack(message)  # type: ignore[arg-type]
    return packed


def _error_info(reason: str, metadata: Mapping[str, str]) -> error_details_pb2.ErrorInfo:
    return error_details_pb2.ErrorInfo(reason=reason, domain=DOMAIN, metadata=dict(metadata))


def rejection(findings: Iterable[Finding]) -> RpcError:
    """INVALID_ARGUMENT for a refused file: one ErrorInfo per finding, the decisive one first."""
    found = list(findings)
    first = found[0]
    message = f"{first.reason.value}: {first.message}"
    if len(found) > 1:
        message += " (also: " + ", ".join(f.reason.value for f in found[1:]) + ")"
    status = status_pb2.Status(
        code=code_pb2.INVALID_ARGUMENT,
        message=message,
        details=[_pack(_error_info(f.reason.value, f.metadata)) for f in found],
    )
    return RpcError(rpc_status.to_status(status))


def failure(
    code: grpc.StatusCode,
    reason: str,
    message: str,
    metadata: Mapping[str, str] | None = None,
    retry_after_seconds: float | None = None,
) -> RpcError:
    details = [_pack(_error_info(reason, metadata or {}))]
    if retry_after_seconds is not None:
        delay = duration_pb2.Duration()
        delay.FromNanoseconds(int(retry_after_seconds * 1e9))
        details.append(_pack(error_details_pb2.RetryInfo(retry_delay=delay)))
    status = status_pb2.Status(code=code.value[0], message=message, details=details)
    return RpcError(rpc_status.to_status(status))
