"""Stream misuse and the resource methods: each failure has its status and its own reason."""

from __future__ import annotations

import hashlib

import grpc
import pytest

from mediagate.client import error_details
from mediagate.v1 import attachment_service_pb2 as pb
from mediagate.v1 import attachment_service_pb2_grpc as pb_grpc
from mediagate.v1 import preview_pb2
from tests.samples import images, texts
from tests.support.calls import download, rejected, upload
from tests.support.server_process import ServerProcess


def failure(call, *args, **kwargs) -> tuple[grpc.StatusCode, str]:  # type: ignore[no-untyped-def]
    with pytest.raises(grpc.RpcError) as error:
        result = call(*args, timeout=30, **kwargs)
        if hasattr(result, "__iter__") and not isinstance(result, bytes):
            list(result)
    details = error_details(error.value)
    return error.value.code(), details[0].reason if details else ""


def test_no_header(stub: pb_grpc.AttachmentServiceStub) -> None:
    stream = iter([pb.UploadRequest(chunk=b"abc")])
    assert failure(stub.Upload, stream) == (grpc.StatusCode.INVALID_ARGUMENT, "MISSING_HEADER")


def test_two_headers(stub: pb_grpc.AttachmentServiceStub) -> None:
    h = pb.UploadHeader(file_name="a.txt")
    stream = iter(
        [pb.UploadRequest(header=h), pb.UploadRequest(chunk=b"x"), pb.UploadRequest(header=h)]
    )
    assert failure(stub.Upload, stream) == (grpc.StatusCode.INVALID_ARGUMENT, "DUPLICATE_HEADER")


def test_empty_stream(stub: pb_grpc.AttachmentServiceStub) -> None:
    assert failure(stub.Upload, iter([])) == (grpc.StatusCode.INVALID_ARGUMENT, "EMPTY_STREAM")


def test_oversized_chunk(server: ServerProcess, stub: pb_grpc.AttachmentServiceStub) -> None:
    stream = iter(
        [
            pb.UploadRequest(header=pb.UploadHeader(file_name="a.txt")),
            pb.UploadRequest(chunk=b"a" * (1024 * 1024 + 1)),
        ]
    )
    assert failure(stub.Upload, stream) == (grpc.StatusCode.INVALID_ARGUMENT, "CHUNK_TOO_LARGE")
    assert not list((server.data_dir / "staging").iterdir())


@pytest.mark.parametrize(
    "fields",
    [{"sha256": "XYZ"}, {"declared_size_bytes": -5}, {"labels": {"": "empty key"}}],
)
def test_malformed_header(stub: pb_grpc.AttachmentServiceStub, fields: dict[str, object]) -> None:
    stream = iter([pb.UploadRequest(header=pb.UploadHeader(file_name="a", **fields))])  # type: ignore[arg-type]
    assert failure(stub.Upload, stream) == (grpc.StatusCode.INVALID_ARGUMENT, "INVALID_HEADER")


def test_unknown_profile(stub: pb_grpc.AttachmentServiceStub) -> None:
    stream = iter([pb.UploadRequest(header=pb.UploadHeader(file_name="a", profile="nope"))])
    assert failure(stub.Upload, stream) == (grpc.StatusCode.INVALID_ARGUMENT, "UNKNOWN_PROFILE")


def test_unknown_and_malformed_names(stub: pb_grpc.AttachmentServiceStub) -> None:
    missing = "attachments/" + "0" * 32
    for call, request in (
        (stub.GetAttachment, pb.GetAttachmentRequest(name=missing)),
        (stub.DeleteAttachment, pb.DeleteAttachmentRequest(name=missing)),
        (stub.Download, pb.DownloadRequest(name=missing)),
    ):
        assert failure(call, request) == (grpc.StatusCode.NOT_FOUND, "ATTACHMENT_NOT_FOUND")
    for bad in ("", "attachments/../../etc", "files/" + "0" * 32):
        assert failure(stub.GetAttachment, pb.GetAttachmentRequest(name=bad)) == (
            grpc.StatusCode.INVALID_ARGUMENT,
            "INVALID_NAME",
        )


def test_download_ranges(stub: pb_grpc.AttachmentServiceStub) -> None:
    data = texts.text(lines=5000)
    a = upload(stub, data, "big.txt", "text/plain")
    assert download(stub, a.name, read_offset=100, read_limit=50) == data[100:150]
    assert download(stub, a.name, read_offset=len(data) - 10) == data[-10:]
    assert download(stub, a.name, read_offset=len(data)) == b""
    first = next(iter(stub.Download(pb.DownloadRequest(name=a.name), timeout=30)))
    assert first.attachment.name == a.name and len(first.data) <= 256 * 1024
    assert failure(stub.Download, pb.DownloadRequest(name=a.name, read_offset=len(data) + 1)) == (
        grpc.StatusCode.OUT_OF_RANGE,
        "INVALID_READ_RANGE",
    )
    assert failure(stub.Download, pb.DownloadRequest(name=a.name, read_limit=-1)) == (
        grpc.StatusCode.INVALID_ARGUMENT,
        "INVALID_READ_RANGE",
    )


