"""The fake's inbound side against the real SDK and plain aiohttp clients: notification
channels and their websocket, hosted media behaviours, participant attributes, the outbound
webhook. No sleeps as synchronisation: tests wait on frames, on `wait_subscribed`, or on the
fake's answers.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
from collections.abc import Iterator
from typing import Any

import aiohttp
import PureCloudPlatformClientV2 as gc
import pytest
import urllib3
from aiohttp import web
from PureCloudPlatformClientV2.rest import ApiException

from tests.fakes.genesys import FakeConversation, FakeGenesys, FakeGenesysThread, MediaItem
from tests.fakes.genesys.threaded import LoopThread

CLIENT_ID = "mediagate-test"
CLIENT_SECRET = "s3cret"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8
HTTP = urllib3.PoolManager(retries=False)
FRAME_TIMEOUT = 5.0


@pytest.fixture(scope="module")
def server() -> Iterator[FakeGenesysThread]:
    with FakeGenesysThread(CLIENT_ID, CLIENT_SECRET) as fake:
        yield fake


@pytest.fixture
def fake(server: FakeGenesysThread) -> FakeGenesysThread:
    server.reset()
    return server


@pytest.fixture
def conv(fake: FakeGenesysThread) -> FakeConversation:
    return fake.add_conversation()


def login(fake: FakeGenesysThread) -> gc.ApiClient:
    api = gc.api_client.ApiClient(host=fake.base_url)
    return api.get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)


@pytest.fixture
def notifications(fake: FakeGenesysThread) -> gc.NotificationsApi:
    return gc.NotificationsApi(login(fake))


def topics(*names: str) -> list[gc.ChannelTopic]:
    out = []
    for name in names:
        topic = gc.ChannelTopic()
        topic.id = name
        out.append(topic)
    return out


def subscribed_channel(api: gc.NotificationsApi, *names: str) -> gc.Channel:
    channel = api.post_notifications_channels()
    api.put_notifications_channel_subscriptions(channel.id, topics(*names))
    return channel


class _Reply:
    """What ApiClient.deserialize reads: a JSON body and its Content-Type."""

    def __init__(self, data: Any) -> None:
        self.data = json.dumps(data)

    def getheader(self, name: str) -> str:
        return "application/json"


def deserialize(data: Any, model: str) -> Any:
    return gc.api_client.ApiClient().deserialize(_Reply(data), model)


async def next_frame(ws: aiohttp.ClientWebSocketResponse, skip_heartbeats: bool = True) -> Any:
    while True:
        msg = await ws.receive(FRAME_TIMEOUT)
        assert msg.type == aiohttp.WSMsgType.TEXT, msg
        data = json.loads(msg.data)
        if skip_heartbeats and data["topicName"] == "channel.metadata":
            continue
        return data


# --- notifications
def test_channel_and_subscriptions_through_the_sdk(
    fake: FakeGenesysThread, conv: FakeConversation, notifications: gc.NotificationsApi
) -> None:
    channel = notifications.post_notifications_channels()
    assert isinstance(channel, gc.Channel)
    assert channel.connect_uri == f"ws{fake.base_url.removeprefix('http')}/channels/{channel.id}"
    assert channel.expires is not None

    listed = notifications.put_notifications_channel_subscriptions(
        channel.id, topics(conv.queue_topic, conv.user_topic)
    )
    assert isinstance(listed, gc.ChannelTopicEntityListing)
    assert [t.id for t in listed.entities] == [conv.queue_topic, conv.user_topic]
    replaced = notifications.put_notifications_channel_subscriptions(
        channel.id, topics(conv.user_topic)
    )
    assert [t.id for t in replaced.entities] == [conv.user_topic]
    got = notifications.get_notifications_channel_subscriptions(channel.id)
    assert [t.id for t in got.entities] == [conv.user_topic]
    assert not fake.subscribed(conv.user_topic)  # subscribed, but no socket yet

    with pytest.raises(ApiException) as unknown:
        notifications.put_notifications_channel_subscriptions("nope", topics(conv.user_topic))
    assert unknown.value.status == 404
    assert json.loads(unknown.value.body)["code"] == "not.found"
    with pytest.raises(ApiException) as bad:
        notifications.put_notifications_channel_subscriptions(channel.id, topics("queues"))
    assert bad.value.status == 400
    assert [c.op for c in fake.calls][-3:] == [
        "get_subscriptions",
        "put_subscriptions",
        "put_subscriptions",
    ]


def test_socket_heartbeat_and_media_event(
    fake: FakeGenesysThread, conv: FakeConversation, notifications: gc.NotificationsApi
) -> None:
    channel = subscribed_channel(notifications, conv.queue_topic)
    photo = fake.host_media(PNG, "image/png", "photo.png")
    song = fake.host_media(b"ID3" + bytes(100), "audio/mpeg", "song.mp3")
    fake.heartbeat_every(0.05)

    async def scenario() -> tuple[Any, Any]:
        async with aiohttp.ClientSession() as http, http.ws_connect(channel.connect_uri) as ws:
            await asyncio.to_thread(fake.wait_subscribed, conv.queue_topic)
            beat = await next_frame(ws, skip_heartbeats=False)
            message_id = fake.emit_inbound_media(conv, [photo, song], text="look")
            event = await next_frame(ws)
            return beat, (message_id, event)

    beat, (message_id, event) = asyncio.run(scenario())
    assert beat == {
        "topicName": "channel.metadata",
        "eventBody": {"message": "WebSocket Heartbeat"},
    }
    assert event["topicName"] == conv.queue_topic
    assert event["version"] == "2"
    assert event["metadata"]["CorrelationId"]

    body = deserialize(event["eventBody"], "QueueConversationMessageEventTopicMessageConversation")
    assert body.id == conv.id
    customer, agent = body.participants
    assert (customer.purpose, customer.id) == ("customer", conv.customer_participant_id)
    assert (agent.purpose, agent.user.id, agent.queue.id) == ("agent", conv.user_id, conv.queue_id)
    [details] = customer.messages
    assert (details.message.id, details.message_status) == (message_id, "received")
    media = [(m.url, m.media_type, m.content_length_bytes, m.name, m.id) for m in details.media]
    assert media == [
        (photo.url, "image/png", len(PNG), "photo.png", photo.id),
        (song.url, "audio/mpeg", 103, "song.mp3", song.id),
    ]
    assert (photo.media_type, song.media_type) == ("Image", "Audio")

    read = gc.ConversationsApi(login(fake)).get_conversations_message_message(conv.id, message_id)
    assert (read.direction, read.status) == ("inbound", "received")
    assert read.normalized_message.text == "look"
    attachment = read.normalized_message.content[0].attachment
    assert (attachment.url, attachment.mime, attachment.sha256) == (
        photo.url,
        "image/png",
        photo.sha256,
    )


def test_user_topic_duplicate_events_and_ping(
    fake: FakeGenesysThread, conv: FakeConversation, notifications: gc.NotificationsApi
) -> None:
    channel = subscribed_channel(notifications, conv.user_topic)
    item = fake.host_media(PNG, "image/png", "p.png")

    async def scenario() -> list[Any]:
        async with aiohttp.ClientSession() as http, http.ws_connect(channel.connect_uri) as ws:
            await asyncio.to_thread(fake.wait_subscribed, conv.user_topic)
            await ws.send_str(json.dumps({"message": "ping"}))
            pong = await next_frame(ws, skip_heartbeats=False)
            fake.duplicate_next_event()
            fake.emit_inbound_media(conv, [item])
            fake.emit_inbound_media(conv, [item])
            return [pong] + [await next_frame(ws) for _ in range(3)]

    pong, first, again, other = asyncio.run(scenario())
    assert pong == {"topicName": "channel.metadata", "eventBody": {"message": "pong"}}
    assert first == again  # the same frame twice, CorrelationId included
    assert other["metadata"]["CorrelationId"] != first["metadata"]["CorrelationId"]
    assert {first["topicName"], other["topicName"]} == {conv.user_topic}


def test_socket_closing_then_close_and_abrupt_close(
    fake: FakeGenesysThread, conv: FakeConversation, notifications: gc.NotificationsApi
) -> None:
    channel = subscribed_channel(notifications, conv.queue_topic)

    async def scenario() -> tuple[Any, aiohttp.WSMsgType, aiohttp.WSMsgType]:
        async with aiohttp.ClientSession() as http:
            async with http.ws_connect(channel.connect_uri) as ws:
                await asyncio.to_thread(fake.wait_subscribed, conv.queue_topic)
                fake.send_socket_closing()
                closing = await next_frame(ws)
                closed = (await ws.receive(FRAME_TIMEOUT)).type
            async with http.ws_connect(channel.connect_uri) as ws:  # the channel still works
                await asyncio.to_thread(fake.wait_subscribed, conv.queue_topic)
                fake.close_sockets_abruptly()
                dropped = (await ws.receive(FRAME_TIMEOUT)).type
            return closing, closed, dropped

    closing, closed, dropped = asyncio.run(scenario())
    assert closing["topicName"] == "v2.system.socket_closing"
    assert closed == aiohttp.WSMsgType.CLOSE
    assert dropped in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR)
    assert not fake.subscribed(conv.queue_topic)


def test_expired_channels_answer_404(
    fake: FakeGenesysThread, conv: FakeConversation, notifications: gc.NotificationsApi
) -> None:
    channel = subscribed_channel(notifications, conv.queue_topic)

    async def scenario() -> tuple[aiohttp.WSMsgType, int]:
        async with aiohttp.ClientSession() as http:
            async with http.ws_connect(channel.connect_uri) as ws:
                await asyncio.to_thread(fake.wait_subscribed, conv.queue_topic)
                fake.expire_channels()
                closed = (await ws.receive(FRAME_TIMEOUT)).type
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await http.ws_connect(channel.connect_uri)
            return closed, refused.value.status

    closed, status = asyncio.run(scenario())
    assert (closed, status) == (aiohttp.WSMsgType.CLOSE, 404)
    for call in (
        lambda: notifications.put_notifications_channel_subscriptions(
            channel.id, topics(conv.queue_topic)
        ),
        lambda: notifications.get_notifications_channel_subscriptions(channel.id),
    ):
        with pytest.raises(ApiException) as gone:
            call()
        assert gone.value.status == 404
        assert json.loads(gone.value.body)["status"] == 404
    assert not fake.subscribed(conv.queue_topic)
    assert fake.count("channel_socket", 404) == 1


def test_wait_subscribed_times_out(fake: FakeGenesysThread) -> None:
    with pytest.raises(TimeoutError):
        fake.wait_subscribed("v2.users.nobody.conversations.messages", within=0.05)


# --- hosted media
async def fetch(url: str, **kwargs: Any) -> tuple[aiohttp.ClientResponse, bytes]:
    async with aiohttp.ClientSession() as http, http.get(url, **kwargs) as resp:
        return resp, await resp.read()


def test_media_normal_and_redirect(fake: FakeGenesysThread) -> None:
    plain = fake.host_media(PNG, "image/png", "a.png")
    hopping = fake.host_media(PNG, "image/png", "b.png", "redirect", hops=2)
    resp, body = asyncio.run(fetch(plain.url))
    assert (resp.status, resp.headers["Content-Type"], body) == (200, "image/png", PNG)
    assert resp.headers["Content-Length"] == str(len(PNG)) == str(plain.content_length)
    assert hashlib.sha256(body).hexdigest() == plain.sha256

    resp, body = asyncio.run(fetch(hopping.url))
    assert (resp.status, body, len(resp.history)) == (200, PNG, 2)
    assert [r.status for r in resp.history] == [302, 302]
    assert fake.media_gets(hopping.id) == 3  # every hop is a GET
    resp, _ = asyncio.run(fetch(hopping.url, allow_redirects=False))
    assert (resp.status, resp.headers["Location"]) == (302, f"/_media/{hopping.id}?hop=1")


def test_media_lying_length_and_no_length(fake: FakeGenesysThread) -> None:
    lying = fake.host_media(PNG, "image/png", "l.png", "lying_length", extra=100)
    chunked = fake.host_media(PNG, "image/png", "c.png", "no_length")

    async def short_read() -> tuple[str, int]:
        async with aiohttp.ClientSession() as http, http.get(lying.url) as resp:
            declared = resp.headers["Content-Length"]
            got = 0
            with pytest.raises(aiohttp.ClientPayloadError):
                async for chunk in resp.content.iter_any():
                    got += len(chunk)
            return declared, got

    declared, got = asyncio.run(short_read())
    assert (declared, got) == (str(len(PNG) + 100), len(PNG))
    resp, body = asyncio.run(fetch(chunked.url))
    assert body == PNG
    assert "Content-Length" not in resp.headers
    assert resp.headers["Transfer-Encoding"] == "chunked"


def test_media_slow_arrives_in_pieces(fake: FakeGenesysThread) -> None:
    slow = fake.host_media(PNG, "image/png", "s.png", "slow", pieces=4, delay=0.05)

    async def timed() -> tuple[bytes, float]:
        loop = asyncio.get_running_loop()
        async with aiohttp.ClientSession() as http, http.get(slow.url) as resp:
            assert resp.headers["Content-Length"] == str(len(PNG))
            started = loop.time()
            body = await resp.read()
            return body, loop.time() - started

    body, took = asyncio.run(timed())
    assert body == PNG
    assert took >= 3 * 0.05 * 0.9  # three pauses between four pieces (a lower bound only)


@pytest.mark.parametrize(
    ("behaviour", "status"), [("status_429_then_ok", 429), ("status_500_then_ok", 500)]
)
def test_media_refused_then_ok(fake: FakeGenesysThread, behaviour: str, status: int) -> None:
    item = fake.host_media(PNG, "image/png", "r.png", behaviour, times=2)
    for _ in range(2):
        resp, body = asyncio.run(fetch(item.url))
        error = json.loads(body)
        assert (resp.status, error["status"]) == (status, status)
        assert set(error) >= {"message", "code", "status"}
        if status == 429:
            assert resp.headers["Retry-After"] == "0"
            assert error["code"] == "too.many.requests.retry.after"
    resp, body = asyncio.run(fetch(item.url))
    assert (resp.status, body) == (200, PNG)
    assert fake.media_gets(item.id) == 3
    assert [c.status for c in fake.calls if c.op == "hosted_media"] == [status, status, 200]


def test_media_endless_until_the_client_leaves(fake: FakeGenesysThread) -> None:
    endless = fake.host_media(PNG, "image/png", "e.png", "endless")
    limit = 1024 * 1024

    async def read_some() -> int:
        got = 0
        async with aiohttp.ClientSession() as http, http.get(endless.url) as resp:
            assert "Content-Length" not in resp.headers
            async for chunk in resp.content.iter_any():
                got += len(chunk)
                if got >= limit:
                    break
        return got

    assert asyncio.run(read_some()) >= limit
    after = fake.host_media(PNG, "image/png", "after.png")
    assert asyncio.run(fetch(after.url))[1] == PNG  # the fake is still serving
    assert fake.media_gets(endless.id) == 1


def test_media_faults_and_unknown(fake: FakeGenesysThread) -> None:
    item = fake.host_media(PNG, "image/png", "f.png")
    fake.fail("hosted_media", 503)
    assert asyncio.run(fetch(item.url))[0].status == 503
    assert asyncio.run(fetch(item.url))[0].status == 200
    assert asyncio.run(fetch(f"{fake.base_url}/_media/nope"))[0].status == 404
    with pytest.raises(ValueError, match="unknown behaviour"):
        fake.host_media(PNG, "image/png", "x.png", "sulky")


# --- participant attributes
def attributes_body(**values: Any) -> gc.ParticipantAttributes:
    body = gc.ParticipantAttributes()
    body.attributes = values
    return body


def test_participant_attributes_through_the_sdk(
    fake: FakeGenesysThread, conv: FakeConversation
) -> None:
    convs = gc.ConversationsApi(login(fake))
    pid = conv.customer_participant_id
    first = convs.patch_conversations_message_participant_attributes(
        conv.id, pid, body=attributes_body(mediagate_ref="a1", kind="photo")
    )
    assert first.attributes == {"mediagate_ref": "a1", "kind": "photo"}
    second = convs.patch_conversations_message_participant_attributes(
        conv.id, pid, body=attributes_body(kind="video")
    )
    assert second.attributes == {"mediagate_ref": "a1", "kind": "video"}
    assert fake.attributes(conv.id, pid) == {"mediagate_ref": "a1", "kind": "video"}
    writes = fake.attribute_writes()
    assert [(w.participant_id, w.attributes) for w in writes] == [
        (pid, {"mediagate_ref": "a1", "kind": "photo"}),
        (pid, {"kind": "video"}),
    ]
    assert writes[0].time <= writes[1].time
    customer = convs.get_conversation(conv.id).participants[0]
    assert customer.attributes == {"mediagate_ref": "a1", "kind": "video"}

    for conversation_id, participant_id, body, status in (
        (conv.id, pid, attributes_body(count=3), 400),
        (conv.id, "no-such-participant", attributes_body(a="b"), 404),
        ("no-such-conversation", pid, attributes_body(a="b"), 404),
    ):
        with pytest.raises(ApiException) as refused:
            convs.patch_conversations_message_participant_attributes(
                conversation_id, participant_id, body=body
            )
        assert refused.value.status == status
        assert json.loads(refused.value.body)["status"] == status
    assert len(fake.attribute_writes()) == 2


# --- the outbound webhook
class Receiver:
    """A webhook endpoint: records each POST's bytes and headers; answers `statuses` in turn."""

    def __init__(self) -> None:
        self.posts: list[tuple[bytes, dict[str, str]]] = []
        self.statuses: list[int] = []
        self.loop = LoopThread("webhook")
        self.runner = self.loop.run(self._start())

    async def _start(self) -> web.AppRunner:
        app = web.Application()
        app.router.add_post("/hook", self._hook)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        self.url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
        return runner

    async def _hook(self, request: web.Request) -> web.Response:
        self.posts.append((await request.read(), dict(request.headers)))
        return web.Response(status=self.statuses.pop(0) if self.statuses else 200)

    def close(self) -> None:
        self.loop.run(self.runner.cleanup())
        self.loop.close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    hook = Receiver()
    yield hook
    hook.close()


