"""HEIC and AVIF photos against a live server: detected, described from the container, kept
with a JPEG display rendition (an attachment of its own, listed on the original), previewed,
and deleted together."""

from __future__ import annotations

import hashlib
import io

import grpc
import pytest
from PIL import Image

from mediagate.client import error_details
from mediagate.v1 import attachment_pb2 as apb
from mediagate.v1 import attachment_service_pb2 as pb
from mediagate.v1 import attachment_service_pb2_grpc as pb_grpc
from mediagate.v1 import preview_pb2
from tests.samples import images
from tests.support.calls import download, rejected, upload
from tests.support.server_process import ServerProcess

RED = (200, 30, 30)
# (writer format, file name, type, ImageInfo as (width, height, exif_orientation)). Both are
# 640x480 with EXIF Orientation 6, which the writers turn into irot; libheif applies it (HEIC
# is described as displayed), Pillow's AVIF reports it (as a JPEG's would be).
PHOTOS = [
    ("HEIF", "IMG_0001.HEIC", "image/heic", (480, 640, 1)),
    ("AVIF", "photo.avif", "image/avif", (640, 480, 6)),
]


def _get(stub: pb_grpc.AttachmentServiceStub, name: str) -> apb.Attachment:
    return stub.GetAttachment(pb.GetAttachmentRequest(name=name), timeout=30)


def _not_found(stub: pb_grpc.AttachmentServiceStub, name: str) -> bool:
    with pytest.raises(grpc.RpcError) as error:
        _get(stub, name)
    return error.value.code() is grpc.StatusCode.NOT_FOUND


def _close(actual: tuple[int, ...], expected: tuple[int, ...], tolerance: int = 40) -> bool:
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=True))


@pytest.mark.parametrize(("fmt", "file_name", "mime", "info"), PHOTOS, ids=["heic", "avif"])
def test_a_photo_is_kept_with_a_display_jpeg(
    server: ServerProcess,
    stub: pb_grpc.AttachmentServiceStub,
    fmt: str,
    file_name: str,
    mime: str,
    info: tuple[int, int, int],
) -> None:
    data = images.heif_photo(fmt, 640, 480, exif_orientation=6, gps=True, quality=90)
    photo = upload(stub, data, file_name, mime, conversation_id="conv-heif", labels={"k": "v"})
    assert photo.detected_mime_type == mime
    assert photo.sha256 == hashlib.sha256(data).hexdigest()
    image = photo.image
    assert (image.width, image.height, image.exif_orientation) == info
    assert (image.frame_count, image.has_alpha) == (1, False)
    assert download(stub, photo.name) == data

    # The display rendition: listed on the original, an attachment of its own.
    assert len(photo.renditions) == 1
    ref = photo.renditions[0]
    assert (ref.purpose, ref.mime_type) == ("display", "image/jpeg")
    jpeg = _get(stub, ref.attachment)
    assert jpeg.detected_mime_type == "image/jpeg"
    assert jpeg.size_bytes == ref.size_bytes
    assert (jpeg.conversation_id, jpeg.profile) == ("conv-heif", "web-messaging")
    assert jpeg.labels == {"k": "v", "mediagate.rendition-of": photo.name}
    assert jpeg.expire_time == photo.expire_time
    assert (jpeg.image.width, jpeg.image.height) == (480, 640)
    assert _get(stub, photo.name) == photo  # the listing is stored, not only answered

    # A real JPEG: upright (the marker, top-left as stored, is top-right once turned),
    # the original's size as displayed, no EXIF (so no GPS), no XMP.
    content = download(stub, ref.attachment)
    assert len(content) == ref.size_bytes
    assert hashlib.sha256(content).hexdigest() == jpeg.sha256
    shown = Image.open(io.BytesIO(content))
    assert shown.format == "JPEG" and shown.mode == "RGB"
    assert shown.size == (480, 640)
    assert "exif" not in shown.info and "xmp" not in shown.info and not shown.getexif()
    assert b"Exif\0\0" not in content and b"adobe:ns:meta" not in content
    rgb = shown.convert("RGB")
    assert _close(rgb.getpixel((470, 10)), images.MARKER)  # type: ignore[arg-type]
    assert _close(rgb.getpixel((10, 10)), RED)  # type: ignore[arg-type]

    # The eager preview of the original, and GetPreview's answer: upright, as any image.
    server.wait_for_log(rf"preview rendered sha256={photo.sha256[:16]} key=preview-300x300")
    preview = stub.GetPreview(
        pb.GetPreviewRequest(name=photo.name, spec=preview_pb2.PreviewSpec()), timeout=60
    )
    assert (preview.width, preview.height) == (225, 300)
    assert (preview.source.width, preview.source.height) == (480, 640)
    thumb = Image.open(io.BytesIO(preview.content)).convert("RGB")
    assert _close(thumb.getpixel((220, 4)), images.MARKER)  # type: ignore[arg-type]

    # Deleting the original deletes its rendition.
    stub.DeleteAttachment(pb.DeleteAttachmentRequest(name=photo.name), timeout=30)
    assert _not_found(stub, photo.name)
    assert _not_found(stub, ref.attachment)


def test_a_repeated_upload_returns_the_first_with_its_rendition(
    stub: pb_grpc.AttachmentServiceStub,
) -> None:
    data = images.heic(width=320, height=240)
    first = upload(stub, data, "burst.heic", conversation_id="conv-heif-k", idempotency_key="h1")
    again = upload(stub, data, "burst.heic", conversation_id="conv-heif-k", idempotency_key="h1")
    assert again == first and len(first.renditions) == 1
    listed = stub.ListAttachments(
        pb.ListAttachmentsRequest(conversation_id="conv-heif-k"), timeout=30
    ).attachments
    assert sorted(a.name for a in listed) == sorted([first.name, first.renditions[0].attachment])


def test_a_truncated_heic_is_refused_and_nothing_is_kept(
    stub: pb_grpc.AttachmentServiceStub,
) -> None:
    data = images.heic(width=640, height=480)
    code, reasons, _ = rejected(stub, data[: len(data) * 3 // 4], "cut.heic", "image/heic")
    assert code is grpc.StatusCode.INVALID_ARGUMENT
    assert reasons == ["TRUNCATED"]


def test_a_heic_whose_pixels_do_not_decode_is_refused_as_corrupt(
    stub: pb_grpc.AttachmentServiceStub,
) -> None:
    data = bytearray(images.heic(width=640, height=480))
    mdat = data.index(b"mdat")
    data[mdat + 4 : mdat + 200] = b"\x11" * 196  # the HEVC stream, not the container
    code, reasons, error = rejected(stub, bytes(data), "bad.heic", "image/heic")
    assert code is grpc.StatusCode.INVALID_ARGUMENT
    # Found by the decode that makes the display rendition: the probe reads the container only.
    assert reasons == ["CORRUPT"], error_details(error)
    assert "cannot be decoded" in error.details()
