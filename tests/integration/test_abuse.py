"""Callers that misbehave, against a live server with small limits: each gets a typed answer,
nobody else is held up, and nothing they sent is left behind."""

from __future__ import annotations

import contextlib
import hashlib
import random
import sqlite3
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import grpc
import pytest
from google.rpc import error_details_pb2, status_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc

from mediagate.client import error_details
from mediagate.v1 import attachment_service_pb2 as pb
from mediagate.v1 import attachment_service_pb2_grpc as pb_grpc
from tests.conftest import write_test_profiles
from tests.samples import images, texts
from tests.support.calls import header, requests_for, upload
from tests.support.server_process import ServerProcess

MIB = 1024 * 1024
LIMITS = {
    "MEDIAGATE_MAX_UPLOADS_PER_CONNECTION": "4",
    "MEDIAGATE_UPLOAD_IDLE_TIMEOUT_SECONDS": "2",
    "MEDIAGATE_DOWNLOAD_WRITE_TIMEOUT_SECONDS": "1",
}


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    env = {**LIMITS, "MEDIAGATE_PROFILES_FILE": str(write_test_profiles(tmp_path))}
    with ServerProcess(tmp_path / "data", env) as process:
        yield process


def own_connection(server: ServerProcess, **options: int) -> grpc.Channel:
    """A channel on a connection of its own (channels with equal options may share one)."""
    return grpc.insecure_channel(
        server.address,
        options=[("grpc.use_local_subchannel_pool", 1), *options.items()],
    )


def held_upload(gate: threading.Event, data: bytes = b"") -> Iterator[pb.UploadRequest]:
    """Sends a header (and data, if any), then nothing until the gate opens."""
    yield pb.UploadRequest(header=header(data or b"x" * MIB, "held.bin", "text/plain"))
    if data:
        yield pb.UploadRequest(chunk=data)
    gate.wait(120)


def retry_delay_ms(call: grpc.Future) -> int:
    error = call.exception()
    metadata = dict(error.trailing_metadata())  # type: ignore[union-attr]
    status = status_pb2.Status.FromString(metadata["grpc-status-details-bin"])
    for detail in status.details:
        if detail.Is(error_details_pb2.RetryInfo.DESCRIPTOR):
            info = error_details_pb2.RetryInfo()
            detail.Unpack(info)
            return int(info.retry_delay.ToMilliseconds())
    return -1


def code_and_reason(call: grpc.Future) -> tuple[grpc.StatusCode, str]:
    try:
        call.result(timeout=60)
    except grpc.RpcError as error:
        details = error_details(error)  # type: ignore[arg-type]
        return error.code(), details[0].reason if details else ""  # type: ignore[attr-defined]
    return grpc.StatusCode.OK, ""


def test_one_connection_holds_at_most_its_share_and_idle_uploads_end(
    server: ServerProcess,
) -> None:
    gate = threading.Event()
    abuser = own_connection(server)
    stub = pb_grpc.AttachmentServiceStub(abuser)
    try:
        calls = [stub.Upload.future(held_upload(gate), timeout=60) for _ in range(40)]
        # The connection's fifth and later uploads are refused at once, before any byte.
        refused = [c for c in calls if code_and_reason(c)[0] != grpc.StatusCode.DEADLINE_EXCEEDED]
        assert len(refused) == 36
        for call in refused:
            assert code_and_reason(call) == (
                grpc.StatusCode.RESOURCE_EXHAUSTED,
                "TOO_MANY_UPLOADS",
            )
        retry = [
            d for d in call.exception().trailing_metadata() if d.key == "grpc-status-details-bin"
        ]  # type: ignore[union-attr]
        assert retry, "a refusal tells when to retry"
        # Nobody else waits: health, reads and uploads on other connections go through.
        health = health_pb2_grpc.HealthStub(own_connection(server))
        assert health.Check(health_pb2.HealthCheckRequest(), timeout=5).status == (
            health_pb2.HealthCheckResponse.SERVING
        )
        other = pb_grpc.AttachmentServiceStub(own_connection(server))
        data = texts.text(lines=50)
        stored = other.Upload(requests_for(data, header(data, "ok.txt", "text/plain")), timeout=30)
        assert stored.sha256 == hashlib.sha256(data).hexdigest()
        # The four admitted ones sent nothing more: each is ended by the idle timeout.
        held = [c for c in calls if c not in refused]
        assert [code_and_reason(c) for c in held] == [
            (grpc.StatusCode.DEADLINE_EXCEEDED, "UPLOAD_IDLE")
        ] * 4
        assert not list((server.data_dir / "staging").iterdir())
    finally:
        gate.set()
        abuser.close()


