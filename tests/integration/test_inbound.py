"""Guests' media from Genesys Cloud end to end: a real server (its event worker on the fake's
notifications websocket, its webhook on the media endpoint, its fetcher on the fake's media
URLs) against the local Genesys Cloud fake (tests/fakes/genesys).

Waiting is on the fake's own records (subscriptions, attribute writes, media GETs) or on the
server's answers; nothing sleeps to synchronise.
"""

from __future__ import annotations

import hashlib
import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest

from mediagate.client import error_details
from mediagate.v1 import attachment_service_pb2 as pb
from mediagate.v1 import attachment_service_pb2_grpc as pb_grpc
from mediagate.v1 import imports_pb2 as ipb
from tests.fakes.genesys import FakeConversation, FakeGenesysThread
from tests.fakes.genesys.state import MediaItem
from tests.integration.test_deliveries import genesys_env
from tests.integration.test_observability import scrape, value
from tests.samples import executables, images, pdfs, voice
from tests.support.server_process import ServerProcess
from tests.support.waiting import eventually

TOPIC = "v2.routing.queues.inbound-test-queue.conversations.messages"
SECRET = "webhook-s3cret"
OLD_SECRET = "webhook-old-secret"
WEBHOOK = "/v1/genesys/open-messaging/webhook"
STATE = ipb.ImportState
PREFIX = "mediagate."


def inbound_env(fake: FakeGenesysThread, **extra: str) -> dict[str, str]:
    settings = {
        "MEDIAGATE_GENESYS_EVENTS": "true",
        "MEDIAGATE_GENESYS_EVENT_TOPICS": TOPIC,
        "MEDIAGATE_GENESYS_EVENT_SILENCE_SECONDS": "5",
        "MEDIAGATE_GENESYS_WEBHOOK_SECRETS": f"{SECRET},{OLD_SECRET}",
        # The fake serves media on loopback over http: allowed for this host and network only.
        "MEDIAGATE_IMPORT_ALLOWED_HOSTS": "127.0.0.1",
        "MEDIAGATE_IMPORT_ALLOW_HTTP": "true",
        "MEDIAGATE_IMPORT_ALLOWED_NETWORKS": "127.0.0.1/32",
        "MEDIAGATE_IMPORT_READ_TIMEOUT_SECONDS": "3",
        "MEDIAGATE_INBOX_RETRY_SECONDS": "0.2",
    }
    return genesys_env(fake, **{**settings, **extra})


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeGenesysThread]:
    with FakeGenesysThread() as running:
        running.heartbeat_every(1.0)
        yield running


