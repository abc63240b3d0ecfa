"""Every RPC's unexpected-failure path, driven by breaking the real server's own storage under
it: a blob that became a directory, a staging area that vanished, a catalog table that is gone.
Each answer must be INTERNAL with the one generic message: no exception name, path, SQL or file
content, and no ErrorInfo that would invite a caller to act on it. The server keeps serving.

ListProfiles is not here: it answers a message built at start-up and has no failure path.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from mediagate.api.status import INTERNAL_MESSAGE
from mediagate.client import error_details
from mediagate.v1 import attachment_service_pb2 as pb
from mediagate.v1 import voice_pb2
from tests.integration.test_voice import send
from tests.samples import images, voice
from tests.support.calls import header, requests_for, upload
from tests.support.server_process import ServerProcess


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    with ServerProcess(tmp_path / "data") as process:
        yield process


def _assert_internal(call: Callable[[], object]) -> None:
    with pytest.raises(grpc.RpcError) as raised:
        call()
    error = raised.value
    assert error.code() == grpc.StatusCode.INTERNAL, (error.code(), error.details())
    assert error.details() == INTERNAL_MESSAGE
    assert error_details(error) == []


def _blob_path(data_dir: Path, sha256: str) -> Path:
    return data_dir / "blobs" / sha256[:2] / sha256[2:4] / sha256


def test_every_rpc_answers_an_internal_failure_with_a_generic_status(
    server: ServerProcess,
) -> None:
    stub = server.stub()
    photo = upload(stub, images.jpeg(40, 30), "photo.jpg")
    recording: voice_pb2.VoiceMessage = send(stub, voice.speech("wav", 2.0), "note.wav")
    data_dir = server.data_dir

    # Download: the blob's path now holds a directory, which no open() reads.
    blob = _blob_path(data_dir, photo.sha256)
    blob.unlink()
    blob.mkdir()
    _assert_internal(
        lambda: b"".join(
            r.data for r in stub.Download(pb.DownloadRequest(name=photo.name), timeout=30)
        )
    )

    # Upload, Validate, UploadVoiceMessage: the staging area every upload spools into is gone.
    shutil.rmtree(data_dir / "staging")
    data = images.png(20, 20)
    _assert_internal(lambda: stub.Upload(requests_for(data, header(data, "a.png")), timeout=30))
    _assert_internal(lambda: stub.Validate(requests_for(data, header(data, "a.png")), timeout=30))
    _assert_internal(lambda: send(stub, voice.speech("wav", 1.0), "b.wav"))
    (data_dir / "staging").mkdir()

    # Everything that reads or writes the catalog: its table is gone.
    with sqlite3.connect(data_dir / "catalog.sqlite3") as db:
        db.execute("DROP TABLE voice_messages")
        db.execute("DROP TABLE attachments")
    _assert_internal(
        lambda: stub.GetAttachment(pb.GetAttachmentRequest(name=photo.name), timeout=30)
    )
    _assert_internal(lambda: stub.ListAttachments(pb.ListAttachmentsRequest(), timeout=30))
    _assert_internal(lambda: stub.GetPreview(pb.GetPreviewRequest(name=photo.name), timeout=30))
    _assert_internal(
        lambda: stub.GetVoiceMessage(
            pb.GetVoiceMessageRequest(name=recording.attachment.name), timeout=30
        )
    )
    _assert_internal(
        lambda: stub.DeleteAttachment(pb.DeleteAttachmentRequest(name=photo.name), timeout=30)
    )

    # The faults were the storage's, not the server's: it is still up and says so.
    health = health_pb2_grpc.HealthStub(server.channel())
    assert health.Check(health_pb2.HealthCheckRequest(), timeout=10).status == (
        health_pb2.HealthCheckResponse.SERVING
    )
    # And the operator can see what happened.
    server.wait_for_log("internal error in GetAttachment")
    server.wait_for_log("no such table")
