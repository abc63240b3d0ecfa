"""Short ways to call the service from tests, with the real generated stub."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator

import grpc

from mediagate.client import RECOMMENDED_CHUNK_BYTES, error_details, upload_requests
from mediagate.v1 import attachment_pb2 as apb
from mediagate.v1 import attachment_service_pb2 as pb
from mediagate.v1 import attachment_service_pb2_grpc as pb_grpc

CHUNK = RECOMMENDED_CHUNK_BYTES


def header(data: bytes, file_name: str, mime: str = "", **fields: object) -> pb.UploadHeader:
    fields.setdefault("declared_size_bytes", len(data))
    fields.setdefault("sha256", hashlib.sha256(data).hexdigest())
    return pb.UploadHeader(file_name=file_name, declared_mime_type=mime, **fields)  # type: ignore[arg-type]


def requests_for(
    data: bytes, head: pb.UploadHeader, chunk: int = CHUNK
) -> Iterator[pb.UploadRequest]:
    return upload_requests(io.BytesIO(data), head, chunk)


def upload(
    stub: pb_grpc.AttachmentServiceStub,
    data: bytes,
    file_name: str,
    mime: str = "",
    **fields: object,
) -> apb.Attachment:
    return stub.Upload(requests_for(data, header(data, file_name, mime, **fields)), timeout=60)


def validate(
    stub: pb_grpc.AttachmentServiceStub,
    data: bytes,
    file_name: str,
    mime: str = "",
    **fields: object,
) -> apb.Verdict:
    return stub.Validate(requests_for(data, header(data, file_name, mime, **fields)), timeout=60)


def rejected(
    stub: pb_grpc.AttachmentServiceStub,
    data: bytes,
    file_name: str,
    mime: str = "",
    **fields: object,
) -> tuple[grpc.StatusCode, list[str], grpc.RpcError]:
    """Uploads a file that must be refused; returns the status code and ErrorInfo reasons."""
    try:
        upload(stub, data, file_name, mime, **fields)
    except grpc.RpcError as error:
        return error.code(), [d.reason for d in error_details(error)], error  # type: ignore[attr-defined]
    raise AssertionError(f"{file_name} was accepted but should have been refused")


def download(stub: pb_grpc.AttachmentServiceStub, name: str, **range_: int) -> bytes:
    out = bytearray()
    for response in stub.Download(pb.DownloadRequest(name=name, **range_), timeout=60):
        out += response.data
    return bytes(out)
