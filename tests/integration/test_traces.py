"""Traces from a real server into a real OTLP/HTTP receiver on loopback: the RPC's span continues
the caller's trace, and the upload's stages are its children."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from tests.samples import images
from tests.support.calls import header, requests_for
from tests.support.server_process import ServerProcess

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
TRACEPARENT = f"00-{TRACE_ID}-00f067aa0ba902b7-01"


class _Receiver(http.server.BaseHTTPRequestHandler):
    spans: ClassVar[list[tuple[str, str, bytes]]] = []  # (name, trace id, parent span id)
    lock = threading.Lock()

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        request = ExportTraceServiceRequest.FromString(body)
        with self.lock:
            for resource in request.resource_spans:
                for scope in resource.scope_spans:
                    for span in scope.spans:
                        self.spans.append((span.name, span.trace_id.hex(), span.parent_span_id))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def collector() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1/traces"
    server.shutdown()


def test_an_upload_is_one_trace_with_its_stages(tmp_path: Path, collector: str) -> None:
    env = {"MEDIAGATE_OTLP_TRACES_ENDPOINT": collector}
    photo = images.png(width=24, height=24)
    with ServerProcess(tmp_path / "data", env) as server:
        server.stub().Upload(
            requests_for(photo, header(photo, "traced.png", "image/png")),
            metadata=[("traceparent", TRACEPARENT)],
            timeout=60,
        )
    # The server has stopped: its exporter sent every span on the way out.
    ours = [(name, parent) for name, trace, parent in _Receiver.spans if trace == TRACE_ID]
    names = {name for name, _ in ours}
    assert "mediagate.v1.AttachmentService/Upload" in names
    for stage in ("intake", "inspect", "policy", "store"):
        assert f"mediagate.{stage}" in names
    rpc_parent = next(p for n, p in ours if n == "mediagate.v1.AttachmentService/Upload")
    assert rpc_parent.hex() == "00f067aa0ba902b7"  # the caller's span
