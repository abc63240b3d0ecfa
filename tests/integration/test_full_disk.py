"""A real server whose data directory is a small filesystem of its own (a 64 MiB tmpfs), filled
to the last byte by a file written beside it, not through the API, so that nothing the server
checks could have prevented it. Uploads must be refused as STORAGE_FULL (never INTERNAL),
reads must go on, and deleting must work and give the bytes back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest

from mediagate.v1 import attachment_service_pb2 as pb
from mediagate.v1 import preview_pb2
from tests.integration.test_storage_limits import counted_stream, refusal, text_of
from tests.integration.test_voice import send
from tests.samples import audio, images
from tests.support.calls import download, header, requests_for, upload, validate
from tests.support.server_process import ServerProcess
from tests.support.small_disk import MIB, fill, free_bytes, small_disk

RESERVE = 8 * MIB


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    with small_disk(tmp_path / "disk", 64 * MIB) as mounted:
        yield mounted


def _blob(data_dir: Path, sha256: str) -> Path:
    return data_dir / "blobs" / sha256[:2] / sha256[2:4] / sha256


def _storage_full(call: grpc.RpcError) -> None:
    code, reason, metadata, retry = refusal(call)
    assert (code, reason) == (grpc.StatusCode.RESOURCE_EXHAUSTED, "STORAGE_FULL"), call
    assert metadata["scope"] == "disk" and metadata["unit"] == "bytes"
    assert retry and retry > 0


def test_a_full_disk_refuses_uploads_and_still_reads_and_deletes(disk: Path) -> None:
    env = {
        "MEDIAGATE_MIN_FREE_BYTES": str(4 * MIB),
        "MEDIAGATE_DELETE_RESERVE_BYTES": str(RESERVE),
    }
    with ServerProcess(disk / "data", env) as server:
        stub = server.stub()
        photo_bytes = images.jpeg(640, 480)
        photo = upload(stub, photo_bytes, "photo.jpg")
        text_bytes = text_of(3 * MIB, 1)
        text = upload(stub, text_bytes, "notes.txt")
        assert (server.data_dir / "reserved-space").stat().st_size == RESERVE

        fill(disk)
        assert free_bytes(disk) == 0

        # Uploads of every kind: STORAGE_FULL with RetryInfo, before any chunk is read.
        sent: list[int] = []
        head = pb.UploadHeader(file_name="more.txt", declared_size_bytes=MIB)
        with pytest.raises(grpc.RpcError) as error:
            stub.Upload(counted_stream(head, text_of(1000, 2), 200, sent), timeout=60)
        _storage_full(error.value)
        assert len(sent) < 40, len(sent)
        small = images.png(20, 20)
        with pytest.raises(grpc.RpcError) as error:
            stub.Upload(requests_for(small, header(small, "a.png", declared_size_bytes=0)))
        _storage_full(error.value)
        with pytest.raises(grpc.RpcError) as error:
            validate(stub, small, "a.png")
        _storage_full(error.value)
        with pytest.raises(grpc.RpcError) as error:
            send(stub, audio.wav(1.0), "note.wav")
        _storage_full(error.value)
        assert not list((server.data_dir / "staging").iterdir())

        # Reads go on.
        got = stub.GetAttachment(pb.GetAttachmentRequest(name=photo.name), timeout=30)
        assert got.sha256 == photo.sha256
        listed = stub.ListAttachments(pb.ListAttachmentsRequest(), timeout=30)
        assert {a.name for a in listed.attachments} == {photo.name, text.name}
        assert download(stub, photo.name) == photo_bytes
        assert download(stub, text.name) == text_bytes
        # A preview never rendered before: answered, though the disk cannot cache it.
        preview = stub.GetPreview(
            pb.GetPreviewRequest(name=photo.name, spec=preview_pb2.PreviewSpec(max_width=77)),
            timeout=60,
        )
        assert preview.width == 77

        # Deleting works, and gives the bytes back.
        for attachment in (text, photo):
            stub.DeleteAttachment(pb.DeleteAttachmentRequest(name=attachment.name), timeout=30)
            assert not _blob(server.data_dir, attachment.sha256).exists()
            with pytest.raises(grpc.RpcError) as error:
                stub.GetAttachment(pb.GetAttachmentRequest(name=attachment.name), timeout=30)
            assert error.value.code() == grpc.StatusCode.NOT_FOUND
        assert stub.ListAttachments(pb.ListAttachmentsRequest(), timeout=30).attachments == []

        # Once there is space again, uploads are accepted again.
        (disk / "filler").unlink()
        assert upload(stub, small, "again.png").size_bytes == len(small)
        assert not any("internal error" in line for line in server.log), "".join(server.log)
