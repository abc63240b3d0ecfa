"""Voice messages against a live server: measured durations, renditions, waveforms, transcripts."""

from __future__ import annotations

import functools
import hashlib
import io
from collections.abc import Iterator
from pathlib import Path

import av
import grpc
import pytest

from mediagate.client import error_details, upload_requests
from mediagate.v1 import attachment_service_pb2 as pb
from mediagate.v1 import attachment_service_pb2_grpc as pb_grpc
from mediagate.v1 import preview_pb2, voice_pb2
from tests.samples import damage, images, voice
from tests.support.calls import download, upload
from tests.support.server_process import ServerProcess

FORMATS = {
    "mp3": ("note.mp3", "audio/mpeg"),
    "wav": ("note.wav", "audio/wav"),
    "ogg_opus": ("note.ogg", "audio/ogg"),
    "ogg_vorbis": ("vorbis.ogg", "audio/ogg"),
    "webm_opus": ("note.webm", "audio/webm"),
    "m4a_aac": ("note.m4a", "audio/mp4"),
}


@functools.cache
def speech(fmt: str, seconds: float) -> bytes:
    return voice.speech(fmt, seconds)


def voice_requests(
    data: bytes,
    file_name: str,
    mime: str = "",
    transcript: str = "",
    language: str = "",
    **fields: object,
) -> Iterator[pb.UploadVoiceMessageRequest]:
    upload_header = pb.UploadHeader(
        file_name=file_name,
        declared_mime_type=mime,
        declared_size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        **fields,  # type: ignore[arg-type]
    )
    for request in upload_requests(io.BytesIO(data), upload_header):
        if request.WhichOneof("content") == "header":
            yield pb.UploadVoiceMessageRequest(
                header=pb.VoiceMessageHeader(
                    upload=request.header, transcript=transcript, transcript_language=language
                )
            )
        else:
            yield pb.UploadVoiceMessageRequest(chunk=request.chunk)


def send(
    stub: pb_grpc.AttachmentServiceStub,
    data: bytes,
    file_name: str,
    mime: str = "",
    **kwargs: object,
) -> voice_pb2.VoiceMessage:
    return stub.UploadVoiceMessage(voice_requests(data, file_name, mime, **kwargs), timeout=120)  # type: ignore[arg-type]


def refused(
    stub: pb_grpc.AttachmentServiceStub, data: bytes, file_name: str, **kwargs: object
) -> tuple[str, dict[str, str]]:
    with pytest.raises(grpc.RpcError) as error:
        send(stub, data, file_name, **kwargs)  # type: ignore[arg-type]
    assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    first = error_details(error.value)[0]
    return first.reason, first.metadata


def decoded_seconds(data: bytes) -> float:
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.audio[0]
        samples_seen = sum(frame.samples for frame in container.decode(stream))
        return samples_seen / stream.rate


def seconds(message: voice_pb2.VoiceMessage) -> float:
    return message.duration.ToTimedelta().total_seconds()


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format_measured_rendered_and_described(
    stub: pb_grpc.AttachmentServiceStub, fmt: str
) -> None:
    name, mime = FORMATS[fmt]
    data = speech(fmt, 5.0)
    message = send(stub, data, name, mime)
    assert message.attachment.detected_mime_type == mime
    assert abs(seconds(message) - 5.0) <= 0.1, seconds(message)
    assert message.sample_rate_hz > 0 and message.channels >= 1 and message.codec
    assert len(message.waveform) == 64
    assert all(0.0 <= p <= 1.0 for p in message.waveform)
    assert max(message.waveform) - min(message.waveform) > 0.2  # speech is not flat
    assert message.transcript.source == voice_pb2.TRANSCRIPT_SOURCE_PLACEHOLDER
    assert message.transcript.text == "Voice message, 0:05"
    (rendition,) = message.renditions
    assert (rendition.mime_type, rendition.codec, rendition.channels) == ("audio/mp4", "aac", 1)
    played = download(stub, rendition.name)
    assert hashlib.sha256(played).hexdigest() == rendition.sha256
    assert abs(decoded_seconds(played) - decoded_seconds(data)) <= 0.05
    with av.open(io.BytesIO(played)) as container:
        assert container.streams.audio[0].codec_context.channels == 1
    assert stub.GetVoiceMessage(pb.GetVoiceMessageRequest(name=message.attachment.name)) == message


