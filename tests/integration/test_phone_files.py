"""Files phones and desktop tools really write, which intake used to refuse: MP3s with big ID3
tags, Windows-1252 CSVs, Motion Photos and Samsung trailers, empty WAVs (refused right)."""

from __future__ import annotations

import grpc

from mediagate.v1 import attachment_service_pb2_grpc as pb_grpc
from tests.samples import audio
from tests.support.calls import download, rejected, upload


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