def test_an_upload_that_stalls_mid_body_is_ended_and_leaves_nothing(
    server: ServerProcess,
) -> None:
    gate = threading.Event()
    stub = server.stub()
    try:
        call = stub.Upload.future(held_upload(gate, b"y" * (64 * 1024)), timeout=60)
        assert code_and_reason(call) == (grpc.StatusCode.DEADLINE_EXCEEDED, "UPLOAD_IDLE")
    finally:
        gate.set()
    assert not list((server.data_dir / "staging").iterdir())


def test_tiny_chunks_are_refused_after_the_first(server: ServerProcess) -> None:
    data = texts.text(lines=5000)
    sent = 0

    def one_byte_chunks() -> Iterator[pb.UploadRequest]:
        nonlocal sent
        yield pb.UploadRequest(header=header(data, "tiny.txt", "text/plain"))
        for i in range(len(data)):
            sent += 1
            yield pb.UploadRequest(chunk=data[i : i + 1])

    with pytest.raises(grpc.RpcError) as error:
        server.stub().Upload(one_byte_chunks(), timeout=60)
    assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT  # type: ignore[attr-defined]
    info = error_details(error.value)[0]  # type: ignore[arg-type]
    assert (info.reason, info.metadata["actual"]) == ("CHUNK_TOO_SMALL", "1")
    # Cut off, not read to the end (flow control lets the client queue a few thousand more).
    assert sent < len(data) // 5, (sent, len(data))


def test_a_reader_that_stops_reading_is_cut_off(server: ServerProcess) -> None:
    data = texts.text(lines=700_000)  # ~40 MB: more than any window and socket buffer hold
    stored = upload(server.stub(), data, "large.txt", "text/plain", profile="big")
    # A connection without BDP probing, so the client's window stays small.
    reader = pb_grpc.AttachmentServiceStub(own_connection(server, **{"grpc.http2.bdp_probe": 0}))
    stream = reader.Download(pb.DownloadRequest(name=stored.name), timeout=120)
    first = next(stream)
    assert first.attachment.name == stored.name
    server.wait_for_log("download to .* stalled for 1 s; ended")
    with pytest.raises(grpc.RpcError) as error:
        for _ in stream:
            pass
    assert error.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED  # type: ignore[attr-defined]
    assert error_details(error.value)[0].reason == "DOWNLOAD_STALLED"  # type: ignore[arg-type]


def test_concurrent_first_uses_of_one_key_store_one_file(server: ServerProcess) -> None:
    files = [images.jpeg(20 + i, 20) for i in range(8)]
    same = images.jpeg(33, 33)

    def send(data: bytes, key: str) -> tuple[str, str]:
        channel = own_connection(server)  # as many callers: a connection may hold only 4
        try:
            a = upload(
                pb_grpc.AttachmentServiceStub(channel),
                data,
                "k.jpg",
                idempotency_key=key,
                sha256="",
            )
        except grpc.RpcError as error:
            return error.code().name, error_details(error)[0].reason  # type: ignore[attr-defined, arg-type]
        finally:
            channel.close()
        return "OK", a.name

    with ThreadPoolExecutor(max_workers=8) as pool:
        different = list(pool.map(lambda d: send(d, "one-key"), files))
        identical = list(pool.map(lambda _: send(same, "same-key"), range(8)))
    winners = [name for code, name in different if code == "OK"]
    assert len(winners) == 1, different
    assert sorted(different).count(("ALREADY_EXISTS", "IDEMPOTENCY_KEY_REUSED")) == 7
    stored = server.stub().GetAttachment(pb.GetAttachmentRequest(name=winners[0]))
    assert stored.sha256 in {hashlib.sha256(f).hexdigest() for f in files}
    assert {code for code, _ in identical} == {"OK"} and len({n for _, n in identical}) == 1


