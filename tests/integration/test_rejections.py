"""Every reason code, provoked by a real file: INVALID_ARGUMENT with ErrorInfo, nothing kept."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import grpc
import pytest

from mediagate.client import error_details
from mediagate.v1 import attachment_service_pb2 as pb
from mediagate.v1 import attachment_service_pb2_grpc as pb_grpc
from mediagate.v1 import reasons_pb2
from tests.samples import archives, audio, damage, executables, images, office, pdfs, texts
from tests.support.calls import rejected, validate
from tests.support.server_process import ServerProcess

MIB = 1024 * 1024

# (case id, file name, declared type, bytes, profile, expected decisive reason)
CASES: list[tuple[str, str, str, Callable[[], bytes], str, str]] = [
    ("empty", "nothing.jpg", "image/jpeg", lambda: b"", "", "EMPTY"),
    ("unsupported zip", "archive.zip", "", lambda: archives.zip_archive(), "", "UNSUPPORTED_TYPE"),
    ("unsupported tiff", "scan.tif", "", lambda: images.tiff(), "", "UNSUPPORTED_TYPE"),
    (
        "html is never an image",
        "x.html",
        "",
        lambda: b"<html><script>alert(1)</script></html>",
        "",
        "UNSUPPORTED_TYPE",
    ),
    ("pdf declared png", "doc.pdf", "image/png", lambda: pdfs.pdf(), "", "TYPE_MISMATCH"),
    ("png named jpg", "photo.jpg", "", lambda: images.png(), "", "EXTENSION_MISMATCH"),
    ("executable named jpg", "cat.jpg", "image/jpeg", executables.elf_executable, "", "EXECUTABLE"),
    ("shell script", "run.txt", "text/plain", lambda: b"#!/bin/sh\nrm -rf /\n", "", "EXECUTABLE"),
    (
        "png 100000x100000",
        "huge.png",
        "image/png",
        lambda: images.png_claiming(100_000, 100_000),
        "",
        "TOO_MANY_PIXELS",
    ),
    (
        "too many frames",
        "anim.gif",
        "image/gif",
        lambda: images.gif_animated(frames=5),
        "tight",
        "TOO_MANY_FRAMES",
    ),
    (
        "too many pages",
        "long.pdf",
        "application/pdf",
        lambda: pdfs.pdf(pages=5),
        "tight",
        "TOO_MANY_PAGES",
    ),
    (
        "encrypted pdf",
        "secret.pdf",
        "application/pdf",
        lambda: pdfs.pdf(user_password="pw"),
        "",
        "ENCRYPTED",
    ),
    (
        "pdf javascript",
        "js.pdf",
        "application/pdf",
        lambda: pdfs.pdf(javascript=True),
        "",
        "ACTIVE_CONTENT",
    ),
    (
        "pdf launch",
        "launch.pdf",
        "application/pdf",
        lambda: pdfs.pdf(launch=True),
        "",
        "ACTIVE_CONTENT",
    ),
    ("docm vba", "letter.docx", "", office.docm_with_vba, "", "ACTIVE_CONTENT"),
    (
        "xlsx xlm macrosheet",
        "sheet.xlsx",
        "",
        office.xlsx_with_xlm_macrosheet,
        "",
        "ACTIVE_CONTENT",
    ),
    (
        "svg script",
        "logo.svg",
        "image/svg+xml",
        lambda: texts.svg(script=True),
        "open-images",
        "ACTIVE_CONTENT",
    ),
    (
        "svg entity",
        "logo.svg",
        "image/svg+xml",
        lambda: texts.svg(entity=True),
        "open-images",
        "ACTIVE_CONTENT",
    ),
    ("zip after png", "shot.png", "image/png", images.png_with_zip_appended, "", "POLYGLOT"),
    (
        "php in jpeg comment",
        "photo.jpg",
        "image/jpeg",
        images.jpeg_with_php_comment,
        "",
        "POLYGLOT",
    ),
    ("docx zip bomb", "bomb.docx", "", office.docx_zip_bomb, "", "DECOMPRESSION_BOMB"),
    (
        "truncated jpeg",
        "cut.jpg",
        "image/jpeg",
        lambda: damage.truncate(images.jpeg(640, 480)),
        "",
        "TRUNCATED",
    ),
    (
        "truncated pdf",
        "cut.pdf",
        "application/pdf",
        lambda: damage.truncate(pdfs.pdf(pages=3)),
        "",
        "TRUNCATED",
    ),
    (
        "truncated mp3",
        "cut.mp3",
        "audio/mpeg",
        lambda: damage.truncate(audio.mp3(3.0), 0.02),
        "voice",
        "TRUNCATED",
    ),
    ("corrupt png stream", "bad.png", "image/png", images.png_with_corrupt_data, "", "CORRUPT"),
    (
        "voice too long",
        "long.ogg",
        "audio/ogg",
        lambda: audio.ogg_opus(61.0),
        "voice",
        "TOO_LONG",
    ),
    (
        "voice too short",
        "short.ogg",
        "audio/ogg",
        lambda: audio.ogg_opus(1.0),
        "short-voice",
        "TOO_SHORT",
    ),
]


@pytest.mark.parametrize(
    ("name", "mime", "make", "profile", "reason"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_each_reason_is_reported_and_nothing_is_kept(
    server: ServerProcess,
    stub: pb_grpc.AttachmentServiceStub,
    name: str,
    mime: str,
    make: Callable[[], bytes],
    profile: str,
    reason: str,
) -> None:
    data = make()
    blobs_before = _blobs(server)
    code, reasons, _ = rejected(stub, data, name, mime, profile=profile)
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert reasons[0] == reason, reasons
    assert _blobs(server) == blobs_before
    assert not list((server.data_dir / "staging").iterdir())
    # Validate reaches the same verdict, as an answer rather than an error.
    verdict = validate(stub, data, name, mime, profile=profile)
    assert not verdict.accepted
    names = [reasons_pb2.RejectionReason.Name(r.reason) for r in verdict.rejections]
    assert names[0] == f"REJECTION_REASON_{reason}"


def _blobs(server: ServerProcess) -> set[str]:
    """Every stored blob: a refused file must add none (its bytes may already be stored
    legitimately by another test, so "this digest exists" would prove nothing)."""
    return {path.name for path in (server.data_dir / "blobs").glob("??/??/*")}


def test_error_info_carries_the_explaining_metadata(stub: pb_grpc.AttachmentServiceStub) -> None:
    pdf = pdfs.pdf()
    _, _, error = rejected(stub, pdf, "doc.pdf", "image/png")
    details = error_details(error)
    assert details[0].metadata == {
        "declared_mime_type": "image/png",
        "detected_mime_type": "application/pdf",
    }
    assert "TYPE_MISMATCH" in error.details()


def test_size_mismatch_and_checksum_mismatch(stub: pb_grpc.AttachmentServiceStub) -> None:
    data = images.jpeg()
    _, reasons, error = rejected(stub, data, "a.jpg", declared_size_bytes=len(data) + 1)
    assert reasons == ["SIZE_MISMATCH"]
    assert error_details(error)[0].metadata == {
        "limit": str(len(data) + 1),
        "actual": str(len(data)),
    }
    _, reasons, _ = rejected(stub, data, "a.jpg", sha256="0" * 64)
    assert reasons == ["CHECKSUM_MISMATCH"]


def test_declared_size_over_the_limit_is_refused_before_any_chunk(
    stub: pb_grpc.AttachmentServiceStub,
) -> None:
    sent = 0

    def stream():  # type: ignore[no-untyped-def]
        nonlocal sent
        yield pb.UploadRequest(
            header=pb.UploadHeader(file_name="big.pdf", declared_size_bytes=11 * MIB)
        )
        for _ in range(200):
            sent += 1
            yield pb.UploadRequest(chunk=b"\0" * (256 * 1024))

    with pytest.raises(grpc.RpcError) as error:
        stub.Upload(stream(), timeout=60)
    assert [d.reason for d in error_details(error.value)] == ["TOO_LARGE"]
    # gRPC flow control lets a client run a few MiB ahead at most; the server read none.
    assert sent < 40, sent


def test_bytes_over_the_limit_stop_the_reading_at_once(
    server: ServerProcess, stub: pb_grpc.AttachmentServiceStub
) -> None:
    sent = 0
    pdf_head = pdfs.pdf()

    def stream():  # type: ignore[no-untyped-def]
        nonlocal sent
        yield pb.UploadRequest(header=pb.UploadHeader(file_name="big.pdf"))  # size unknown
        yield pb.UploadRequest(chunk=pdf_head)
        for _ in range(400):  # 100 MiB offered against a 10 MiB limit
            sent += 1
            yield pb.UploadRequest(chunk=b"\0" * (256 * 1024))

    with pytest.raises(grpc.RpcError) as error:
        stub.Upload(stream(), timeout=60)
    details = error_details(error.value)
    assert details[0].reason == "TOO_LARGE"
    assert int(details[0].metadata["actual"]) <= 10 * MIB + 256 * 1024
    assert sent < 80, sent  # 40 chunks reach the limit; flow control allows a few MiB more
    assert not list((server.data_dir / "staging").iterdir())


def test_a_refused_type_stops_the_reading_after_the_first_kib(
    stub: pb_grpc.AttachmentServiceStub,
) -> None:
    sent = 0
    elf = executables.elf_executable()

    def stream():  # type: ignore[no-untyped-def]
        nonlocal sent
        yield pb.UploadRequest(header=pb.UploadHeader(file_name="tool.bin"))
        yield pb.UploadRequest(chunk=elf + b"\0" * (64 * 1024))
        for _ in range(400):
            sent += 1
            yield pb.UploadRequest(chunk=b"\0" * (256 * 1024))

    with pytest.raises(grpc.RpcError) as error:
        stub.Upload(stream(), timeout=60)
    assert error_details(error.value)[0].reason == "EXECUTABLE"
    assert sent < 40, sent


def test_a_refusal_at_the_sniff_carries_every_reason_known_most_decisive_first(
    stub: pb_grpc.AttachmentServiceStub,
) -> None:
    sent = 0
    elf = executables.elf_executable()

    def stream():  # type: ignore[no-untyped-def]
        nonlocal sent
        yield pb.UploadRequest(
            header=pb.UploadHeader(file_name="cat.png", declared_mime_type="image/png")
        )
        yield pb.UploadRequest(chunk=elf + b"\0" * (64 * 1024))
        for _ in range(400):
            sent += 1
            yield pb.UploadRequest(chunk=b"\0" * (256 * 1024))

    with pytest.raises(grpc.RpcError) as error:
        stub.Upload(stream(), timeout=60)
    details = error_details(error.value)
    assert [d.reason for d in details] == ["EXECUTABLE", "TYPE_MISMATCH", "EXTENSION_MISMATCH"]
    assert details[1].metadata["declared_mime_type"] == "image/png"
    assert sent < 40, sent  # still stopped at the sniff


def test_validate_lists_every_reason_found(stub: pb_grpc.AttachmentServiceStub) -> None:
    data = pdfs.pdf(javascript=True)
    verdict = validate(stub, data, "photo.png", "image/png", sha256="0" * 64)
    names = {reasons_pb2.RejectionReason.Name(r.reason) for r in verdict.rejections}
    assert names >= {
        "REJECTION_REASON_CHECKSUM_MISMATCH",
        "REJECTION_REASON_ACTIVE_CONTENT",
        "REJECTION_REASON_TYPE_MISMATCH",
        "REJECTION_REASON_EXTENSION_MISMATCH",
    }
    assert verdict.detected_mime_type == "application/pdf"
    assert verdict.document.page_count == 1


def test_validate_accepts_a_good_file_and_stores_nothing(
    server: ServerProcess, stub: pb_grpc.AttachmentServiceStub
) -> None:
    data = images.jpeg(33, 44)
    blobs_before = _blobs(server)
    verdict = validate(stub, data, "ok.jpg", "image/jpeg")
    assert verdict.accepted and not verdict.rejections
    assert verdict.image.width == 33 and verdict.sha256 == hashlib.sha256(data).hexdigest()
    assert _blobs(server) == blobs_before
    assert not list((server.data_dir / "staging").iterdir())
