"""strip_metadata through a live server: what is stored has lost its metadata, the Attachment
says what and which bytes were sent, and idempotent repeats still compare the bytes as sent."""

from __future__ import annotations

import hashlib
import io

import grpc
import pytest
from PIL import Image

from mediagate.client import error_details
from mediagate.v1 import attachment_service_pb2 as pb
from mediagate.v1 import attachment_service_pb2_grpc as pb_grpc
from tests.samples import images, pdfs
from tests.support.calls import download, upload

GPS = 0x8825
ORIENTATION = 0x0112


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def removed(attachment: object) -> set[str]:
    items = attachment.metadata  # type: ignore[attr-defined]
    assert all(item.removed and item.size_bytes > 0 for item in items)
    return {item.kind for item in items}


def pixels(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as img:
        return img.tobytes()


def test_a_phone_photo_is_stored_without_gps(stub: pb_grpc.AttachmentServiceStub) -> None:
    sent = images.jpeg_phone(exif_orientation=6)
    attachment = upload(stub, sent, "IMG_0001.jpg", "image/jpeg")
    stored = download(stub, attachment.name)
    assert stored != sent and len(stored) < len(sent)
    assert attachment.sha256 == sha(stored) and attachment.size_bytes == len(stored)
    assert attachment.original_sha256 == sha(sent)
    assert removed(attachment) == {"exif", "exif-gps", "xmp", "comment"}
    with Image.open(io.BytesIO(stored)) as img:
        exif = img.getexif()
        assert exif.get_ifd(GPS) == {} and dict(exif) == {ORIENTATION: 6}
        assert img.info["icc_profile"] == images.srgb_icc()
    assert pixels(stored) == pixels(sent)
    assert attachment.image.exif_orientation == 6
    assert stub.GetAttachment(pb.GetAttachmentRequest(name=attachment.name)) == attachment


def test_a_declared_sha256_is_of_the_bytes_as_sent(stub: pb_grpc.AttachmentServiceStub) -> None:
    sent = images.jpeg_phone()
    attachment = upload(stub, sent, "a.jpg", "image/jpeg", sha256=sha(sent))
    assert attachment.original_sha256 == sha(sent) != attachment.sha256
    stripped = download(stub, attachment.name)
    with pytest.raises(grpc.RpcError) as error:
        upload(stub, sent, "b.jpg", "image/jpeg", sha256=sha(stripped))
    assert error.value.code() is grpc.StatusCode.INVALID_ARGUMENT


@pytest.mark.parametrize("declared", [True, False], ids=["declared-sha256", "bytes-compared"])
def test_an_idempotent_repeat_gets_the_first_attachment(
    stub: pb_grpc.AttachmentServiceStub, declared: bool
) -> None:
    sent = images.jpeg_phone(width=200)
    key = f"strip-repeat-{declared}"
    fields = {} if declared else {"sha256": ""}
    first = upload(stub, sent, "a.jpg", "image/jpeg", idempotency_key=key, **fields)
    again = upload(stub, sent, "a.jpg", "image/jpeg", idempotency_key=key, **fields)
    assert again == first and first.original_sha256 == sha(sent)
    with pytest.raises(grpc.RpcError) as error:
        other = images.jpeg_phone(width=201)
        upload(stub, other, "a.jpg", "image/jpeg", idempotency_key=key, **fields)
    reasons = [d.reason for d in error_details(error.value)]
    assert reasons == ["IDEMPOTENCY_KEY_REUSED"]


def test_a_png_loses_its_text_and_time(stub: pb_grpc.AttachmentServiceStub) -> None:
    sent = images.png_with_metadata()
    attachment = upload(stub, sent, "shot.png", "image/png")
    stored = download(stub, attachment.name)
    assert {"png-text", "png-time", "exif", "xmp"} <= removed(attachment)
    assert b"tEXt" not in stored and b"tIME" not in stored and b"iCCP" in stored
    assert attachment.sha256 == sha(stored) and attachment.original_sha256 == sha(sent)
    assert pixels(stored) == pixels(sent)


def test_a_webp_loses_its_exif(stub: pb_grpc.AttachmentServiceStub) -> None:
    sent = images.webp_with_metadata(xmp=False)
    attachment = upload(stub, sent, "pic.webp", "image/webp")
    stored = download(stub, attachment.name)
    assert removed(attachment) == {"exif", "exif-gps"}
    assert b"EXIF" not in stored and attachment.sha256 == sha(stored)
    assert pixels(stored) == pixels(sent)


def test_a_pdf_metadata_is_reported_not_removed(stub: pb_grpc.AttachmentServiceStub) -> None:
    sent = pdfs.pdf_with_metadata()
    attachment = upload(stub, sent, "doc.pdf", "application/pdf")
    assert download(stub, attachment.name) == sent
    assert attachment.sha256 == sha(sent) and attachment.original_sha256 == ""
    items = {item.kind: item for item in attachment.metadata}
    assert set(items) == {"pdf-info", "pdf-xmp"}
    assert not any(item.removed for item in items.values())


def test_a_clean_photo_is_stored_as_sent(stub: pb_grpc.AttachmentServiceStub) -> None:
    sent = images.jpeg(exif_orientation=6)
    attachment = upload(stub, sent, "clean.jpg", "image/jpeg")
    assert download(stub, attachment.name) == sent
    assert attachment.sha256 == sha(sent) and attachment.original_sha256 == ""
    assert list(attachment.metadata) == []


def test_a_profile_without_strip_metadata_stores_the_bytes_as_sent(
    stub: pb_grpc.AttachmentServiceStub,
) -> None:
    sent = images.jpeg_phone()
    attachment = upload(stub, sent, "a.jpg", "image/jpeg", profile="keep-metadata")
    assert download(stub, attachment.name) == sent
    assert attachment.sha256 == sha(sent) and attachment.original_sha256 == ""
    assert list(attachment.metadata) == []
    profiles = {p.name: p for p in stub.ListProfiles(pb.ListProfilesRequest()).profiles}
    assert profiles["web-messaging"].strip_metadata
    assert not profiles["keep-metadata"].strip_metadata
