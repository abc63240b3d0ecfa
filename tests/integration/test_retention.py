"""The retention sweeper deletes an attachment, and its bytes, once its expire_time passes."""

from __future__ import annotations

import hashlib
import time

import grpc

from mediagate.v1 import attachment_service_pb2 as pb
from mediagate.v1 import attachment_service_pb2_grpc as pb_grpc
from tests.samples import texts
from tests.support.calls import upload
from tests.support.server_process import ServerProcess


def test_expired_attachments_are_swept(
    server: ServerProcess, stub: pb_grpc.AttachmentServiceStub
) -> None:
    data = texts.text(lines=321)
    kept = upload(stub, texts.text(lines=322), "kept.txt", "text/plain")
    gone = upload(stub, data, "brief.txt", "text/plain", profile="ephemeral")
    assert gone.expire_time.ToNanoseconds() - gone.create_time.ToNanoseconds() == 10**9
    digest = hashlib.sha256(data).hexdigest()
    blob = server.data_dir / "blobs" / digest[:2] / digest[2:4] / digest
    # The sweeper runs every 0.2 s in this server; wait for its effect, bounded.
    deadline = time.monotonic() + 15
    while True:
        try:
            stub.GetAttachment(pb.GetAttachmentRequest(name=gone.name), timeout=5)
        except grpc.RpcError as error:
            assert error.code() == grpc.StatusCode.NOT_FOUND
            break
        assert time.monotonic() < deadline, "the sweeper never removed the expired attachment"
        time.sleep(0.05)
    assert not blob.exists()
    assert stub.GetAttachment(pb.GetAttachmentRequest(name=kept.name), timeout=5) == kept
