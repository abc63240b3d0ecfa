"""A probe that overruns its time limit: the file is refused, the worker replaced, the server
keeps serving. (A limit of 1 ms makes every probe overrun, which makes the path testable.)"""

from __future__ import annotations

from pathlib import Path

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from mediagate.client import error_details
from tests.samples import pdfs
from tests.support.calls import rejected
from tests.support.server_process import ServerProcess


def test_a_probe_past_its_time_limit_is_refused_and_the_server_keeps_serving(
    tmp_path: Path,
) -> None:
    env = {"MEDIAGATE_PROBE_TIMEOUT_SECONDS": "0.001", "MEDIAGATE_WORKERS": "1"}
    with ServerProcess(tmp_path / "data", env) as server:
        stub = server.stub()
        for attempt in range(3):  # each one kills and replaces the only worker
            code, reasons, error = rejected(stub, pdfs.pdf(pages=2), f"d{attempt}.pdf")
            assert code == grpc.StatusCode.INVALID_ARGUMENT
            assert reasons == ["CORRUPT"]
            assert error_details(error)[0].metadata["kind"] == "probe_timeout"
        health = health_pb2_grpc.HealthStub(server.channel())
        reply = health.Check(health_pb2.HealthCheckRequest(), timeout=10)
        assert reply.status == health_pb2.HealthCheckResponse.SERVING
        assert not list((tmp_path / "data" / "staging").iterdir())
        server.wait_for_log("replacing probe worker")