def test_list_pages_newest_first_and_filters_by_conversation(
    stub: pb_grpc.AttachmentServiceStub,
) -> None:
    names = [
        upload(
            stub, texts.text(lines=i + 1), f"n{i}.txt", "text/plain", conversation_id="conv-list"
        ).name
        for i in range(5)
    ]
    upload(stub, texts.text(lines=99), "other.txt", "text/plain", conversation_id="conv-other")
    seen: list[str] = []
    token = ""
    while True:
        page = stub.ListAttachments(
            pb.ListAttachmentsRequest(conversation_id="conv-list", page_size=2, page_token=token)
        )
        assert len(page.attachments) <= 2
        seen += [a.name for a in page.attachments]
        token = page.next_page_token
        if not token:
            break
    assert seen == list(reversed(names))
    assert failure(stub.ListAttachments, pb.ListAttachmentsRequest(page_size=-1)) == (
        grpc.StatusCode.INVALID_ARGUMENT,
        "INVALID_PAGE_SIZE",
    )
    assert failure(stub.ListAttachments, pb.ListAttachmentsRequest(page_token="forged")) == (
        grpc.StatusCode.INVALID_ARGUMENT,
        "INVALID_PAGE_TOKEN",
    )


def test_delete_is_immediate_and_shared_bytes_survive(
    server: ServerProcess, stub: pb_grpc.AttachmentServiceStub
) -> None:
    data = texts.csv(rows=7)
    digest = hashlib.sha256(data).hexdigest()
    blob = server.data_dir / "blobs" / digest[:2] / digest[2:4] / digest
    first = upload(stub, data, "a.csv", "text/csv")
    second = upload(stub, data, "b.csv", "text/csv")
    assert first.name != second.name and first.sha256 == second.sha256
    stub.DeleteAttachment(pb.DeleteAttachmentRequest(name=first.name))
    assert failure(stub.GetAttachment, pb.GetAttachmentRequest(name=first.name))[0] == (
        grpc.StatusCode.NOT_FOUND
    )
    assert blob.exists() and download(stub, second.name) == data
    stub.DeleteAttachment(pb.DeleteAttachmentRequest(name=second.name))
    assert not blob.exists()


def test_idempotency_key_returns_the_first_attachment(
    server: ServerProcess, stub: pb_grpc.AttachmentServiceStub
) -> None:
    photo = images.jpeg(10, 10)
    first = upload(stub, photo, "a.jpg", idempotency_key="retry-1")
    # A retry: with the sha256 declared it is answered from the header; without, after the bytes.
    assert upload(stub, photo, "a.jpg", idempotency_key="retry-1") == first
    assert upload(stub, photo, "a.jpg", idempotency_key="retry-1", sha256="") == first
    # Other bytes under the same key are refused, never answered with the first file.
    other = images.jpeg(20, 20)
    for fields in ({}, {"sha256": ""}):
        code, reasons, error = rejected(stub, other, "b.jpg", idempotency_key="retry-1", **fields)
        assert (code, reasons) == (grpc.StatusCode.ALREADY_EXISTS, ["IDEMPOTENCY_KEY_REUSED"])
        assert error_details(error)[0].metadata["name"] == first.name
    digest = hashlib.sha256(other).hexdigest()
    assert not (server.data_dir / "blobs" / digest[:2] / digest[2:4] / digest).exists()
    assert not list((server.data_dir / "staging").iterdir())


def test_file_names_are_sanitised(stub: pb_grpc.AttachmentServiceStub) -> None:
    a = upload(stub, texts.text(), "../../etc/\x07notes.txt", "text/plain")
    assert a.file_name == "notes.txt"


def test_list_profiles(stub: pb_grpc.AttachmentServiceStub) -> None:
    response = stub.ListProfiles(pb.ListProfilesRequest())
    by_name = {p.name: p for p in response.profiles}
    assert response.default_profile == "web-messaging"
    assert by_name["web-messaging"].max_size_bytes == 10 * 1024 * 1024
    assert "audio/mpeg" in by_name["voice"].accepted_mime_types
    assert by_name["voice"].max_audio_duration.seconds == 60
    assert {"application/msword", "application/zip"} <= set(
        by_name["documents"].accepted_mime_types
    )
    assert "application/zip" not in by_name["web-messaging"].accepted_mime_types
    assert response.max_chunk_size_bytes == 1024 * 1024
    assert response.recommended_chunk_size_bytes == 1024 * 1024
    # What runs after an accepted upload, and which codecs each audio container may carry.
    (eager,) = by_name["web-messaging"].eager_previews
    assert (eager.max_width, eager.max_height, eager.format, eager.quality) == (
        300,
        300,
        preview_pb2.PREVIEW_FORMAT_WEBP,
        80,
    )
    codecs = {c.mime_type: list(c.codecs) for c in by_name["voice"].audio_codecs}
    assert codecs["audio/ogg"] == ["opus", "vorbis"] and codecs["audio/mp4"] == ["aac"]
    assert list(by_name["web-messaging"].audio_codecs) == []