def test_the_callers_transcript_wins(stub: pb_grpc.AttachmentServiceStub) -> None:
    message = send(
        stub, speech("ogg_opus", 3.0), "n.ogg", transcript="Hello, my order is late.", language="en"
    )
    assert (message.transcript.text, message.transcript.language, message.transcript.source) == (
        "Hello, my order is late.",
        "en",
        voice_pb2.TRANSCRIPT_SOURCE_CALLER,
    )


def test_an_oversized_caller_transcript_is_a_header_error(
    server: ServerProcess, stub: pb_grpc.AttachmentServiceStub
) -> None:
    with pytest.raises(grpc.RpcError) as error:
        send(stub, speech("ogg_opus", 2.0), "n.ogg", transcript="x" * (64 * 1024 + 1))
    assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    detail = error_details(error.value)[0]
    assert (detail.reason, detail.metadata) == ("INVALID_HEADER", {"field": "transcript"})
    assert not list((server.data_dir / "staging").iterdir())


def test_durations_against_the_limit(stub: pb_grpc.AttachmentServiceStub) -> None:
    ok = send(stub, speech("ogg_opus", 59.0), "59.ogg")
    assert abs(seconds(ok) - 59.0) <= 0.1
    reason, metadata = refused(stub, speech("ogg_opus", 61.0), "61.ogg")
    assert reason == "TOO_LONG"
    assert metadata["limit"] == "60" and abs(float(metadata["actual"]) - 61.0) <= 0.1


def test_headers_that_lie_are_judged_by_the_stream(stub: pb_grpc.AttachmentServiceStub) -> None:
    webm = send(stub, voice.webm_opus_without_duration(5.0), "rec.webm")
    assert abs(seconds(webm) - 5.0) <= 0.1
    vbr = send(stub, voice.mp3_vbr_without_xing(30.0), "vbr.mp3")
    assert abs(seconds(vbr) - 30.0) <= 0.1
    reason, metadata = refused(stub, voice.mp3_with_lying_xing(5.0, 75.0), "lie.mp3")
    assert reason == "TOO_LONG" and abs(float(metadata["actual"]) - 75.0) <= 0.1
    # A WAV claiming more than it holds was cut short (as the corpus expects of vbri.mp3)...
    reason, metadata = refused(stub, voice.wav_with_lying_header(5.0, 40.0), "cut.wav")
    assert reason == "TRUNCATED" and abs(float(metadata["actual"]) - 5.0) <= 0.1
    # ...and one claiming less than it holds cannot slip past the duration limit.
    reason, metadata = refused(stub, voice.wav_with_lying_header(70.0, 2.0), "long.wav")
    assert reason == "TOO_LONG" and abs(float(metadata["actual"]) - 70.0) <= 0.1


def test_empty_silent_and_broken_recordings(stub: pb_grpc.AttachmentServiceStub) -> None:
    assert refused(stub, b"", "nothing.webm")[0] == "EMPTY"
    reason, metadata = refused(stub, voice.silence("ogg_opus", 3.0), "quiet.ogg")
    assert reason == "EMPTY" and float(metadata["limit"]) == -50
    truncated = damage.truncate(speech("mp3", 5.0), 0.02)
    assert refused(stub, truncated, "cut.mp3")[0] in {"TRUNCATED", "CORRUPT"}
    assert refused(stub, images.jpeg(), "photo.jpg")[0] == "UNSUPPORTED_TYPE"


