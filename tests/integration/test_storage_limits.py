"""A tenant's quota and the server's storage cap, against a real server: refused with
RESOURCE_EXHAUSTED (QUOTA_EXCEEDED, STORAGE_FULL) before any byte when the declared size cannot
fit, as soon as the bytes pass what is left when it does not say or lies, and at the commit
when uploads race for the last bytes. Nothing refused is kept.

The API has one tenant so far (api/tenancy.py): tenant isolation is tested at the use case
(tests/unit/usecases/test_upload_limits.py)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from mediagate.client import error_details
from mediagate.v1 import attachment_service_pb2 as pb
from mediagate.v1 import attachment_service_pb2_grpc as pb_grpc
from tests.support.calls import header, requests_for, upload
from tests.support.server_process import ServerProcess

KIB = 1024
MIB = 1024 * KIB
CHUNK = 256 * KIB


def text_of(size: int, seed: int) -> bytes:
    line = f"line {seed:06d} of a plain text attachment\n".encode()
    return (line * (size // len(line) + 1))[:size]


@pytest.fixture
def limited(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[ServerProcess]:
    """A server of its own with the limits the test is marked with."""
    env = {"MEDIAGATE_MIN_FREE_BYTES": "0", **request.param}
    with ServerProcess(tmp_path / "data", env) as process:
        yield process


def limits(**env: object) -> pytest.MarkDecorator:
    return pytest.mark.parametrize(
        "limited", [{f"MEDIAGATE_{k.upper()}": str(v) for k, v in env.items()}], indirect=True
    )


def refusal(call: grpc.RpcError) -> tuple[grpc.StatusCode, str, dict[str, str], float | None]:
    """Status code, ErrorInfo reason and metadata, and RetryInfo's delay (None without one)."""
    (detail,) = error_details(call)
    retry = None
    status = rpc_status.from_call(call)  # type: ignore[arg-type]
    assert status is not None
    for packed in status.details:
        if packed.Is(error_details_pb2.RetryInfo.DESCRIPTOR):
            info = error_details_pb2.RetryInfo()
            packed.Unpack(info)
            retry = info.retry_delay.ToMilliseconds() / 1000
    return call.code(), detail.reason, detail.metadata, retry  # type: ignore[attr-defined]


def counted_stream(
    head: pb.UploadHeader, first: bytes, chunks: int, sent: list[int]
) -> Iterator[pb.UploadRequest]:
    """The header, `first`, then `chunks` chunks of filler; counts every chunk yielded."""
    yield pb.UploadRequest(header=head)
    sent.append(1)
    yield pb.UploadRequest(chunk=first)
    for _ in range(chunks):
        sent.append(1)
        yield pb.UploadRequest(chunk=b"x" * CHUNK)


def stored(stub: pb_grpc.AttachmentServiceStub) -> list[int]:
    page = stub.ListAttachments(pb.ListAttachmentsRequest(page_size=1000), timeout=30)
    return [a.size_bytes for a in page.attachments]


def blobs(server: ServerProcess) -> list[Path]:
    return list((server.data_dir / "blobs").glob("??/??/*"))


@limits(quota_bytes=MIB)
def test_a_declared_size_over_the_quota_is_refused_before_any_chunk(
    limited: ServerProcess,
) -> None:
    stub = limited.stub()
    upload(stub, text_of(600 * KIB, 1), "a.txt")
    sent: list[int] = []
    head = pb.UploadHeader(file_name="b.txt", declared_size_bytes=500 * KIB)
    with pytest.raises(grpc.RpcError) as error:
        stub.Upload(counted_stream(head, b"x" * CHUNK, 200, sent), timeout=60)
    code, reason, metadata, retry = refusal(error.value)
    assert (code, reason) == (grpc.StatusCode.RESOURCE_EXHAUSTED, "QUOTA_EXCEEDED")
    assert metadata == {"limit": str(MIB), "actual": str(1100 * KIB), "unit": "bytes"}
    assert retry is None  # deleting makes room, not waiting
    # gRPC flow control lets a client run a few MiB ahead at most; the server read none.
    assert len(sent) < 40, len(sent)
    assert stored(stub) == [600 * KIB]
    # What fits still goes in.
    upload(stub, text_of(400 * KIB, 2), "c.txt")


