"""Files phones and desktop tools really write, which intake used to refuse: MP3s with big ID3
tags, Windows-1252 CSVs, Motion Photos and Samsung trailers, empty WAVs (refused right)."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable

import grpc
import pytest
from PIL import Image

from mediagate.v1 import attachment_service_pb2_grpc as pb_grpc
from tests.samples import audio, executables, phones, texts
from tests.support.calls import download, rejected, upload, validate


def test_an_mp3_with_a_tag_bigger_than_the_head_is_kept(
    stub: pb_grpc.AttachmentServiceStub,
) -> None:
    data = audio.mp3_with_big_id3(3.0, cover_bytes=1_500_000, padding=300_000)
    attachment = upload(stub, data, "song.mp3", "audio/mpeg", profile="voice")
    assert attachment.detected_mime_type == "audio/mpeg"
    assert attachment.WhichOneof("media") == "audio"
    assert abs(attachment.audio.duration.ToTimedelta().total_seconds() - 3.0) < 0.1
    assert download(stub, attachment.name) == data


def test_an_mp3_whose_tag_runs_past_the_end_is_truncated(
    stub: pb_grpc.AttachmentServiceStub,
) -> None:
    data = audio.mp3_with_big_id3(3.0)[:1_200_000]
    code, reasons, _ = rejected(stub, data, "cut.mp3", "audio/mpeg", profile="voice")
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert reasons == ["TRUNCATED"]


@pytest.mark.parametrize(
    ("encoding", "charset"),
    [("cp1252", "windows-1252"), ("latin-1", "iso-8859-1"), ("utf-16", "utf-16-le")],
)
def test_a_csv_from_excel_on_windows_is_kept_with_its_charset(
    stub: pb_grpc.AttachmentServiceStub, encoding: str, charset: str
) -> None:
    rows = "Café;Größe;naïve\n" if encoding == "latin-1" else texts.EXCEL_ROWS
    data = texts.csv_in(encoding, rows=rows)
    attachment = upload(stub, data, "Mappe1.csv", "text/csv")
    assert attachment.detected_mime_type in ("text/plain", "text/csv")
    assert attachment.WhichOneof("media") == "text"
    assert attachment.text.charset == charset
    assert download(stub, attachment.name) == data
    verdict = validate(stub, data, "Mappe1.csv", "text/csv")
    assert verdict.accepted and verdict.text.charset == charset


def test_binary_data_in_a_text_file_is_refused_with_a_clear_message(
    stub: pb_grpc.AttachmentServiceStub,
) -> None:
    code, reasons, error = rejected(stub, texts.text_with_binary(), "notes.txt", "text/plain")
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert reasons == ["CORRUPT"]
    assert "Binary data in a text file" in error.details()


@pytest.mark.parametrize(
    "make", [phones.motion_photo, phones.samsung_jpeg], ids=["motion-photo", "samsung-trailer"]
)
def test_a_phone_photo_with_an_announced_trailer_is_kept(
    stub: pb_grpc.AttachmentServiceStub, make: Callable[[], bytes]
) -> None:
    data = make()
    kind = "motion-photo" if make is phones.motion_photo else "samsung-trailer"
    # Where metadata is kept, the photo is stored as sent, trailer and all.
    kept = upload(stub, data, "PXL_20240101.MP.jpg", "image/jpeg", profile="keep-metadata")
    assert kept.detected_mime_type == "image/jpeg"
    assert (kept.image.width, kept.image.height) == (320, 240)
    assert download(stub, kept.name) == data
    # web-messaging strips metadata: the trailer goes, the photo stays byte for byte.
    attachment = upload(stub, data, "PXL_20240101.MP.jpg", "image/jpeg")
    stored = download(stub, attachment.name)
    assert stored.endswith(b"\xff\xd9") and len(stored) < len(data)
    assert b"ftyp" not in stored and b"SEFT" not in stored  # the trailer went
    with Image.open(io.BytesIO(stored)) as after, Image.open(io.BytesIO(data)) as before:
        assert after.tobytes() == before.tobytes()  # the photo itself did not change
    assert attachment.original_sha256 == hashlib.sha256(data).hexdigest()
    assert attachment.sha256 == hashlib.sha256(stored).hexdigest()
    removed = {m.kind for m in attachment.metadata if m.removed}
    assert kind in removed


def test_a_motion_photo_whose_video_hides_a_program_is_a_polyglot(
    stub: pb_grpc.AttachmentServiceStub,
) -> None:
    data = phones.motion_photo(executables.elf_executable())
    _, reasons, _ = rejected(stub, data, "PXL_20240101.MP.jpg", "image/jpeg")
    assert reasons == ["POLYGLOT"]


def test_an_empty_wav_is_empty_not_truncated(stub: pb_grpc.AttachmentServiceStub) -> None:
    code, reasons, error = rejected(
        stub, audio.wav_empty(), "note.wav", "audio/wav", profile="voice"
    )
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert reasons == ["EMPTY"]
    assert "no audio samples" in error.details()