def verify(secret: str, body: bytes, header: str) -> bool:
    expected = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest())
    return hmac.compare_digest(header.encode(), b"sha256=" + expected)


def test_webhook_signed_retried_and_redelivered(
    fake: FakeGenesysThread, conv: FakeConversation, receiver: Receiver
) -> None:
    fake.configure_webhook(receiver.url, "hook-secret", retry_delay=0.01)
    item: MediaItem = fake.host_media(PNG, "image/png", "out.png")
    message = fake.outbound_message(conv, [item], text="here you go")
    receiver.statuses = [500, 503]
    assert fake.send_webhook(message, redeliveries=1) == [500, 503, 200, 200]
    bodies = {body for body, _ in receiver.posts}
    assert len(receiver.posts) == 4 and len(bodies) == 1  # the same bytes every time
    body = bodies.pop()
    assert json.loads(body) == message
    for _, headers in receiver.posts:
        assert headers["Content-Type"] == "application/json"
        assert verify("hook-secret", body, headers["X-Hub-Signature-256"])

    parsed = deserialize(message, "OpenNormalizedMessage")
    assert (parsed.type, parsed.direction, parsed.text) == ("Text", "Outbound", "here you go")
    assert (parsed.channel.platform, parsed.channel.type) == ("Open", "Private")
    assert parsed.channel.to.id == conv.from_id
    attachment = parsed.content[0].attachment
    assert (attachment.media_type, attachment.url, attachment.mime, attachment.filename) == (
        "Image",
        item.url,
        "image/png",
        "out.png",
    )
    assert fake.message(message["id"]) is not None  # recorded as the agent's message

    receiver.statuses = [500] * 6
    assert fake.send_webhook(message) == [500] * 6  # the first try and 5 retries

    assert fake.send_webhook_raw(b'{"x": 1}', "sha256=forged") == 200
    assert fake.send_webhook_raw(b"{}", None) == 200
    (raw, forged), (_, unsigned) = receiver.posts[-2:]
    assert (raw, forged["X-Hub-Signature-256"]) == (b'{"x": 1}', "sha256=forged")
    assert "X-Hub-Signature-256" not in unsigned


