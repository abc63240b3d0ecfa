"""What an operator sees of a real server: its metrics endpoint, its one JSON log line per RPC
and per HTTP request (with the caller's trace id), and what those never contain."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
from prometheus_client.parser import text_string_to_metric_families

from mediagate.v1 import attachment_service_pb2 as pb
from mediagate.v1 import delivery_pb2
from tests.samples import images
from tests.support.calls import upload
from tests.support.server_process import ServerProcess

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
TRACEPARENT = f"00-{TRACE_ID}-00f067aa0ba902b7-01"
TOKEN = "mg-secret-token-never-logged-7f3a"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    with ServerProcess(tmp_path_factory.mktemp("observe") / "data") as process:
        yield process


def scrape(server: ServerProcess) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    with urllib.request.urlopen(server.metrics_url, timeout=10) as reply:
        assert reply.status == 200
        text = reply.read().decode()
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(
    samples: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str
) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def json_lines(server: ServerProcess, after: int = 0) -> list[dict[str, object]]:
    found = []
    for line in server.log[after:]:
        try:
            found.append(json.loads(line))
        except ValueError:
            continue
    return found


def test_rpcs_are_counted_by_method_and_status(server: ServerProcess) -> None:
    before = scrape(server)
    stub = server.stub()
    photo = images.png(width=40, height=30)
    attachment = upload(stub, photo, "photo.png", "image/png")
    unknown = attachment.name[:-1] + ("1" if attachment.name.endswith("0") else "0")
    with pytest.raises(grpc.RpcError) as missing:
        stub.GetAttachment(pb.GetAttachmentRequest(name=unknown), timeout=10)
    assert missing.value.code() is grpc.StatusCode.NOT_FOUND
    stub.GetAttachment(pb.GetAttachmentRequest(name=attachment.name), timeout=10)
    after = scrape(server)

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert grew("mediagate_rpc_requests_total", method="Upload", code="OK") == 1
    assert grew("mediagate_rpc_requests_total", method="GetAttachment", code="OK") == 1
    assert grew("mediagate_rpc_requests_total", method="GetAttachment", code="NOT_FOUND") == 1
    assert (
        grew("mediagate_refusals_total", method="GetAttachment", reason="ATTACHMENT_NOT_FOUND") == 1
    )
    assert grew("mediagate_rpc_duration_seconds_count", method="Upload", code="OK") == 1
    # The request messages carried the file, so at least its bytes came in.
    assert grew("mediagate_rpc_received_bytes_total", method="Upload") >= len(photo)
    assert grew("mediagate_rpc_sent_bytes_total", method="GetAttachment") > 0
    # The probe lane ran the upload's probe after a wait it measured.
    assert grew("mediagate_lane_jobs_total", lane="probe", outcome="ok") >= 1
    assert grew("mediagate_lane_queue_seconds_count", lane="probe") >= 1
    # Read at scrape time from where they live.
    assert value(after, "mediagate_lane_queue_depth", lane="probe") == 0
    assert value(after, "mediagate_lane_workers", lane="probe") == 2
    assert value(after, "mediagate_storage_bytes") >= len(photo)
    assert value(after, "mediagate_tenant_attachments", tenant="default") >= 1


def test_one_json_line_per_rpc_with_the_callers_trace_and_no_token(server: ServerProcess) -> None:
    stub = server.stub()
    photo = images.png(width=20, height=20)
    attachment = upload(stub, photo, "traced.png", "image/png")
    mark = len(server.log)
    stub.GetAttachment(
        pb.GetAttachmentRequest(name=attachment.name),
        metadata=[("traceparent", TRACEPARENT), ("authorization", f"Bearer {TOKEN}")],
        timeout=10,
    )
    line = server.wait_for_log(r'"method": "GetAttachment"', after=mark)
    entry = json.loads(line)
    assert entry["logger"] == "mediagate.rpc"
    assert entry["status"] == "OK"
    assert entry["attachment"] == attachment.name.removeprefix("attachments/")
    assert entry["trace_id"] == TRACE_ID  # continued from the caller's traceparent
    assert entry["caller"].startswith("ipv4:127.0.0.1")
    assert float(entry["duration_ms"]) > 0  # type: ignore[arg-type]
    assert int(entry["bytes_out"]) > 0  # type: ignore[call-overload]
    assert TOKEN not in "".join(server.log)


def test_a_refused_upload_logs_its_reason(server: ServerProcess) -> None:
    mark = len(server.log)
    with pytest.raises(grpc.RpcError):
        upload(server.stub(), b"%PDF-1.4 not a picture at all", "x.png", "image/png")
    entry = json.loads(server.wait_for_log(r'"method": "Upload"', after=mark))
    assert entry["status"] == "INVALID_ARGUMENT"
    assert entry["reason"]  # the decisive RejectionReason's name
    # Never the file's contents.
    assert "not a picture" not in "".join(server.log[mark:])


def test_media_fetches_are_logged_without_their_signature(server: ServerProcess) -> None:
    stub = server.stub()
    attachment = upload(stub, images.png(width=16, height=16), "linked.png", "image/png")
    link = stub.CreateSignedUrl(
        delivery_pb2.CreateSignedUrlRequest(name=attachment.name), timeout=10
    )
    query = link.url.split("?", 1)[1]
    before = scrape(server)
    mark = len(server.log)
    with urllib.request.urlopen(link.url, timeout=10) as reply:
        body = reply.read()
    line = server.wait_for_log(r'"logger": "mediagate.http"', after=mark)
    entry = json.loads(line)
    assert entry["status"] == 200
    # What went out on the connection: the status line and headers, then the body.
    assert len(body) < int(entry["bytes_out"]) < len(body) + 2048  # type: ignore[call-overload]
    assert "?" not in str(entry["path"])
    for secret in query.split("&"):
        assert secret.split("=", 1)[1] not in "".join(server.log[mark:])
    after = scrape(server)
    labels = {"route": "/v1/media/{rest}", "status": "200"}
    assert (
        value(after, "mediagate_http_requests_total", **labels)
        - value(before, "mediagate_http_requests_total", **labels)
        == 1
    )


def test_metrics_port_can_be_turned_off(tmp_path: Path) -> None:
    env = {"MEDIAGATE_METRICS_ENABLED": "false"}
    with ServerProcess(tmp_path / "data", env) as off:
        assert off.metrics_url == ""
        assert "metrics=off" in off.wait_for_log("listening on")