@pytest.fixture(scope="module")
def server(
    fake: FakeGenesysThread, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    root = tmp_path_factory.mktemp("inbound")
    with ServerProcess(root / "data", inbound_env(fake)) as process:
        fake.wait_subscribed(TOPIC, within=60)
        yield process


@pytest.fixture
def stub(server: ServerProcess) -> pb_grpc.AttachmentServiceStub:
    return server.stub()


def items_of(fake: FakeGenesysThread, conv: FakeConversation) -> dict[str, dict[str, str]]:
    """The per-item outcomes the server wrote to the guest's attributes, by media id."""
    written = fake.attributes(conv.id, conv.customer_participant_id)
    return {i["media"]: i for i in json.loads(written.get(PREFIX + "items", "[]"))}


def wait_items(
    fake: FakeGenesysThread, conv: FakeConversation, n: int
) -> dict[str, dict[str, str]]:
    eventually(lambda: len(items_of(fake, conv)) >= n, within=90)
    return items_of(fake, conv)


def imports_of(stub: pb_grpc.AttachmentServiceStub, conversation_id: str) -> list[ipb.Import]:
    page = stub.ListImports(ipb.ListImportsRequest(conversation_id=conversation_id, page_size=1000))
    return list(page.imports)


def http(
    url: str, body: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str]]:
    """A GET (or a POST of body): the status and headers, whatever the status."""
    request = urllib.request.Request(url, data=body, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            answer.read()
            return answer.status, dict(answer.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def emit(fake: FakeGenesysThread, conv: FakeConversation, *items: MediaItem) -> str:
    fake.wait_subscribed(TOPIC, within=60)
    return fake.emit_inbound_media(conv, list(items), topic=TOPIC)


def test_an_image_a_pdf_and_a_voice_note_become_attachments_with_previews_and_attributes(
    fake: FakeGenesysThread, stub: pb_grpc.AttachmentServiceStub
) -> None:
    conv = fake.add_conversation()
    photo = fake.host_media(images.jpeg(640, 480), "image/jpeg", "photo.jpg")
    doc = fake.host_media(pdfs.pdf(), "application/pdf", "invoice.pdf")
    note = fake.host_media(voice.speech("mp3", 2.0), "audio/mpeg", "voice.mp3")
    emit(fake, conv, photo, doc, note)

    outcomes = wait_items(fake, conv, 3)
    assert {m: o["verdict"] for m, o in outcomes.items()} == {
        photo.id: "accepted",
        doc.id: "accepted",
        note.id: "accepted",
    }
    written = fake.attributes(conv.id, conv.customer_participant_id)
    listed = json.loads(written[PREFIX + "attachments"])
    assert sorted(listed) == sorted(o["attachment"] for o in outcomes.values())
    for item in (photo, doc, note):
        attachment = stub.GetAttachment(
            pb.GetAttachmentRequest(name=outcomes[item.id]["attachment"])
        )
        assert attachment.sha256 == item.sha256
        assert attachment.conversation_id == conv.id
    # The voice note went through voice processing.
    voice_message = stub.GetVoiceMessage(
        pb.GetVoiceMessageRequest(name=outcomes[note.id]["attachment"])
    )
    assert voice_message.duration.seconds >= 1
    # The latest item's preview is a working signed URL (every item here has one).
    status, headers = http(written[PREFIX + "preview"])
    assert status == 200 and headers["Content-Type"].startswith("image/")
    assert written[PREFIX + "reason"] == ""

    listed_imports = imports_of(stub, conv.id)
    assert len(listed_imports) == 3
    for record in listed_imports:
        assert record.state == STATE.IMPORT_STATE_ACCEPTED
        assert record.source == ipb.IMPORT_SOURCE_CONVERSATION_EVENT
        assert record.participant_id == conv.customer_participant_id
        assert record.attributes_written
        assert "?" not in record.url


def test_a_hostile_file_is_rejected_and_its_reason_written_back(
    fake: FakeGenesysThread, stub: pb_grpc.AttachmentServiceStub
) -> None:
    conv = fake.add_conversation()
    hostile = fake.host_media(executables.elf_executable(), "image/jpeg", "cat.jpg")
    emit(fake, conv, hostile)
    outcome = wait_items(fake, conv, 1)[hostile.id]
    assert outcome == {
        "media": hostile.id,
        "verdict": "rejected",
        "reason": "EXECUTABLE",
        "attachment": "",
    }
    written = fake.attributes(conv.id, conv.customer_participant_id)
    assert written[PREFIX + "verdict"] == "rejected"
    assert written[PREFIX + "reason"] == "EXECUTABLE"
    assert json.loads(written[PREFIX + "attachments"]) == []
    (record,) = imports_of(stub, conv.id)
    assert record.state == STATE.IMPORT_STATE_REJECTED and record.reason == "EXECUTABLE"
    listing = stub.ListAttachments(pb.ListAttachmentsRequest(conversation_id=conv.id))
    assert list(listing.attachments) == []


def test_duplicate_events_import_an_item_once(
    fake: FakeGenesysThread, stub: pb_grpc.AttachmentServiceStub
) -> None:
    conv = fake.add_conversation()
    photo = fake.host_media(images.png(64, 64), "image/png", "a.png")
    fake.duplicate_next_event()
    emit(fake, conv, photo)
    wait_items(fake, conv, 1)
    # The same item announced again (a later event of the conversation carries it too).
    emit(fake, conv, photo)
    second = fake.host_media(images.png(32, 32), "image/png", "b.png")
    emit(fake, conv, second)
    wait_items(fake, conv, 2)
    assert fake.media_gets(photo.id) == 1
    assert len(imports_of(stub, conv.id)) == 2


@pytest.mark.parametrize(
    "behaviour", ["status_429_then_ok", "status_500_then_ok", "redirect", "no_length"]
)
def test_a_misbehaving_media_url_is_retried_or_followed(
    fake: FakeGenesysThread, stub: pb_grpc.AttachmentServiceStub, behaviour: str
) -> None:
    conv = fake.add_conversation()
    photo = fake.host_media(images.png(48, 48), "image/png", "p.png", behaviour)
    emit(fake, conv, photo)
    assert wait_items(fake, conv, 1)[photo.id]["verdict"] == "accepted"
    assert fake.media_gets(photo.id) == 2 if behaviour != "no_length" else 1


def test_a_media_url_that_lies_about_its_length_fails_and_says_so(
    fake: FakeGenesysThread, stub: pb_grpc.AttachmentServiceStub
) -> None:
    conv = fake.add_conversation()
    photo = fake.host_media(images.png(48, 48), "image/png", "p.png", "lying_length")
    emit(fake, conv, photo)
    outcome = wait_items(fake, conv, 1)[photo.id]
    assert (outcome["verdict"], outcome["reason"]) == ("failed", "FETCH_FAILED")
    (record,) = imports_of(stub, conv.id)
    assert record.state == STATE.IMPORT_STATE_FAILED
    assert record.attempts == 5  # MEDIAGATE_INBOX_MAX_ATTEMPTS: retried, then recorded


def test_a_socket_closed_mid_burst_loses_nothing_and_repeats_nothing(
    fake: FakeGenesysThread, stub: pb_grpc.AttachmentServiceStub
) -> None:
    conv = fake.add_conversation()
    first = [fake.host_media(images.png(16 + i, 16), "image/png", f"f{i}.png") for i in range(5)]
    later = [fake.host_media(images.png(16 + i, 20), "image/png", f"l{i}.png") for i in range(5)]
    for item in first:
        emit(fake, conv, item)
    fake.close_sockets_abruptly()
    # The worker notices, connects again and re-subscribes; events go on.
    for item in later:
        emit(fake, conv, item)
    outcomes = wait_items(fake, conv, 10)
    assert all(o["verdict"] == "accepted" for o in outcomes.values())
    assert all(fake.media_gets(item.id) == 1 for item in first + later)
    assert len({o["attachment"] for o in outcomes.values()}) == 10


def test_a_silent_socket_is_treated_as_dead_and_replaced(
    fake: FakeGenesysThread, stub: pb_grpc.AttachmentServiceStub
) -> None:
    sockets = fake.count("channel_socket")
    fake.heartbeat_every(3600.0)  # the socket stays open but says nothing
    try:
        # MEDIAGATE_GENESYS_EVENT_SILENCE_SECONDS=5: the worker gives up on it and reconnects.
        eventually(lambda: fake.count("channel_socket") > sockets, within=30)
    finally:
        fake.heartbeat_every(1.0)
    conv = fake.add_conversation()
    item = fake.host_media(images.png(26, 26), "image/png", "after-silence.png")
    emit(fake, conv, item)
    assert wait_items(fake, conv, 1)[item.id]["verdict"] == "accepted"


def test_media_announced_while_no_socket_was_open_is_caught_up(
    fake: FakeGenesysThread, stub: pb_grpc.AttachmentServiceStub
) -> None:
    conv = fake.add_conversation()
    seen = fake.host_media(images.png(24, 24), "image/png", "seen.png")
    emit(fake, conv, seen)
    wait_items(fake, conv, 1)
    # The socket drops and the next connections are refused for a while.
    fake.fail("channel_socket", 503, times=2)
    fake.close_sockets_abruptly()
    eventually(lambda: not fake.subscribed(TOPIC))
    missed = fake.host_media(images.png(25, 25), "image/png", "missed.png")
    fake.emit_inbound_media(conv, [missed], topic=TOPIC)  # nobody listens: lost, as on the platform
    # Once connected again, the worker reads the conversation it knows and finds the item.
    outcomes = wait_items(fake, conv, 2)
    assert outcomes[missed.id]["verdict"] == "accepted"
    assert fake.media_gets(missed.id) == 1


def test_socket_closing_and_an_expired_channel_are_recovered_from(
    fake: FakeGenesysThread, stub: pb_grpc.AttachmentServiceStub
) -> None:
    conv = fake.add_conversation()
    channels, sockets = fake.count("create_channel"), fake.count("channel_socket")
    fake.send_socket_closing(grace=0.5)
    # Sent between socket_closing and the close: still read from the closing socket.
    one = fake.host_media(images.png(20, 20), "image/png", "1.png")
    fake.emit_inbound_media(conv, [one], topic=TOPIC)
    eventually(lambda: fake.count("channel_socket") > sockets)
    two = fake.host_media(images.png(22, 22), "image/png", "2.png")
    emit(fake, conv, two)
    assert set(wait_items(fake, conv, 2)) == {one.id, two.id}
    assert fake.count("create_channel") == channels  # the same channel, a new socket

    fake.expire_channels()
    eventually(lambda: fake.count("create_channel") > channels)
    three = fake.host_media(images.png(21, 21), "image/png", "3.png")
    emit(fake, conv, three)
    assert set(wait_items(fake, conv, 3)) == {one.id, two.id, three.id}


def test_a_signed_webhook_is_imported_once_however_often_it_is_redelivered(
    fake: FakeGenesysThread, server: ServerProcess, stub: pb_grpc.AttachmentServiceStub
) -> None:
    conv = fake.add_conversation()
    doc = fake.host_media(pdfs.pdf(), "application/pdf", "form.pdf")
    fake.configure_webhook(server.media_url + WEBHOOK, SECRET)
    message = fake.outbound_message(conv, [doc])
    statuses = fake.send_webhook(message, redeliveries=3)
    assert statuses == [200, 200, 200, 200]

    def imported() -> list[ipb.Import]:
        page = stub.ListImports(ipb.ListImportsRequest(page_size=1000))
        return [i for i in page.imports if i.platform_media_id == doc.id]

    eventually(lambda: any(i.state == STATE.IMPORT_STATE_ACCEPTED for i in imported()))
    (record,) = imported()
    assert record.source == ipb.IMPORT_SOURCE_OPEN_MESSAGING_WEBHOOK
    attachment = stub.GetAttachment(pb.GetAttachmentRequest(name=record.attachment))
    assert attachment.sha256 == doc.sha256
    assert fake.media_gets(doc.id) == 1
    # Counted once, by its source and outcome, however often the webhook was redelivered.
    eventually(
        lambda: (
            value(
                scrape(server),
                "mediagate_imports_total",
                source="OPEN_MESSAGING_WEBHOOK",
                outcome="ACCEPTED",
            )
            == 1
        )
    )


def test_a_secret_being_rotated_out_still_verifies(
    fake: FakeGenesysThread, server: ServerProcess
) -> None:
    conv = fake.add_conversation()
    doc = fake.host_media(images.png(10, 10), "image/png", "r.png")
    fake.configure_webhook(server.media_url + WEBHOOK, OLD_SECRET)
    assert fake.send_webhook(fake.outbound_message(conv, [doc])) == [200]


def _sign(body: bytes, secret: str) -> str:
    from mediagate.sources.webhook_signature import signature_of

    return signature_of(body, secret)


@pytest.mark.parametrize(
    ("body", "signature", "status"),
    [
        (b'{"id": "m"}', None, 401),
        (b'{"id": "m"}', "", 401),
        (b'{"id": "m"}', _sign(b'{"id": "m"}', "wrong"), 401),
        (b'{"id": "m"}', _sign(b'{"id": "other"}', SECRET), 401),
        (b'{"id": "m"}', "sha256=not-base64!", 401),
        (b"not json", _sign(b"not json", SECRET), 400),
        (b'{"id": "m", "content": []}', _sign(b'{"id": "m", "content": []}', SECRET), 200),
    ],
)
def test_webhook_signatures_are_checked(
    fake: FakeGenesysThread, server: ServerProcess, body: bytes, signature: str | None, status: int
) -> None:
    fake.configure_webhook(server.media_url + WEBHOOK, SECRET)
    assert fake.send_webhook_raw(body, signature) == status


def test_an_oversized_or_wrongly_sent_webhook_is_refused(server: ServerProcess) -> None:
    url = server.media_url + WEBHOOK
    big = b"{" + b" " * (1024 * 1024 + 10) + b"}"
    status, _ = http(url, big, {"X-Hub-Signature-256": _sign(big, SECRET)})
    assert status == 413
    assert http(url)[0] == 405


def test_import_from_url_answers_like_an_upload(
    fake: FakeGenesysThread, stub: pb_grpc.AttachmentServiceStub
) -> None:
    data = images.jpeg(320, 200)
    item = fake.host_media(data, "image/jpeg", "shot.jpg", "slow", pieces=8, delay=0.02)
    header = pb.UploadHeader(
        file_name="shot.jpg", conversation_id="conv-api", sha256=hashlib.sha256(data).hexdigest()
    )
    attachment = stub.ImportFromUrl(
        pb.ImportFromUrlRequest(url=item.url, header=header), timeout=60
    )
    assert attachment.sha256 == item.sha256 and attachment.size_bytes == len(data)
    (record,) = imports_of(stub, "conv-api")
    assert record.source == ipb.IMPORT_SOURCE_API
    assert record.attachment == attachment.name


def _refusal(
    stub: pb_grpc.AttachmentServiceStub, request: pb.ImportFromUrlRequest
) -> tuple[grpc.StatusCode, str, dict[str, str]]:
    with pytest.raises(grpc.RpcError) as caught:
        stub.ImportFromUrl(request, timeout=60)
    error = caught.value
    details = error_details(error)  # type: ignore[arg-type]
    return error.code(), details[0].reason, dict(details[0].metadata)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://169.254.169.254/latest/meta-data/", "host"),
        ("https://evil.example/file.png", "host"),
        ("ftp://127.0.0.1/file.png", "scheme"),
        ("http://user:pw@127.0.0.1/file.png", "userinfo"),
        ("http://[::1]/file.png", "host"),
        ("not a url", "scheme"),
        ("http://[::ffff:127.0.0.1]:1/x", "host"),
    ],
)
def test_import_from_url_refuses_urls_it_must_not_fetch(
    stub: pb_grpc.AttachmentServiceStub, url: str, why: str
) -> None:
    code, reason, metadata = _refusal(stub, pb.ImportFromUrlRequest(url=url))
    assert (code, reason) == (grpc.StatusCode.INVALID_ARGUMENT, "URL_NOT_ALLOWED")
    assert metadata["why"] == why


