"""Every accepted kind of file goes in, comes back byte for byte, and is described right."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pytest

from mediagate.media.mime import DOCX, PPTX, XLSX
from mediagate.v1 import attachment_service_pb2 as pb
from mediagate.v1 import attachment_service_pb2_grpc as pb_grpc
from tests.samples import audio, images, office, pdfs, texts
from tests.support.calls import download, upload

WEB = [
    ("photo.jpg", "image/jpeg", lambda: images.jpeg(640, 480), "image"),
    ("shot.png", "image/png", lambda: images.png(300, 200, mode="RGBA"), "image"),
    ("wave.gif", "image/gif", lambda: images.gif_animated(frames=3), "image"),
    ("pic.webp", "image/webp", lambda: images.webp(120, 80), "image"),
    ("doc.pdf", "application/pdf", lambda: pdfs.pdf(pages=3), "document"),
    ("notes.txt", "text/plain", lambda: texts.text(lines=50), "text"),
    ("table.csv", "text/csv", lambda: texts.csv(rows=50), "text"),
    ("letter.docx", DOCX, office.docx, "document"),
    ("sheet.xlsx", XLSX, office.xlsx, "document"),
    ("slides.pptx", PPTX, office.pptx, "document"),
]

VOICE = [
    ("note.mp3", "audio/mpeg", lambda: audio.mp3(3.0)),
    ("note.wav", "audio/wav", lambda: audio.wav(3.0)),
    ("note.ogg", "audio/ogg", lambda: audio.ogg_opus(3.0)),
    ("vorbis.ogg", "audio/ogg", lambda: audio.ogg_vorbis(3.0)),
    ("note.webm", "audio/webm", lambda: audio.webm_opus(3.0)),
    ("note.m4a", "audio/mp4", lambda: audio.m4a_aac(3.0)),
]


@pytest.mark.parametrize(("name", "mime", "make", "media"), WEB, ids=[w[0] for w in WEB])
def test_web_messaging_round_trip(
    stub: pb_grpc.AttachmentServiceStub,
    name: str,
    mime: str,
    make: Callable[[], bytes],
    media: str | None,
) -> None:
    data = make()
    attachment = upload(stub, data, name, mime, conversation_id="conv-rt", labels={"k": "v"})
    assert attachment.detected_mime_type == mime
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert attachment.size_bytes == len(data)
    assert attachment.profile == "web-messaging"
    assert attachment.WhichOneof("media") == media
    assert attachment.expire_time.seconds - attachment.create_time.seconds == 30 * 86400
    assert download(stub, attachment.name) == data
    fetched = stub.GetAttachment(pb.GetAttachmentRequest(name=attachment.name))
    assert fetched == attachment


def test_image_facts(stub: pb_grpc.AttachmentServiceStub) -> None:
    a = upload(stub, images.png(300, 200, mode="RGBA"), "a.png", "image/png")
    assert (a.image.width, a.image.height, a.image.frame_count, a.image.has_alpha) == (
        300,
        200,
        1,
        True,
    )
    g = upload(stub, images.gif_animated(frames=3), "g.gif", "image/gif")
    assert g.image.frame_count == 3
    j = upload(stub, images.jpeg(64, 48, exif_orientation=6), "j.jpg", "image/jpeg")
    assert j.image.exif_orientation == 6 and not j.image.has_alpha
    d = upload(stub, pdfs.pdf(pages=3), "d.pdf", "application/pdf")
    assert d.document.page_count == 3


@pytest.mark.parametrize(("name", "mime", "make"), VOICE, ids=[v[0] for v in VOICE])
def test_voice_round_trip(
    stub: pb_grpc.AttachmentServiceStub, name: str, mime: str, make: Callable[[], bytes]
) -> None:
    data = make()
    attachment = upload(stub, data, name, mime, profile="voice")
    assert attachment.detected_mime_type == mime
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    seconds = attachment.audio.duration.ToTimedelta().total_seconds()
    assert abs(seconds - 3.0) < 0.1, seconds
    assert attachment.audio.sample_rate_hz > 0 and attachment.audio.channels >= 1
    assert download(stub, attachment.name) == data