def half_then_wait(data: bytes, key: str, gate: threading.Event) -> Iterator[pb.UploadRequest]:
    """The header and the first half of the body; the rest only once the gate opens."""
    yield pb.UploadRequest(header=header(data, "gone.txt", "text/plain", idempotency_key=key))
    yield pb.UploadRequest(chunk=data[: len(data) // 2])
    gate.wait(60)
    yield pb.UploadRequest(chunk=data[len(data) // 2 :])


def test_uploads_whose_callers_went_away_are_not_kept(tmp_path: Path) -> None:
    """Callers that go away mid-body (cancelled, or their deadline passed) leave nothing. Keyed
    uploads cancelled at random moments, some after their commit, leave exactly one attachment
    per key, which the retry with that key gets. Checked in the catalog once the server has
    stopped (a stopping server first finishes removing what it must)."""
    rng = random.Random(9)
    acknowledged: set[str] = set()
    gate = threading.Event()
    with ServerProcess(tmp_path / "data") as server:
        stub = server.stub()
        gone = []
        for i in range(20):
            data = texts.text(lines=3000 + i)
            if i % 2:
                call = stub.Upload.future(half_then_wait(data, "", gate), timeout=60)
                gone.append(call)
            else:
                gone.append(stub.Upload.future(half_then_wait(data, "", gate), timeout=1.0))
        for call in gone[1::2]:
            call.cancel()
        for call in gone:
            with pytest.raises((grpc.FutureCancelledError, grpc.RpcError)):
                call.result(timeout=60)
        keyed: dict[str, bytes] = {}
        calls = []
        for i in range(30):
            data = texts.text(lines=200 + i)
            key = f"storm-{i}"
            keyed[key] = data
            future = stub.Upload.future(
                requests_for(data, header(data, f"s{i}.txt", "text/plain", idempotency_key=key)),
                timeout=60,
            )
            calls.append(future)
            threading.Timer(rng.uniform(0.0, 0.05), future.cancel).start()
        for future in calls:
            with contextlib.suppress(grpc.FutureCancelledError, grpc.RpcError):
                acknowledged.add(future.result(timeout=60).name)
        for key, data in keyed.items():
            retried = upload(stub, data, "retry.txt", "text/plain", idempotency_key=key)
            acknowledged.add(retried.name)
        gate.set()
        assert server.terminate() == 0
    with sqlite3.connect(tmp_path / "data" / "catalog.sqlite3") as db:
        rows = list(db.execute("SELECT id, idempotency_key FROM attachments"))
    assert {f"attachments/{row[0]}" for row in rows} == acknowledged
    assert sorted(row[1] for row in rows) == sorted(keyed)
    assert not list((tmp_path / "data" / "staging").iterdir())


def test_messages_that_do_not_parse_are_invalid_arguments(server: ServerProcess) -> None:
    """Raw bytes, as a broken or hostile client might send: field 1 (a string) is not UTF-8."""
    bad_string = b"\x0a\x04\xff\xfe\xfd\xfc"
    channel = server.channel()
    identity = {"request_serializer": lambda b: b, "response_deserializer": lambda b: b}
    service = "/mediagate.v1.AttachmentService/"
    calls = [
        lambda: channel.unary_unary(service + "GetAttachment", **identity)(bad_string, timeout=10),
        lambda: list(
            channel.unary_stream(service + "Download", **identity)(bad_string, timeout=10)
        ),
        # An UploadRequest whose header (field 1) holds a file_name (field 1) that is not UTF-8.
        lambda: channel.stream_unary(service + "Upload", **identity)(
            iter([b"\x0a\x06" + bad_string]), timeout=10
        ),
    ]
    for call in calls:
        with pytest.raises(grpc.RpcError) as error:
            call()
        assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT  # type: ignore[attr-defined]
        assert [d.reason for d in error_details(error.value)] == ["MALFORMED_REQUEST"]  # type: ignore[arg-type]
        assert "DecodeError" not in (error.value.details() or "")  # type: ignore[attr-defined]
