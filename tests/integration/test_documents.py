"""Office 97-2003 files and ZIP archives through a live server: accepted under the `documents`
profile when clean, refused with the reason their structure gives, and never accepted by the
default web-messaging profile."""

from __future__ import annotations

from collections.abc import Callable

import grpc
import pytest

from mediagate.client import error_details
from mediagate.v1 import attachment_service_pb2_grpc as pb_grpc
from tests.samples import archives, legacy_office
from tests.support.calls import download, rejected, upload
from tests.support.server_process import ServerProcess

DOCUMENTS = "documents"


@pytest.mark.parametrize(
    ("name", "make", "mime"),
    [
        ("letter.doc", legacy_office.doc, "application/msword"),
        ("sums.xls", legacy_office.xls, "application/vnd.ms-excel"),
        ("talk.ppt", legacy_office.ppt, "application/vnd.ms-powerpoint"),
    ],
)
def test_clean_legacy_office_files_are_kept(
    stub: pb_grpc.AttachmentServiceStub, name: str, make: Callable[[], bytes], mime: str
) -> None:
    data = make()
    attachment = upload(stub, data, name, profile=DOCUMENTS)
    assert attachment.detected_mime_type == mime
    assert download(stub, attachment.name) == data


def test_a_clean_zip_is_kept_with_its_archive_facts(stub: pb_grpc.AttachmentServiceStub) -> None:
    data = archives.zip_archive()
    attachment = upload(stub, data, "bundle.zip", "application/x-zip-compressed", profile=DOCUMENTS)
    assert attachment.detected_mime_type == "application/zip"
    assert attachment.archive.entry_count == 2
    assert attachment.archive.uncompressed_bytes == 19
    assert download(stub, attachment.name) == data


# (case id, file name, bytes, decisive reason, ErrorInfo kind or "")
REFUSED: list[tuple[str, str, Callable[[], bytes], str, str]] = [
    ("doc vba", "letter.doc", lambda: legacy_office.doc(vba=True), "ACTIVE_CONTENT", "vba"),
    ("xls vba", "sums.xls", lambda: legacy_office.xls(vba=True), "ACTIVE_CONTENT", "vba"),
    ("xls xlm", "sums.xls", lambda: legacy_office.xls(xlm=True), "ACTIVE_CONTENT", "xlm"),
    ("doc encrypted", "letter.doc", lambda: legacy_office.doc(encrypted=True), "ENCRYPTED", ""),
    ("xls filepass", "sums.xls", lambda: legacy_office.xls(filepass=True), "ENCRYPTED", ""),
    ("zip bomb", "bomb.zip", archives.zip_bomb, "DECOMPRESSION_BOMB", ""),
    ("zip slip", "x.zip", lambda: archives.zip_with_names("../../evil.sh"), "CORRUPT", "path"),
    ("zip absolute", "x.zip", lambda: archives.zip_with_names("/etc/x"), "CORRUPT", "path"),
    ("zip symlink", "x.zip", archives.zip_with_symlink, "CORRUPT", "symlink"),
    ("zip encrypted", "x.zip", archives.zip_with_encrypted_entry, "ENCRYPTED", "zip"),
    ("zip nested", "x.zip", lambda: archives.nested_zip(3), "DECOMPRESSION_BOMB", ""),
]


@pytest.mark.parametrize(
    ("name", "make", "reason", "kind"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED]
)
def test_hostile_ones_are_refused_and_nothing_is_kept(
    server: ServerProcess,
    stub: pb_grpc.AttachmentServiceStub,
    name: str,
    make: Callable[[], bytes],
    reason: str,
    kind: str,
) -> None:
    blobs_before = _blobs(server)
    code, reasons, error = rejected(stub, make(), name, profile=DOCUMENTS)
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert reasons[0] == reason, reasons
    if kind:
        assert error_details(error)[0].metadata["kind"] == kind
    assert _blobs(server) == blobs_before


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("letter.doc", legacy_office.doc),
        ("sums.xls", legacy_office.xls),
        ("talk.ppt", legacy_office.ppt),
        ("bundle.zip", archives.zip_archive),
    ],
)
def test_web_messaging_refuses_them_as_unsupported(
    stub: pb_grpc.AttachmentServiceStub, name: str, make: Callable[[], bytes]
) -> None:
    code, reasons, _ = rejected(stub, make(), name)
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert reasons == ["UNSUPPORTED_TYPE"]


def _blobs(server: ServerProcess) -> set[str]:
    return {path.name for path in (server.data_dir / "blobs").glob("??/??/*")}