def test_asyncio_api_heartbeat_knob_and_stop_with_open_socket() -> None:
    """FakeGenesys on the caller's loop: heartbeat_seconds in the constructor, wait_subscribed
    awaited, and stop() closing a socket the client never closed."""

    async def scenario() -> tuple[Any, aiohttp.WSMsgType]:
        fake = FakeGenesys(heartbeat_seconds=0.05)
        async with fake, aiohttp.ClientSession() as http:
            conv = fake.add_conversation()
            basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
            async with http.post(
                f"{fake.base_url}/oauth/token",
                data={"grant_type": "client_credentials"},
                headers={"Authorization": f"Basic {basic}"},
            ) as resp:
                auth = {"Authorization": f"Bearer {(await resp.json())['access_token']}"}
            async with http.post(
                f"{fake.base_url}/api/v2/notifications/channels", headers=auth
            ) as resp:
                channel = await resp.json()
            async with http.put(
                f"{fake.base_url}/api/v2/notifications/channels/{channel['id']}/subscriptions",
                json=[{"id": conv.user_topic}],
                headers=auth,
            ) as resp:
                assert (await resp.json()) == {"entities": [{"id": conv.user_topic}]}
            ws = await http.ws_connect(channel["connectUri"])
            await fake.wait_subscribed(conv.user_topic)
            beat = await next_frame(ws, skip_heartbeats=False)
            await fake.stop()
            closed = (await ws.receive(FRAME_TIMEOUT)).type
        return beat, closed

    beat, closed = asyncio.run(scenario())
    assert beat["eventBody"] == {"message": "WebSocket Heartbeat"}
    assert closed in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)