def test_import_from_url_reports_the_upstream_status_and_checks_expectations(
    fake: FakeGenesysThread, stub: pb_grpc.AttachmentServiceStub
) -> None:
    missing = fake.base_url + "/_media/no-such-media"
    code, reason, metadata = _refusal(stub, pb.ImportFromUrlRequest(url=missing))
    assert (code, reason, metadata["status"]) == (
        grpc.StatusCode.FAILED_PRECONDITION,
        "FETCH_FAILED",
        "404",
    )

    data = images.png(40, 40)
    item = fake.host_media(data, "image/png", "x.png")
    wrong_sum = pb.UploadHeader(sha256="0" * 64)
    _, reason, _ = _refusal(stub, pb.ImportFromUrlRequest(url=item.url, header=wrong_sum))
    assert reason == "CHECKSUM_MISMATCH"
    wrong_size = pb.UploadHeader(declared_size_bytes=len(data) + 1)
    _, reason, _ = _refusal(stub, pb.ImportFromUrlRequest(url=item.url, header=wrong_size))
    assert reason == "SIZE_MISMATCH"


def test_a_server_that_sends_more_than_allowed_is_cut_off_at_the_limit(
    fake: FakeGenesysThread, stub: pb_grpc.AttachmentServiceStub
) -> None:
    endless = fake.host_media(images.png(64, 64), "image/png", "big.png", "endless")
    _, reason, _ = _refusal(stub, pb.ImportFromUrlRequest(url=endless.url))
    assert reason == "TOO_LARGE"
    assert fake.media_gets(endless.id) == 1  # refused, not retried