def test_a_recording_is_rendered_once_and_deleted_with_its_rendition(
    server: ServerProcess, stub: pb_grpc.AttachmentServiceStub
) -> None:
    data = speech("m4a_aac", 4.0)
    first = send(stub, data, "a.m4a", conversation_id="c1")
    second = send(stub, data, "b.m4a", conversation_id="c2")
    assert first.attachment.name != second.attachment.name
    assert first.renditions[0].sha256 == second.renditions[0].sha256
    assert first.renditions[0].name != second.renditions[0].name
    digest = hashlib.sha256(data).hexdigest()[:16]
    assert sum(f"voice processed sha256={digest}" in line for line in list(server.log)) == 1
    stub.DeleteAttachment(pb.DeleteAttachmentRequest(name=first.attachment.name))
    with pytest.raises(grpc.RpcError) as gone:
        stub.GetAttachment(pb.GetAttachmentRequest(name=first.renditions[0].name))
    assert gone.value.code() == grpc.StatusCode.NOT_FOUND
    assert download(stub, second.renditions[0].name)  # the other message keeps its own


def test_voice_previews_and_plain_attachments(stub: pb_grpc.AttachmentServiceStub) -> None:
    message = send(stub, speech("webm_opus", 3.0), "w.webm")
    shot = stub.GetPreview(
        pb.GetPreviewRequest(
            name=message.attachment.name, spec=preview_pb2.PreviewSpec(max_width=256, max_height=64)
        ),
        timeout=60,
    )
    assert shot.mime_type == "image/webp" and shot.width <= 256 and shot.height <= 64
    plain = upload(stub, images.jpeg(), "p.jpg")
    with pytest.raises(grpc.RpcError) as error:
        stub.GetVoiceMessage(pb.GetVoiceMessageRequest(name=plain.name))
    assert error.value.code() == grpc.StatusCode.NOT_FOUND
    assert error_details(error.value)[0].reason == "NOT_A_VOICE_MESSAGE"


@pytest.mark.parametrize(("fail", "source"), [(False, "ENGINE"), (True, "PLACEHOLDER")])
def test_a_speech_to_text_engine_by_setting(tmp_path: Path, fail: bool, source: str) -> None:
    engine = Path(__file__).parent.parent / "support" / "stt_engine.py"
    env = {"MEDIAGATE_STT_ENGINE": f"command:{engine}"}
    if fail:
        env["FAKE_STT_FAIL"] = "1"
    with ServerProcess(tmp_path / "data", env) as server:
        message = send(server.stub(), speech("ogg_opus", 2.0), "n.ogg", language="fr")
    assert message.transcript.source == voice_pb2.TranscriptSource.Value(
        f"TRANSCRIPT_SOURCE_{source}"
    )
    if source == "ENGINE":
        assert message.transcript.text.startswith("heard ") and "in fr" in message.transcript.text
        assert message.transcript.engine == "command:stt_engine.py"
    else:
        assert message.transcript.text == "Voice message, 0:02"


def test_an_idempotency_key_names_one_kind_of_request(stub: pb_grpc.AttachmentServiceStub) -> None:
    recording = speech("wav", 2.0)
    plain = upload(stub, images.jpeg(12, 12), "key.jpg", idempotency_key="kind-plain")
    with pytest.raises(grpc.RpcError) as error:
        send(stub, recording, "key.wav", idempotency_key="kind-plain")
    assert error.value.code() == grpc.StatusCode.ALREADY_EXISTS
    info = error_details(error.value)[0]
    assert info.reason == "IDEMPOTENCY_KEY_REUSED"
    assert dict(info.metadata) == {"idempotency_key": "kind-plain", "name": plain.name}
    assert "NotAVoiceMessage" not in (error.value.details() or "")

    voice = send(stub, recording, "key.wav", idempotency_key="kind-voice")
    assert send(stub, recording, "again.wav", idempotency_key="kind-voice") == voice
    with pytest.raises(grpc.RpcError) as error:
        upload(stub, images.jpeg(12, 12), "key.jpg", idempotency_key="kind-voice")
    assert error.value.code() == grpc.StatusCode.ALREADY_EXISTS
    assert error_details(error.value)[0].metadata["name"] == voice.attachment.name
