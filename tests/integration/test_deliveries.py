"""Delivery into Genesys Cloud end to end: a real server (its connector using the official SDK)
against the local Genesys Cloud fake (tests/fakes/genesys), whose crawler fetches the signed
URLs from the server's media endpoint as the platform does.

Waiting is on WatchDelivery (the server says when a delivery is final) or on the fake's own
conditions; nothing sleeps to synchronise.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import grpc
import pytest

from mediagate.client import error_details
from mediagate.v1 import attachment_pb2 as apb
from mediagate.v1 import attachment_service_pb2 as pb
from mediagate.v1 import attachment_service_pb2_grpc as pb_grpc
from mediagate.v1 import delivery_pb2 as dpb
from tests.fakes.genesys import FakeConversation, FakeGenesysThread
from tests.integration.test_voice import send as send_voice
from tests.samples import images, pdfs, voice
from tests.support.calls import upload
from tests.support.server_process import ServerProcess

S = dpb.DeliveryState
UPLOAD = dpb.DELIVERY_METHOD_UPLOAD
OPEN = dpb.DELIVERY_METHOD_OPEN_MESSAGING
FINAL = {
    S.Value("DELIVERY_STATE_DELIVERED"),
    S.Value("DELIVERY_STATE_FAILED"),
    S.Value("DELIVERY_STATE_CANCELLED"),
}


def state(name: str) -> int:
    return S.Value(f"DELIVERY_STATE_{name}")


def states(delivery: dpb.Delivery) -> list[str]:
    return [S.Name(t.state).removeprefix("DELIVERY_STATE_") for t in delivery.history]


def genesys_env(fake: FakeGenesysThread, **extra: str) -> dict[str, str]:
    return {
        "MEDIAGATE_GENESYS_CLIENT_ID": "mediagate-test",
        "MEDIAGATE_GENESYS_CLIENT_SECRET": "s3cret",
        "MEDIAGATE_GENESYS_BASE_URL": fake.base_url,
        "MEDIAGATE_GENESYS_INTEGRATION_ID": fake.integration_id,
        # Failures within seconds, not the production minute.
        "MEDIAGATE_GENESYS_RETRY_BUDGET_SECONDS": "6",
        "MEDIAGATE_GENESYS_TIMEOUT_SECONDS": "2",
        "MEDIAGATE_GENESYS_REQUESTS_PER_SECOND": "0",
        "MEDIAGATE_MEDIA_PORT": "0",
        **extra,
    }


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeGenesysThread]:
    with FakeGenesysThread() as running:
        yield running


@pytest.fixture(scope="module")
def genesys_server(
    fake: FakeGenesysThread, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    root = tmp_path_factory.mktemp("delivering")
    with ServerProcess(root / "data", genesys_env(fake)) as process:
        yield process


@pytest.fixture
def gstub(genesys_server: ServerProcess, fake: FakeGenesysThread) -> pb_grpc.AttachmentServiceStub:
    fake.reset()
    return genesys_server.stub()


def deliver(
    stub: pb_grpc.AttachmentServiceStub,
    attachment: apb.Attachment,
    conversation: FakeConversation,
    method: int = UPLOAD,
    **fields: object,
) -> dpb.Delivery:
    request = dpb.DeliverAttachmentRequest(
        name=attachment.name,
        conversation_id=conversation.id,
        method=method,
        **fields,  # type: ignore[arg-type]
    )
    if method == OPEN and not request.HasField("sender"):
        request.sender.id = conversation.from_id or ""
    return stub.DeliverAttachment(request, timeout=30)


def watch(stub: pb_grpc.AttachmentServiceStub, name: str) -> list[dpb.Delivery]:
    """Every message WatchDelivery sends, to the final state (the SDK import on a fresh
    server takes ~15 s, so the deadline is generous)."""
    return list(stub.WatchDelivery(dpb.WatchDeliveryRequest(name=name), timeout=120))


def finished(stub: pb_grpc.AttachmentServiceStub, delivery: dpb.Delivery) -> dpb.Delivery:
    seen = watch(stub, delivery.name)
    assert seen[-1].state in FINAL
    return seen[-1]


def photo(stub: pb_grpc.AttachmentServiceStub, name: str = "holiday photo.jpg") -> apb.Attachment:
    return upload(stub, images.jpeg(640, 480), name, "image/jpeg")


# --- both methods, end to end -------------------------------------------------------------------


def test_upload_an_image_watch_every_state_in_order(
    gstub: pb_grpc.AttachmentServiceStub, fake: FakeGenesysThread
) -> None:
    conversation = fake.add_conversation()
    attachment = photo(gstub)
    delivery = deliver(gstub, attachment, conversation)
    assert delivery.state == state("PENDING")
    seen = watch(gstub, delivery.name)
    assert [S.Name(d.state).removeprefix("DELIVERY_STATE_") for d in seen][-1] == "DELIVERED"
    final = seen[-1]
    assert states(final) == ["PENDING", "UPLOADING", "VALIDATED", "DELIVERED"]
    # Every state the watcher saw came in order (a slow watcher may skip, never reorder).
    ranks = [d.state for d in seen]
    assert ranks == sorted(ranks)
    messages = fake.messages(conversation.id)
    assert [m.media_ids for m in messages] == [[final.platform_media_id]]
    assert list(final.platform_message_ids) == [messages[0].id]
    assert fake.count("put_upload", 200) == 1
    assert fake.count("send_message") == 1


def test_upload_with_text_sends_the_media_then_the_text(
    gstub: pb_grpc.AttachmentServiceStub, fake: FakeGenesysThread
) -> None:
    conversation = fake.add_conversation()
    document = upload(gstub, pdfs.pdf(pages=2), "contract.pdf", "application/pdf")
    final = finished(gstub, deliver(gstub, document, conversation, text="Here it is"))
    assert final.state == state("DELIVERED"), final.failure
    messages = fake.messages(conversation.id)
    assert [(bool(m.media_ids), m.text) for m in messages] == [(True, None), (False, "Here it is")]
    assert len(final.platform_message_ids) == 2


def test_upload_a_voice_message_goes_as_its_rendition_and_transcript(
    gstub: pb_grpc.AttachmentServiceStub, fake: FakeGenesysThread
) -> None:
    conversation = fake.add_conversation()
    recording = send_voice(gstub, voice.speech("wav", 2.0), "note.wav", transcript="call me back")
    final = finished(gstub, deliver(gstub, recording.attachment, conversation))
    assert final.state == state("DELIVERED"), final.failure
    media_message, text_message = fake.messages(conversation.id)
    assert text_message.text == "call me back"
    uploaded = fake.call(lambda: fake.fake.state.media[media_message.media_ids[0]])
    assert uploaded.content_length == recording.renditions[0].size_bytes


def test_open_messaging_an_image_with_its_preview_as_thumbnail(
    gstub: pb_grpc.AttachmentServiceStub, fake: FakeGenesysThread
) -> None:
    conversation = fake.add_conversation(from_id="guest-photo")
    attachment = photo(gstub, "fotografía.jpg")
    delivery = deliver(gstub, attachment, conversation, OPEN, text="my receipt")
    seen = watch(gstub, delivery.name)
    final = seen[-1]
    assert final.state == state("DELIVERED"), final.failure
    assert states(final) == ["PENDING", "SUBMITTED", "FETCHING", "VALIDATED", "DELIVERED"]
    (message,) = fake.messages(conversation.id)
    assert message.channel_message_id == final.name.removeprefix("deliveries/")
    assert message.text == "my receipt"
    (sent,) = message.attachments
    assert sent.mime == "image/jpeg"
    assert sent.sha256 == attachment.sha256
    assert sent.thumbnail is not None and sent.thumbnail["mime"] == "image/jpeg"
    fetched = {f.url.split("?")[0]: f for f in fake.crawler_fetches}
    assert all(f.status == 200 for f in fetched.values())
    assert len(fetched) == 2  # the attachment and its thumbnail
    assert final.fetch_count >= 2
    assert final.conversation_id == conversation.id


def test_open_messaging_fetched_before_the_submission_is_answered(
    gstub: pb_grpc.AttachmentServiceStub, fake: FakeGenesysThread
) -> None:
    """The crawler may finish before the platform answers the post: the history still says
    what happened, in order (this raced, one run in six, before the early fetch was kept)."""
    conversation = fake.add_conversation(from_id="guest-quick")
    attachment = photo(gstub, "quick.jpg")
    fake.crawl_before_reply()
    final = finished(gstub, deliver(gstub, attachment, conversation, OPEN))
    assert final.state == state("DELIVERED"), final.failure
    assert states(final) == ["PENDING", "SUBMITTED", "FETCHING", "VALIDATED", "DELIVERED"]
    assert final.fetch_count >= 2


def test_open_messaging_a_pdf_and_a_voice_message(
    gstub: pb_grpc.AttachmentServiceStub, fake: FakeGenesysThread
) -> None:
    conversation = fake.add_conversation(from_id="guest-docs")
    document = upload(gstub, pdfs.pdf(pages=1), "statement.pdf", "application/pdf")
    recording = send_voice(gstub, voice.speech("wav", 2.0), "note.wav", transcript="hello there")
    first = deliver(gstub, document, conversation, OPEN)
    second = deliver(gstub, recording.attachment, conversation, OPEN)
    for delivery in (first, second):
        final = finished(gstub, delivery)
        assert final.state == state("DELIVERED"), final.failure
    pdf_message, voice_message = fake.messages(conversation.id)
    assert pdf_message.attachments[0].mime == "application/pdf"
    assert pdf_message.attachments[0].thumbnail is not None
    audio = voice_message.attachments[0]
    rendition = recording.renditions[0]
    assert (audio.mime, audio.sha256) == (rendition.mime_type, rendition.sha256)
    assert audio.text == "hello there"
    assert audio.media_type == "Audio"


def test_a_heic_photo_goes_as_its_jpeg_display_rendition(
    gstub: pb_grpc.AttachmentServiceStub, fake: FakeGenesysThread
) -> None:
    # Genesys Cloud's message view cannot show HEIC: both methods send the JPEG instead.
    conversation = fake.add_conversation(from_id="guest-iphone")
    heic = upload(gstub, images.heic(width=640, height=480), "IMG_0042.HEIC", "image/heic")
    (display,) = heic.renditions
    jpeg = gstub.GetAttachment(pb.GetAttachmentRequest(name=display.attachment))
    first = finished(gstub, deliver(gstub, heic, conversation))
    second = finished(gstub, deliver(gstub, heic, conversation, OPEN))
    assert (first.state, second.state) == (state("DELIVERED"), state("DELIVERED"))
    uploaded_message, inbound_message = fake.messages(conversation.id)
    uploaded = fake.call(lambda: fake.fake.state.media[uploaded_message.media_ids[0]])
    assert uploaded.mime == "image/jpeg" and uploaded.name.endswith(".jpg")
    assert hashlib.sha256(uploaded.body).hexdigest() == jpeg.sha256
    (sent,) = inbound_message.attachments
    assert (sent.mime, sent.sha256) == ("image/jpeg", jpeg.sha256)
    assert sent.thumbnail is not None and sent.thumbnail["mime"] == "image/jpeg"


# --- exactly once -------------------------------------------------------------------------------


def test_a_repeated_idempotency_key_is_the_same_delivery(
    gstub: pb_grpc.AttachmentServiceStub, fake: FakeGenesysThread
) -> None:
    conversation = fake.add_conversation()
    attachment = photo(gstub)
    first = deliver(gstub, attachment, conversation, idempotency_key="order-17")
    again = deliver(gstub, attachment, conversation, idempotency_key="order-17")
    assert again.name == first.name
    finished(gstub, first)
    after = deliver(gstub, attachment, conversation, idempotency_key="order-17")
    assert after.name == first.name and after.state == state("DELIVERED")
    assert len(fake.messages(conversation.id)) == 1


def test_a_send_answered_500_after_it_went_through_is_not_sent_again(
    gstub: pb_grpc.AttachmentServiceStub, fake: FakeGenesysThread
) -> None:
    conversation = fake.add_conversation()
    fake.fail_after_commit("send_message", 500)
    final = finished(gstub, deliver(gstub, photo(gstub), conversation))
    assert final.state == state("DELIVERED"), final.failure
    assert len(fake.messages(conversation.id)) == 1
    assert fake.count("bulk_messages") >= 1  # it looked before it would have re-sent


def test_an_inbound_message_answered_500_after_it_went_through_is_not_posted_again(
    gstub: pb_grpc.AttachmentServiceStub, fake: FakeGenesysThread
) -> None:
    conversation = fake.add_conversation(from_id="guest-500")
    fake.fail_after_commit("inbound_open_message", 503)
    final = finished(gstub, deliver(gstub, photo(gstub), conversation, OPEN))
    assert final.state == state("DELIVERED"), final.failure
    assert len(fake.messages(conversation.id)) == 1


# --- the platform's failures --------------------------------------------------------------------


def test_an_expired_token_is_replaced_by_logging_in_again(
    gstub: pb_grpc.AttachmentServiceStub, fake: FakeGenesysThread
) -> None:
    conversation = fake.add_conversation()
    finished(gstub, deliver(gstub, photo(gstub), conversation))  # logged in
    fake.expire_tokens()
    fake.reset()
    final = finished(gstub, deliver(gstub, photo(gstub), conversation))
    assert final.state == state("DELIVERED"), final.failure
    assert fake.count("token") == 1
    assert fake.count("get_conversation", 401) == 1


def test_a_429_waits_its_retry_after_then_delivers(
    gstub: pb_grpc.AttachmentServiceStub, fake: FakeGenesysThread
) -> None:
    conversation = fake.add_conversation()
    fake.fail("create_media_upload", 429, times=2, retry_after=1)
    final = finished(gstub, deliver(gstub, photo(gstub), conversation))
    assert final.state == state("DELIVERED"), final.failure
    limited = [c for c in fake.calls if c.op == "create_media_upload"]
    assert [c.status for c in limited] == [429, 429, 200]
    # Each retry came after the Retry-After it was given.
    assert limited[1].time - limited[0].time >= 0.95
    assert limited[2].time - limited[1].time >= 0.95


def test_a_missing_permission_fails_with_its_name(
    gstub: pb_grpc.AttachmentServiceStub, fake: FakeGenesysThread
) -> None:
    conversation = fake.add_conversation()
    fake.fail("send_message", 403, permission="conversation:message:create")
    final = finished(gstub, deliver(gstub, photo(gstub), conversation))
    assert final.state == state("FAILED")
    failure = final.failure
    assert failure.reason == dpb.DELIVERY_FAILURE_REASON_PERMISSION_DENIED
    assert failure.missing_permission == "conversation:message:create"
    assert failure.http_status == 403
    assert fake.messages(conversation.id) == []


def test_persistent_5xx_spends_the_retry_budget(
    gstub: pb_grpc.AttachmentServiceStub, fake: FakeGenesysThread
) -> None:
    conversation = fake.add_conversation()
    fake.fail("get_conversation", 500, times=100)
    final = finished(gstub, deliver(gstub, photo(gstub), conversation))
    assert final.failure.reason == dpb.DELIVERY_FAILURE_REASON_RETRIES_EXHAUSTED
    assert final.failure.http_status == 500
    assert 2 <= fake.count("get_conversation", 500) <= 6


def test_a_slow_answer_past_the_client_timeout_is_retried(
    gstub: pb_grpc.AttachmentServiceStub, fake: FakeGenesysThread
) -> None:
    conversation = fake.add_conversation()
    fake.slow("get_media", 4.0)  # the server's client gives up after 2 s
    final = finished(gstub, deliver(gstub, photo(gstub), conversation))
    assert final.state == state("DELIVERED"), final.failure
    assert len(fake.messages(conversation.id)) == 1


def test_media_the_platform_marks_invalid(
    gstub: pb_grpc.AttachmentServiceStub, fake: FakeGenesysThread
) -> None:
    conversation = fake.add_conversation()
    fake.invalid_media()
    final = finished(gstub, deliver(gstub, photo(gstub), conversation))
    assert final.failure.reason == dpb.DELIVERY_FAILURE_REASON_MEDIA_INVALID
    assert final.failure.platform_reason == "invalid"
    assert states(final) == ["PENDING", "UPLOADING", "FAILED"]
    assert fake.messages(conversation.id) == []


def test_a_crawler_that_cannot_reach_the_url_fails_the_message(
    gstub: pb_grpc.AttachmentServiceStub, fake: FakeGenesysThread
) -> None:
    conversation = fake.add_conversation(from_id="guest-unreachable")
    fake.crawler_unreachable()
    final = finished(gstub, deliver(gstub, photo(gstub), conversation, OPEN))
    assert final.failure.reason == dpb.DELIVERY_FAILURE_REASON_PLATFORM_REJECTED
    assert final.failure.platform_reason == "GeneralError"
    assert states(final) == ["PENDING", "SUBMITTED", "FAILED"]


def test_an_unknown_conversation(gstub: pb_grpc.AttachmentServiceStub) -> None:
    missing = FakeConversation.__new__(FakeConversation)
    missing.id = "00000000-0000-0000-0000-000000000000"
    final = finished(gstub, deliver(gstub, photo(gstub), missing))
    assert final.failure.reason == dpb.DELIVERY_FAILURE_REASON_CONVERSATION_NOT_FOUND
    assert final.failure.http_status == 404


def wait_for(stub: pb_grpc.AttachmentServiceStub, name: str, wanted: str) -> dpb.Delivery:
    for update in stub.WatchDelivery(dpb.WatchDeliveryRequest(name=name), timeout=120):
        if update.state == state(wanted):
            return update
    raise AssertionError(f"{name} ended without reaching {wanted}")


def test_cancel_stops_a_delivery_and_only_once(
    gstub: pb_grpc.AttachmentServiceStub, fake: FakeGenesysThread
) -> None:
    conversation = fake.add_conversation()
    fake.media_valid_after(60.0)  # held in UPLOADING until cancelled
    delivery = deliver(gstub, photo(gstub), conversation)
    wait_for(gstub, delivery.name, "UPLOADING")
    cancelled = gstub.CancelDelivery(dpb.CancelDeliveryRequest(name=delivery.name))
    assert cancelled.state == state("CANCELLED")
    assert states(cancelled) == ["PENDING", "UPLOADING", "CANCELLED"]
    assert refused(lambda: gstub.CancelDelivery(dpb.CancelDeliveryRequest(name=delivery.name))) == (
        grpc.StatusCode.FAILED_PRECONDITION,
        ["DELIVERY_FINISHED"],
    )
    assert finished(gstub, delivery).state == state("CANCELLED")
    assert fake.messages(conversation.id) == []


def test_an_attachment_deleted_before_the_platform_has_it(
    gstub: pb_grpc.AttachmentServiceStub, fake: FakeGenesysThread
) -> None:
    conversation = fake.add_conversation()
    fake.slow("get_conversation", 1.5)  # the delete lands while the server looks this up
    attachment = photo(gstub)
    delivery = deliver(gstub, attachment, conversation)
    gstub.DeleteAttachment(pb.DeleteAttachmentRequest(name=attachment.name))
    final = finished(gstub, delivery)
    assert final.failure.reason == dpb.DELIVERY_FAILURE_REASON_ATTACHMENT_DELETED
    assert fake.count("create_media_upload") == 0


def test_listing_by_attachment_and_by_conversation(
    gstub: pb_grpc.AttachmentServiceStub, fake: FakeGenesysThread
) -> None:
    conversation = fake.add_conversation()
    attachment = photo(gstub)
    made = [deliver(gstub, attachment, conversation).name for _ in range(3)]
    for name in made:
        finished(gstub, dpb.Delivery(name=name))
    by_attachment = gstub.ListDeliveries(
        dpb.ListDeliveriesRequest(attachment=attachment.name, page_size=2)
    )
    assert [d.name for d in by_attachment.deliveries] == made[::-1][:2]
    rest = gstub.ListDeliveries(
        dpb.ListDeliveriesRequest(
            attachment=attachment.name, page_size=2, page_token=by_attachment.next_page_token
        )
    )
    assert [d.name for d in rest.deliveries] == made[:1] and not rest.next_page_token
    by_conversation = gstub.ListDeliveries(
        dpb.ListDeliveriesRequest(conversation_id=conversation.id)
    )
    assert [d.name for d in by_conversation.deliveries] == made[::-1]


# --- requests the server refuses ----------------------------------------------------------------


def refused(call: object) -> tuple[grpc.StatusCode, list[str]]:
    try:
        call()  # type: ignore[operator]
    except grpc.RpcError as error:
        return error.code(), [d.reason for d in error_details(error)]  # type: ignore[attr-defined]
    raise AssertionError("the call succeeded")


def test_requests_that_cannot_be_carried_out(
    gstub: pb_grpc.AttachmentServiceStub, fake: FakeGenesysThread
) -> None:
    attachment = photo(gstub)
    bad = dpb.DeliverAttachmentRequest
    cases = {
        "no conversation": bad(name=attachment.name, method=UPLOAD),
        "no sender": bad(name=attachment.name, method=OPEN, conversation_id="c"),
        "long text": bad(name=attachment.name, conversation_id="c", text="x" * 5000),
        "long key": bad(name=attachment.name, conversation_id="c", idempotency_key="k" * 200),
    }
    for label, request in cases.items():
        assert refused(lambda r=request: gstub.DeliverAttachment(r)) == (
            grpc.StatusCode.INVALID_ARGUMENT,
            ["INVALID_DELIVERY_REQUEST"],
        ), label
    assert refused(lambda: gstub.DeliverAttachment(bad(name="attachments/x"))) == (
        grpc.StatusCode.INVALID_ARGUMENT,
        ["INVALID_NAME"],
    )
    assert refused(
        lambda: gstub.DeliverAttachment(bad(name="attachments/" + "0" * 32, conversation_id="c"))
    ) == (grpc.StatusCode.NOT_FOUND, ["ATTACHMENT_NOT_FOUND"])
    assert refused(
        lambda: gstub.GetDelivery(dpb.GetDeliveryRequest(name="deliveries/" + "0" * 32))
    ) == (grpc.StatusCode.NOT_FOUND, ["DELIVERY_NOT_FOUND"])
    assert refused(lambda: gstub.ListDeliveries(dpb.ListDeliveriesRequest())) == (
        grpc.StatusCode.INVALID_ARGUMENT,
        ["INVALID_DELIVERY_REQUEST"],
    )
    assert refused(
        lambda: gstub.ListDeliveries(
            dpb.ListDeliveriesRequest(conversation_id="c", page_token="garbage")
        )
    ) == (grpc.StatusCode.INVALID_ARGUMENT, ["INVALID_PAGE_TOKEN"])


def test_a_server_without_genesys_settings_says_so(stub: pb_grpc.AttachmentServiceStub) -> None:
    attachment = upload(stub, images.jpeg(64, 48), "a.jpg", "image/jpeg")
    code, reasons = refused(
        lambda: stub.DeliverAttachment(
            dpb.DeliverAttachmentRequest(name=attachment.name, conversation_id="c")
        )
    )
    assert (code, reasons) == (grpc.StatusCode.FAILED_PRECONDITION, ["DELIVERY_NOT_CONFIGURED"])


def test_credentials_never_reach_the_log(
    genesys_server: ServerProcess, gstub: pb_grpc.AttachmentServiceStub, fake: FakeGenesysThread
) -> None:
    conversation = fake.add_conversation()
    fake.fail("send_message", 403)
    finished(gstub, deliver(gstub, photo(gstub), conversation))
    log = "".join(genesys_server.log)
    assert "s3cret" not in log
    assert "Bearer" not in log and "sig=" not in log
    assert hashlib.sha256(b"s3cret").hexdigest() not in log