def test_inbound_http_control_routes(fake: FakeGenesysThread, conv: FakeConversation) -> None:
    def control(path: str, body: Any = None, method: str = "POST") -> Any:
        data = json.dumps(body).encode() if body is not None else None
        resp = HTTP.request(method, fake.base_url + path, body=data)
        assert resp.status < 300, resp.data
        return json.loads(resp.data)

    item = control(
        "/_fake/media",
        {"data_base64": base64.b64encode(PNG).decode(), "mime": "image/png", "name": "h.png"},
    )
    assert (item["media_type"], item["content_length"]) == ("Image", len(PNG))
    assert HTTP.request("GET", item["url"]).data == PNG
    assert control(f"/_fake/media/{item['id']}/gets", method="GET") == {"gets": 1}
    emitted = control(f"/_fake/conversations/{conv.id}/inbound_media", {"media_ids": [item["id"]]})
    held = fake.message(emitted["messageId"])
    assert held is not None and held.attachments[0].url == item["url"]
    control("/_fake/notifications/heartbeat", {"seconds": 1})
    control("/_fake/notifications/expire_channels")
    assert HTTP.request("POST", fake.base_url + "/_fake/notifications/nap").status == 400
    assert not [c for c in fake.calls if c.path.startswith("/_fake/")]