def test_a_restart_mid_burst_loses_nothing_and_stores_nothing_twice(
    fake: FakeGenesysThread, tmp_path: Path
) -> None:
    topic = "v2.routing.queues.restart-queue.conversations.messages"
    env = inbound_env(fake, MEDIAGATE_GENESYS_EVENT_TOPICS=topic, MEDIAGATE_INBOX_WORKERS="1")
    conv = fake.add_conversation()
    burst = [
        fake.host_media(
            images.png(30 + i, 30), "image/png", f"r{i}.png", "slow", pieces=4, delay=0.1
        )
        for i in range(8)
    ]
    data_dir = tmp_path / "data"
    first = ServerProcess(data_dir, env).start()
    try:
        fake.wait_subscribed(topic, within=60)
        for item in burst:
            fake.emit_inbound_media(conv, [item], topic=topic)
        eventually(lambda: len(items_of(fake, conv)) >= 2, within=90)
    finally:
        first.kill()  # mid-burst: most items are still queued, one is being fetched
    assert len(items_of(fake, conv)) < len(burst)

    with ServerProcess(data_dir, env) as second:
        outcomes = wait_items(fake, conv, len(burst))
        assert all(o["verdict"] == "accepted" for o in outcomes.values())
        stub = second.stub()
        imports = imports_of(stub, conv.id)
        assert len(imports) == len(burst)
        assert all(i.state == STATE.IMPORT_STATE_ACCEPTED for i in imports)
        listing = stub.ListAttachments(
            pb.ListAttachmentsRequest(conversation_id=conv.id, page_size=100)
        )
        assert len(listing.attachments) == len(burst)
        assert {a.sha256 for a in listing.attachments} == {i.sha256 for i in burst}
