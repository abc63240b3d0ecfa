"""Process-level guarantees: SIGKILL leaves nothing half-stored, SIGTERM drains in-flight calls."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import grpc
from google.protobuf import descriptor_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import (
    ProtoReflectionDescriptorDatabase,
)

from mediagate.v1 import attachment_service_pb2 as pb
from tests.samples import texts
from tests.support.calls import download, header, upload
from tests.support.server_process import ServerProcess

CHUNK = 64 * 1024


def _held_stream(
    data: bytes, release: threading.Event, started: threading.Event
) -> Iterator[pb.UploadRequest]:
    """Sends the header and half the file, then waits for the test to say go on."""
    yield pb.UploadRequest(header=header(data, "held.txt", "text/plain"))
    half = len(data) // 2
    for offset in range(0, half, CHUNK):
        yield pb.UploadRequest(chunk=data[offset : min(offset + CHUNK, half)])
    started.set()
    release.wait(60)
    for offset in range(half, len(data), CHUNK):
        yield pb.UploadRequest(chunk=data[offset : offset + CHUNK])


def _wait_until(condition, what: str, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        time.sleep(0.01)


def test_sigkill_mid_upload_leaves_no_trace_and_loses_nothing(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    server = ServerProcess(data_dir).start()
    acknowledged: dict[str, bytes] = {}
    release = threading.Event()
    try:
        stub = server.stub()
        for i in range(8):
            data = texts.text(lines=200 + i)
            acknowledged[upload(stub, data, f"ok{i}.txt", "text/plain").name] = data
        in_flight = []
        for i in range(4):
            started = threading.Event()
            data = texts.text(lines=20_000 + i)
            call = stub.Upload.future(_held_stream(data, release, started), timeout=60)
            started.wait(30)
            in_flight.append(call)
        # The spool files exist once the server has read the first chunks of every held upload.
        staging = data_dir / "staging"
        _wait_until(lambda: len(list(staging.iterdir())) == 4, "spool files for held uploads")
        server.kill()
    finally:
        release.set()
        server.kill()
    for call in in_flight:
        assert call.exception() is not None  # none of them was acknowledged

    with ServerProcess(data_dir) as restarted:
        stub = restarted.stub()
        assert not list((data_dir / "staging").iterdir())
        listed = stub.ListAttachments(pb.ListAttachmentsRequest(page_size=100)).attachments
        assert sorted(a.name for a in listed) == sorted(acknowledged)
        for name, data in acknowledged.items():
            assert download(stub, name) == data
        with sqlite3.connect(data_dir / "catalog.sqlite3") as db:
            referenced = {row[0] for row in db.execute("SELECT sha256 FROM attachments")}
        blobs = {p.name for p in (data_dir / "blobs").glob("??/??/*")}
        assert blobs == referenced == {hashlib.sha256(d).hexdigest() for d in acknowledged.values()}


def test_sigterm_lets_an_in_flight_upload_finish(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path / "data").start()
    release, started = threading.Event(), threading.Event()
    data = texts.text(lines=5000)
    try:
        call = server.stub().Upload.future(_held_stream(data, release, started), timeout=60)
        started.wait(30)
        _wait_until(lambda: len(list((tmp_path / "data" / "staging").iterdir())) == 1, "spool")
        server.process.send_signal(15)  # type: ignore[union-attr]
        server.wait_for_log("stopping: draining")
        release.set()
        attachment = call.result(timeout=60)
        assert attachment.sha256 == hashlib.sha256(data).hexdigest()
        assert server.process.wait(timeout=60) == 0  # type: ignore[union-attr]
    finally:
        release.set()
        server.kill()


def test_health_and_reflection(server: ServerProcess) -> None:
    channel = server.channel()
    health = health_pb2_grpc.HealthStub(channel)
    for service in ("", "mediagate.v1.AttachmentService"):
        response = health.Check(health_pb2.HealthCheckRequest(service=service), timeout=10)
        assert response.status == health_pb2.HealthCheckResponse.SERVING
    database = ProtoReflectionDescriptorDatabase(channel)
    assert "mediagate.v1.AttachmentService" in database.get_services()
    service = database.FindFileContainingSymbol("mediagate.v1.AttachmentService")
    assert service.name == "mediagate/v1/attachment_service.proto"
    # Tools like ghz ask the raw RPC for the file of a method; grpc-python alone answers
    # NOT_FOUND to that (grpc/grpc#34743).
    reflection = reflection_pb2_grpc.ServerReflectionStub(channel)
    request = reflection_pb2.ServerReflectionRequest(
        file_containing_symbol="mediagate.v1.AttachmentService.GetAttachment"
    )
    (answer,) = list(reflection.ServerReflectionInfo(iter([request]), timeout=10))
    assert answer.WhichOneof("message_response") == "file_descriptor_response"
    names = {
        descriptor_pb2.FileDescriptorProto.FromString(raw).name
        for raw in answer.file_descriptor_response.file_descriptor_proto
    }
    assert "mediagate/v1/attachment_service.proto" in names


def test_a_channel_that_was_closed_mid_upload_leaves_no_spool(tmp_path: Path) -> None:
    with ServerProcess(tmp_path / "data") as server:
        release, started = threading.Event(), threading.Event()
        channel = grpc.insecure_channel(server.address)
        from mediagate.v1 import attachment_service_pb2_grpc as pb_grpc

        call = pb_grpc.AttachmentServiceStub(channel).Upload.future(
            _held_stream(texts.text(lines=5000), release, started), timeout=60
        )
        started.wait(30)
        staging = tmp_path / "data" / "staging"
        _wait_until(lambda: len(list(staging.iterdir())) == 1, "spool file")
        call.cancel()
        release.set()
        _wait_until(lambda: not list(staging.iterdir()), "spool removed after cancel")
        channel.close()