@limits(quota_bytes=MIB)
@pytest.mark.parametrize("declared", [0, 1000], ids=["size not declared", "size a lie"])
def test_bytes_past_the_quota_stop_the_reading(limited: ServerProcess, declared: int) -> None:
    stub = limited.stub()
    sent: list[int] = []
    head = pb.UploadHeader(file_name="big.txt", declared_size_bytes=declared)
    with pytest.raises(grpc.RpcError) as error:
        # 100 MiB offered against a 1 MiB quota (and a 10 MiB profile limit).
        stub.Upload(counted_stream(head, text_of(CHUNK, 1), 400, sent), timeout=60)
    code, reason, metadata, _ = refusal(error.value)
    assert (code, reason) == (grpc.StatusCode.RESOURCE_EXHAUSTED, "QUOTA_EXCEEDED")
    assert metadata["unit"] == "bytes" and metadata["limit"] == str(MIB)
    assert MIB < int(metadata["actual"]) <= MIB + CHUNK
    assert len(sent) < 44, len(sent)  # 4 chunks fill the quota; flow control allows a few more
    assert not list((limited.data_dir / "staging").iterdir())
    assert stored(stub) == [] and blobs(limited) == []


@limits(quota_attachments=2)
def test_the_attachment_count_quota(limited: ServerProcess) -> None:
    stub = limited.stub()
    first = upload(stub, text_of(100, 1), "1.txt")
    upload(stub, text_of(100, 2), "2.txt")
    sent: list[int] = []
    head = pb.UploadHeader(file_name="3.txt")
    with pytest.raises(grpc.RpcError) as error:
        stub.Upload(counted_stream(head, text_of(100, 3), 200, sent), timeout=60)
    code, reason, metadata, _ = refusal(error.value)
    assert (code, reason) == (grpc.StatusCode.RESOURCE_EXHAUSTED, "QUOTA_EXCEEDED")
    assert metadata == {"limit": "2", "actual": "3", "unit": "attachments"}
    assert len(sent) < 40, len(sent)
    # Deleting frees the quota.
    stub.DeleteAttachment(pb.DeleteAttachmentRequest(name=first.name), timeout=30)
    upload(stub, text_of(100, 3), "3.txt")


@limits(storage_cap_bytes=MIB)
def test_the_storage_cap_counts_stored_bytes_once(limited: ServerProcess) -> None:
    stub = limited.stub()
    data = text_of(700 * KIB, 1)
    upload(stub, data, "a.txt")
    upload(stub, data, "copy.txt")  # the same bytes are stored once: no more of the cap
    with pytest.raises(grpc.RpcError) as error:
        upload(stub, text_of(400 * KIB, 2), "b.txt")
    code, reason, metadata, retry = refusal(error.value)
    assert (code, reason) == (grpc.StatusCode.RESOURCE_EXHAUSTED, "STORAGE_FULL")
    assert metadata == {
        "limit": str(MIB),
        "actual": str(1100 * KIB),
        "unit": "bytes",
        "scope": "cap",
    }
    assert retry and retry > 0
    assert stored(stub) == [700 * KIB, 700 * KIB] and len(blobs(limited)) == 1


SIZE = 200 * KIB
RACERS = 8
QUOTA = 3 * SIZE + SIZE // 2


@limits(quota_bytes=QUOTA)
def test_uploads_racing_for_the_last_bytes_keep_exactly_those_that_fit(
    limited: ServerProcess,
) -> None:
    """Eight uploads at once into a quota with room for three and a half. Every stream has
    sent its header and first chunk before any sends the rest (a barrier), so each is past the
    server's early checks before any commits: the commit decides."""
    stub = limited.stub()
    everyone_started = threading.Barrier(RACERS, timeout=60)

    def racer(seed: int) -> pb.UploadRequest | grpc.RpcError:
        data = text_of(SIZE, seed)

        def stream() -> Iterator[pb.UploadRequest]:
            requests = requests_for(data, header(data, f"{seed}.txt"), chunk=64 * KIB)
            yield next(requests)  # the header
            yield next(requests)
            everyone_started.wait()
            yield from requests

        try:
            return stub.Upload(stream(), timeout=60)  # type: ignore[no-any-return]
        except grpc.RpcError as error:
            return error

    with ThreadPoolExecutor(RACERS) as pool:
        results = list(pool.map(racer, range(RACERS)))
    refused = [r for r in results if isinstance(r, grpc.RpcError)]
    assert len(refused) == RACERS - 3, results
    for error in refused:
        code, reason, metadata, _ = refusal(error)
        assert (code, reason) == (grpc.StatusCode.RESOURCE_EXHAUSTED, "QUOTA_EXCEEDED")
        assert int(metadata["actual"]) > QUOTA
    sizes = stored(stub)
    assert sizes == [SIZE] * 3 and sum(sizes) <= QUOTA
    assert len(blobs(limited)) == 3
    assert not list((limited.data_dir / "staging").iterdir())
