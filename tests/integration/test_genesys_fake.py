"""The Genesys fake driven through the real SDK (PureCloudPlatformClientV2), no mocks.

The SDK is imported once, at module level (about 15 s). One FakeGenesysThread serves the whole
module; each test resets its faults and call log and works on conversations of its own.

About 429/503: the SDK's urllib3 PoolManager uses `Retry()` (total=10, Retry-After respected,
POST included), so a 429 with Retry-After is retried by urllib3 itself. Tests that need the 429
to surface give their ApiClient a pool manager with `Retry(total=0,
respect_retry_after_header=False)` (`no_retries` below); one test shows the SDK's own retry.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

import aiohttp
import PureCloudPlatformClientV2 as gc
import pytest
import urllib3
from aiohttp import web
from PureCloudPlatformClientV2.rest import ApiException

from tests.fakes.genesys import FakeConversation, FakeGenesys, FakeGenesysThread
from tests.fakes.genesys.threaded import LoopThread

CLIENT_ID = "mediagate-test"
CLIENT_SECRET = "s3cret"
HTTP = urllib3.PoolManager(retries=False)
T = TypeVar("T")


def wait_for(check: Callable[[], T | None], within: float = 5.0, every: float = 0.02) -> T:
    """Poll `check` until it returns something truthy, or fail after `within` seconds."""
    deadline = time.monotonic() + within
    while True:
        got = check()
        if got:
            return got
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {within} s")
        time.sleep(every)


# --- a tiny server for attachment URLs (inbound open messaging)
@dataclass
class Asset:
    body: bytes
    content_type: str
    mode: str = "plain"  # plain | chunked (no Content-Length) | truncated (declares more)
    status: int = 200


class AssetServer:
    def __init__(self) -> None:
        self.assets: dict[str, Asset] = {}
        self.requests: list[dict[str, str]] = []
        self.loop = LoopThread("assets")
        self.runner = self.loop.run(self._start())

    async def _start(self) -> web.AppRunner:
        app = web.Application()
        app.router.add_get("/a/{name}", self._serve)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self.base_url = f"http://127.0.0.1:{runner.addresses[0][1]}"
        return runner

    async def _serve(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(dict(request.headers))
        asset = self.assets[request.match_info["name"]]
        if asset.mode == "plain":
            return web.Response(
                body=asset.body, status=asset.status, headers={"Content-Type": asset.content_type}
            )
        resp = web.StreamResponse(status=asset.status, headers={"Content-Type": asset.content_type})
        if asset.mode == "chunked":
            resp.enable_chunked_encoding()
        else:
            resp.content_length = len(asset.body) + 10
            resp.force_close()
        await resp.prepare(request)
        await resp.write(asset.body)
        return resp

    def put(self, name: str, asset: Asset) -> str:
        self.assets[name] = asset
        return f"{self.base_url}/a/{name}"

    def close(self) -> None:
        self.loop.run(self.runner.cleanup())
        self.loop.close()


# --- fixtures
@pytest.fixture(scope="module")
def server() -> Iterator[FakeGenesysThread]:
    with FakeGenesysThread(CLIENT_ID, CLIENT_SECRET) as fake:
        yield fake


@pytest.fixture
def fake(server: FakeGenesysThread) -> FakeGenesysThread:
    server.reset()
    return server


@pytest.fixture(scope="module")
def assets() -> Iterator[AssetServer]:
    server = AssetServer()
    yield server
    server.close()


def login(fake: FakeGenesysThread) -> gc.ApiClient:
    api = gc.api_client.ApiClient(host=fake.base_url)
    return api.get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)


def no_retries(api: gc.ApiClient) -> gc.ApiClient:
    """Stop urllib3 inside the SDK retrying 429/503 (it would sleep for Retry-After)."""
    retry = urllib3.Retry(total=0, respect_retry_after_header=False)
    api.get_http_client().rest_client.pool_manager = urllib3.PoolManager(retries=retry)
    return api


@pytest.fixture
def conv(fake: FakeGenesysThread) -> FakeConversation:
    return fake.add_conversation()


@pytest.fixture
def convs(fake: FakeGenesysThread) -> gc.ConversationsApi:
    return gc.ConversationsApi(login(fake))


def error_of(exc: ApiException) -> dict[str, Any]:
    body = json.loads(exc.body)
    assert isinstance(body, dict)
    return body


def upload_request(name: str, data: bytes) -> gc.UploadMediaRequest:
    req = gc.UploadMediaRequest()
    req.file_name = name
    req.content_length_bytes = len(data)
    req.content_md5 = base64.b64encode(hashlib.md5(data).digest()).decode()
    return req


def text_message(text: str) -> gc.AdditionalMessage:
    msg = gc.AdditionalMessage()
    msg.text_body = text
    return msg


def media_message(*media_ids: str) -> gc.AdditionalMessage:
    msg = gc.AdditionalMessage()
    msg.media_ids = list(media_ids)
    return msg


def put(upload: gc.MessageMediaUploadData, data: bytes, **headers: str) -> urllib3.BaseHTTPResponse:
    sent = {**upload.upload_headers, "Content-Length": str(len(data)), **headers}
    return HTTP.request("PUT", upload.upload_url, body=data, headers=sent)


def uploaded(
    convs: gc.ConversationsApi, conv: FakeConversation, name: str, data: bytes
) -> gc.MessageMediaUploadData:
    upload = convs.post_conversations_message_communication_messages_media_uploads(
        conv.id, conv.communication_id, upload_request(name, data)
    )
    assert put(upload, data).status == 200
    return upload


def media_status(convs: gc.ConversationsApi, conv: FakeConversation, media_id: str) -> str:
    media = convs.get_conversations_message_communication_messages_media_media_id(
        conv.id, conv.communication_id, media_id
    )
    return str(media.status)


PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8


# --- login and reading conversations
def test_login_and_get_conversation(
    fake: FakeGenesysThread, conv: FakeConversation, convs: gc.ConversationsApi
) -> None:
    got = convs.get_conversation(conv.id)
    assert got.id == conv.id
    by_purpose = {p.purpose: p for p in got.participants}
    assert by_purpose["agent"].id == conv.agent_participant_id
    assert by_purpose["agent"].messages[0].id == conv.communication_id
    assert by_purpose["agent"].messages[0].state == "connected"
    assert by_purpose["customer"].id == conv.customer_participant_id

    messaging = convs.get_conversations_message(conv.id)
    assert {p.purpose for p in messaging.participants} == {"customer", "agent"}

    with pytest.raises(ApiException) as missing:
        convs.get_conversation("no-such-conversation")
    assert missing.value.status == 404
    assert error_of(missing.value)["code"] == "not.found"
    assert [c.op for c in fake.calls] == ["token", "get_conversation", "get_message_conversation",
                                          "get_conversation"]  # fmt: skip


def test_bad_credentials_and_missing_token(fake: FakeGenesysThread) -> None:
    api = gc.api_client.ApiClient(host=fake.base_url)
    with pytest.raises(ApiException) as refused:
        api.get_client_credentials_token(CLIENT_ID, "wrong")
    assert refused.value.status == 401
    assert error_of(refused.value)["error"] == "invalid_client"

    with pytest.raises(ApiException) as anonymous:
        gc.ConversationsApi(api).get_conversation("anything")
    assert anonymous.value.status == 401
    assert error_of(anonymous.value)["code"] == "bad.credentials"


# --- the agent-side upload flow
def test_upload_poll_send_and_read_back(
    fake: FakeGenesysThread, conv: FakeConversation, convs: gc.ConversationsApi
) -> None:
    fake.media_valid_after(0.4)
    upload = convs.post_conversations_message_communication_messages_media_uploads(
        conv.id, conv.communication_id, upload_request("photo.png", PNG)
    )
    assert upload.upload_url == f"{fake.base_url}/uploads/{upload.id}"
    assert upload.upload_headers["Content-MD5"] == upload_request("x.png", PNG).content_md5
    assert media_status(convs, conv, upload.id) == "uploading"

    assert put(upload, PNG).status == 200
    put_done = time.monotonic()
    assert media_status(convs, conv, upload.id) == "uploading"
    with pytest.raises(ApiException) as early:
        convs.post_conversations_message_communication_messages(
            conv.id, conv.communication_id, media_message(upload.id)
        )
    assert early.value.status == 400
    assert "not valid" in error_of(early.value)["message"]

    wait_for(lambda: media_status(convs, conv, upload.id) == "valid")
    assert time.monotonic() - put_done >= 0.35
    media = convs.get_conversations_message_communication_messages_media_media_id(
        conv.id, conv.communication_id, upload.id
    )
    assert (media.media_type, media.content_length_bytes, media.name) == (
        "image/png",
        len(PNG),
        "photo.png",
    )

    sent = convs.post_conversations_message_communication_messages(
        conv.id, conv.communication_id, media_message(upload.id)
    )
    assert (sent.status, sent.direction, sent.conversation_id) == ("sent", "outbound", conv.id)
    attachment = sent.normalized_message.content[0].attachment
    assert attachment.id == upload.id
    assert attachment.media_type == "Image"
    assert HTTP.request("GET", attachment.url).data == PNG
    text = convs.post_conversations_message_communication_messages(
        conv.id, conv.communication_id, text_message("here you go")
    )
    assert text.normalized_message.text == "here you go"

    one = convs.get_conversations_message_message(conv.id, sent.id)
    assert one.normalized_message.content[0].attachment.sha256 == hashlib.sha256(PNG).hexdigest()
    bulk = convs.post_conversations_message_messages_bulk(conv.id, body=[sent.id, text.id])
    assert [m.id for m in bulk.entities] == [sent.id, text.id]
    held = fake.messages(conv.id)
    assert [(m.id, m.direction) for m in held] == [(sent.id, "outbound"), (text.id, "outbound")]

    agent = next(
        p for p in convs.get_conversations_message(conv.id).participants if p.purpose == "agent"
    )
    assert [m.message_id for m in agent.messages] == [sent.id, text.id]
    assert agent.messages[0].media[0].content_length_bytes == len(PNG)


def test_bad_puts_end_invalid(
    fake: FakeGenesysThread, conv: FakeConversation, convs: gc.ConversationsApi
) -> None:
    def create() -> gc.MessageMediaUploadData:
        return convs.post_conversations_message_communication_messages_media_uploads(
            conv.id, conv.communication_id, upload_request("a.png", PNG)
        )

    bad_md5 = create()
    other = base64.b64encode(hashlib.md5(b"other").digest()).decode()
    resp = put(bad_md5, PNG, **{"Content-MD5": other})
    assert resp.status == 400
    assert b"<Error>" in resp.data
    assert media_status(convs, conv, bad_md5.id) == "invalid"

    wrong_body = create()
    assert put(wrong_body, PNG[:-1] + b"x").status == 400  # same length, MD5 differs
    assert media_status(convs, conv, wrong_body.id) == "invalid"

    short = create()
    assert put(short, PNG[:-5]).status == 400
    assert media_status(convs, conv, short.id) == "invalid"

    once = uploaded(convs, conv, "b.png", PNG)
    assert put(once, PNG).status == 409
    assert fake.count("put_upload", 400) == 3

    fake.invalid_media()
    doomed = uploaded(convs, conv, "c.png", PNG)
    wait_for(lambda: media_status(convs, conv, doomed.id) == "invalid")


@pytest.mark.parametrize("name", [".hidden.png", "dir/", "two words.png", "a#b.png", "x{y}.png"])
def test_upload_file_name_rules(
    conv: FakeConversation, convs: gc.ConversationsApi, name: str
) -> None:
    with pytest.raises(ApiException) as refused:
        convs.post_conversations_message_communication_messages_media_uploads(
            conv.id, conv.communication_id, upload_request(name, PNG)
        )
    assert refused.value.status == 400
    assert error_of(refused.value)["code"] == "bad.request"


def test_one_body_kind_per_send(
    fake: FakeGenesysThread, conv: FakeConversation, convs: gc.ConversationsApi
) -> None:
    fake.media_valid_after(0)
    first = uploaded(convs, conv, "1.png", PNG)
    second = uploaded(convs, conv, "2.png", PNG)
    both = media_message(first.id)
    both.text_body = "and text"
    for body in (both, gc.AdditionalMessage(), media_message(first.id, second.id)):
        with pytest.raises(ApiException) as refused:
            convs.post_conversations_message_communication_messages(
                conv.id, conv.communication_id, body
            )
        assert refused.value.status == 400
        assert "Only one message body field" in error_of(refused.value)["message"]
    assert fake.messages(conv.id) == []


# --- inbound open messaging and the crawler
def inbound(
    fake: FakeGenesysThread,
    url: str,
    mime: str,
    data: bytes,
    from_id: str,
    thumbnail: gc.OpenContentThumbnail | None = None,
) -> gc.OpenInboundNormalizedMessage:
    sender = gc.OpenMessagingFromRecipient()
    sender.id = from_id
    sender.id_type = "Opaque"
    sender.nickname = "Customer"
    channel = gc.OpenInboundMessageMessagingChannel()
    channel.pcFrom = sender
    channel.message_id = f"ext-{from_id}"
    channel.time = datetime.now(UTC)
    attachment = gc.OpenContentAttachment()
    attachment.id = "att-1"
    attachment.media_type = "Image"
    attachment.url = url
    attachment.mime = mime
    attachment.filename = "photo.png"
    attachment.sha256 = hashlib.sha256(data).hexdigest()
    attachment.thumbnail = thumbnail
    content = gc.OpenInboundMessageContent()
    content.attachment = attachment
    body = gc.OpenInboundNormalizedMessage()
    body.channel = channel
    body.text = "a photo"
    body.content = [content]
    return body


def test_inbound_attachment_fetched_and_sent(
    fake: FakeGenesysThread, convs: gc.ConversationsApi, assets: AssetServer
) -> None:
    url = assets.put("good.png", Asset(PNG, "image/png"))
    thumb_data = PNG[:100]
    thumb = gc.OpenContentThumbnail()
    thumb.url = assets.put("thumb.png", Asset(thumb_data, "image/png"))
    thumb.mime = "image/png"
    thumb.sha256 = hashlib.sha256(thumb_data).hexdigest()
    thumb.content_size_bytes = len(thumb_data)
    body = inbound(fake, url, "image/png", PNG, "cust-good", thumb)

    reply = convs.post_conversations_message_inbound_open_message(fake.integration_id, body)
    assert isinstance(reply, gc.OpenMessageNormalizedMessage)
    assert reply.channel.message_id == "ext-cust-good"
    assert reply.content[0].attachment.url == url
    queued = convs.get_conversations_message_message(reply.conversation_id, reply.id)
    assert queued.status in ("queued", "sent")

    done = fake.crawled(reply.id)
    assert (done.status, done.reasons) == ("sent", [])
    fetches = [f for f in fake.crawler_fetches if f.url in (url, thumb.url)]
    assert [(f.status, f.bytes) for f in fetches] == [(200, len(PNG)), (200, len(thumb_data))]
    assert all("Authorization" not in h for h in assets.requests)

    read = convs.get_conversations_message_message(reply.conversation_id, reply.id)
    assert (read.status, read.direction) == ("sent", "inbound")
    assert read.normalized_message.status == "Sent"
    assert read.normalized_message.channel.message_id == "ext-cust-good"
    assert read.normalized_message.content[0].attachment.content_size_bytes == len(PNG)

    again = convs.post_conversations_message_inbound_open_message(fake.integration_id, body)
    assert again.conversation_id == reply.conversation_id  # same customer, same conversation
    fake.crawled(again.id)


@pytest.mark.parametrize(
    ("asset", "mime", "code"),
    [
        (Asset(PNG, "image/jpeg"), "image/png", "MediaTypeNotAllowed"),
        (Asset(PNG, "image/png", mode="chunked"), "image/png", "InvalidMediaContentLength"),
        (Asset(PNG, "image/png", mode="truncated"), "image/png", "InvalidMediaContentLength"),
        (Asset(PNG[:-1] + b"!", "image/png"), "image/png", "GeneralError"),
        (Asset(b"gone", "text/plain", status=404), "image/png", "GeneralError"),
    ],
    ids=["content-type", "no-length", "cut-short", "sha256", "http-404"],
)
def test_inbound_attachment_failures(
    fake: FakeGenesysThread,
    convs: gc.ConversationsApi,
    assets: AssetServer,
    asset: Asset,
    mime: str,
    code: str,
) -> None:
    url = assets.put(f"bad-{code}-{asset.mode}-{asset.status}", asset)
    reply = convs.post_conversations_message_inbound_open_message(
        fake.integration_id, inbound(fake, url, mime, PNG, f"cust-{code}")
    )
    done = fake.crawled(reply.id)
    assert done.status == "failed"
    assert done.reasons[0].code == code
    read = convs.get_conversations_message_message(reply.conversation_id, reply.id)
    assert read.normalized_message.status == "Failed"
    assert read.normalized_message.reasons[0].code == code


def test_inbound_crawler_unreachable_and_unknown_integration(
    fake: FakeGenesysThread, convs: gc.ConversationsApi, assets: AssetServer
) -> None:
    url = assets.put("fine.png", Asset(PNG, "image/png"))
    fake.crawler_unreachable()
    reply = convs.post_conversations_message_inbound_open_message(
        fake.integration_id, inbound(fake, url, "image/png", PNG, "cust-unreachable")
    )
    done = fake.crawled(reply.id)
    assert done.status == "failed"
    assert done.reasons[0].code == "GeneralError"
    assert "unreachable" in done.reasons[0].message

    with pytest.raises(ApiException) as unknown:
        convs.post_conversations_message_inbound_open_message(
            "no-such-integration", inbound(fake, url, "image/png", PNG, "x")
        )
    assert unknown.value.status == 404


# --- faults
def test_401_invalidates_the_token_and_a_new_login_works(
    fake: FakeGenesysThread, conv: FakeConversation, convs: gc.ConversationsApi
) -> None:
    fake.fail("get_conversation", 401)
    with pytest.raises(ApiException) as expired:
        convs.get_conversation(conv.id)
    assert expired.value.status == 401
    assert error_of(expired.value)["code"] == "bad.credentials"
    with pytest.raises(ApiException) as still:
        convs.get_conversation(conv.id)  # the old token is gone for good
    assert still.value.status == 401

    assert gc.ConversationsApi(login(fake)).get_conversation(conv.id).id == conv.id
    assert fake.count("token") == 2


def test_403_names_the_missing_permission(
    fake: FakeGenesysThread, conv: FakeConversation, convs: gc.ConversationsApi
) -> None:
    fake.fail("create_media_upload", 403, permission="conversation:messageMedia:upload")
    with pytest.raises(ApiException) as denied:
        convs.post_conversations_message_communication_messages_media_uploads(
            conv.id, conv.communication_id, upload_request("a.png", PNG)
        )
    body = error_of(denied.value)
    assert (denied.value.status, body["code"]) == (403, "missing.any.permissions")
    assert body["message"].endswith("permission(s): conversation:messageMedia:upload")


def test_429_carries_retry_after(
    fake: FakeGenesysThread, conv: FakeConversation, convs: gc.ConversationsApi
) -> None:
    no_retries(convs.api_client)
    fake.fail("send_message", 429, retry_after=7)
    with pytest.raises(ApiException) as limited:
        convs.post_conversations_message_communication_messages(
            conv.id, conv.communication_id, text_message("hi")
        )
    assert limited.value.status == 429
    assert limited.value.headers["Retry-After"] == "7"
    body = error_of(limited.value)
    assert body["code"] == "too.many.requests.retry.after"
    assert "[7] seconds" in body["message"]
    assert fake.messages(conv.id) == []


def test_sdk_retries_429_itself(
    fake: FakeGenesysThread, conv: FakeConversation, convs: gc.ConversationsApi
) -> None:
    fake.fail("get_conversation", 429, times=2, retry_after=0)
    assert convs.get_conversation(conv.id).id == conv.id  # urllib3's Retry, inside the SDK
    assert [c.status for c in fake.calls if c.op == "get_conversation"] == [429, 429, 200]


def test_503_and_slow(
    fake: FakeGenesysThread, conv: FakeConversation, convs: gc.ConversationsApi
) -> None:
    fake.fail("get_message_conversation", 503)
    with pytest.raises(ApiException) as unavailable:
        convs.get_conversations_message(conv.id)  # no Retry-After: urllib3 does not retry
    assert unavailable.value.status == 503
    assert error_of(unavailable.value)["status"] == 503

    fake.slow("get_conversation", 0.3)
    started = time.monotonic()
    convs.get_conversation(conv.id)
    assert time.monotonic() - started >= 0.3


def test_fail_after_commit_records_the_message(
    fake: FakeGenesysThread, conv: FakeConversation, convs: gc.ConversationsApi
) -> None:
    fake.fail_after_commit("send_message")
    with pytest.raises(ApiException) as failed:
        convs.post_conversations_message_communication_messages(
            conv.id, conv.communication_id, text_message("only once")
        )
    assert failed.value.status == 500
    held = fake.messages(conv.id)
    assert [m.text for m in held] == ["only once"]
    agent = next(
        p for p in convs.get_conversations_message(conv.id).participants if p.purpose == "agent"
    )
    assert [m.message_id for m in agent.messages] == [held[0].id]  # what a client re-checks


def test_unknown_fault_op_is_refused(fake: FakeGenesysThread) -> None:
    with pytest.raises(ValueError, match="unknown operation"):
        fake.fail("send_fax", 500)


# --- control over HTTP, the standalone process, the asyncio API
def test_http_control_routes(fake: FakeGenesysThread) -> None:
    def control(method: str, path: str, body: Any = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        resp = HTTP.request(method, fake.base_url + path, body=data)
        assert resp.status < 300, resp.data
        return json.loads(resp.data)

    made = control("POST", "/_fake/conversations", {"from_id": "cust-http"})
    assert made["from_id"] == "cust-http"
    control("POST", "/_fake/faults", {"kind": "fail", "op": "get_conversation", "status": 503})
    api = gc.ConversationsApi(login(fake))
    with pytest.raises(ApiException) as failed:
        api.get_conversation(made["id"])
    assert failed.value.status == 503
    calls = control("GET", "/_fake/calls")
    assert [c["op"] for c in calls] == ["token", "get_conversation"]
    api.post_conversations_message_communication_messages(
        made["id"], made["communication_id"], text_message("over http")
    )
    held = control("GET", f"/_fake/conversations/{made['id']}/messages")
    assert [m["normalizedMessage"]["text"] for m in held] == ["over http"]
    control("POST", "/_fake/reset")
    assert control("GET", "/_fake/calls") == []


def test_standalone_process() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.genesys", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        second = proc.stdout.readline()
        assert first.startswith("fake genesys listening on http://127.0.0.1:")
        base_url = first.split()[4]
        conv_id = second.strip().removeprefix("conversation=")
        api = gc.api_client.ApiClient(host=base_url)
        api.get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
        assert gc.ConversationsApi(api).get_conversation(conv_id).id == conv_id
    finally:
        proc.terminate()
        assert proc.wait(10) == 0


def test_asyncio_api_and_crawled_event() -> None:
    """FakeGenesys on the caller's loop, driven by plain aiohttp; `await fake.crawled(id)`."""

    async def serve_png(_: web.Request) -> web.Response:
        return web.Response(body=PNG, content_type="image/png")

    async def scenario() -> None:
        assets = web.Application()
        assets.router.add_get("/p.png", serve_png)
        runner = web.AppRunner(assets)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        url = f"http://127.0.0.1:{runner.addresses[0][1]}/p.png"
        basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        sender = {"id": "async-cust", "idType": "Opaque"}
        attachment = {
            "mediaType": "Image",
            "url": url,
            "mime": "image/png",
            "sha256": hashlib.sha256(PNG).hexdigest(),
        }
        body = {
            "channel": {"from": sender, "messageId": "m1"},
            "content": [{"contentType": "Attachment", "attachment": attachment}],
        }
        fake = FakeGenesys(media_valid_after=0)
        async with fake, aiohttp.ClientSession() as http:
            async with http.post(
                f"{fake.base_url}/oauth/token",
                data={"grant_type": "client_credentials"},
                headers={"Authorization": f"Basic {basic}"},
            ) as resp:
                token = (await resp.json())["access_token"]
            async with http.post(
                f"{fake.base_url}/api/v2/conversations/messages/{fake.integration_id}"
                "/inbound/open/message",
                json=body,
                headers={"Authorization": f"Bearer {token}"},
            ) as resp:
                assert resp.status == 200
                reply = await resp.json()
            done = await fake.crawled(reply["id"])
            assert done.status == "sent"
            assert fake.count("inbound_open_message") == 1
        await runner.cleanup()

    asyncio.run(scenario())
