"""The inbound side of the fake: notification channels and their websocket, media files for
inbound messages, participant attributes, and the Open Messaging outbound webhook.

`InboundMixin` is mixed into FakeGenesys; its routes go through FakeGenesys's middleware, so
faults and the call log apply to them like to any other route (op names in ROUTES below).

What is real here (PureCloudPlatformClientV2 269.0.0, NotificationsApi and the models named in
the docstrings), and where the fake simplifies:

- `POST /api/v2/notifications/channels` -> Channel {connectUri, id, expires}. The connectUri is
  `ws://<fake>/channels/{id}` (the real one is `wss://streaming.<domain>/channels/{id}`); the
  socket needs no token, as the real one (the channel id is the secret). Channels live 24 h.
- `GET|PUT|POST|DELETE /api/v2/notifications/channels/{channelId}/subscriptions`: PUT replaces
  the topic set, POST adds to it, DELETE empties it; replies are ChannelTopicEntityListing
  `{"entities": [{"id": topic}]}`. Any topic starting with `v2.` is accepted (the platform checks
  topic names and permissions; the fake does not); at most 1000 per channel.
- Frames are `{"topicName", "version": "2", "eventBody", "metadata": {"CorrelationId"}}`;
  heartbeats are `{"topicName": "channel.metadata", "eventBody": {"message": "WebSocket
  Heartbeat"}}` every `heartbeat_seconds`; a client text frame `{"message": "ping"}` is answered
  with a `channel.metadata` `{"message": "pong"}` frame, as the platform does.
- `GET /_media/{id}` serves the files of `host_media` (the platform's media storage role).
- `PATCH /api/v2/conversations/messages/{conversationId}/participants/{participantId}/attributes`
  merges `{"attributes": {str: str}}` and answers ParticipantAttributes with the merged set (the
  SDK declares that reply type; which keys the platform echoes is not documented).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import time
from dataclasses import asdict, dataclass
from typing import Any

import aiohttp
from aiohttp import web

from .faults import ApiError, S3Error, json_body
from .state import (
    CHANNEL_TTL_SECONDS,
    JSON,
    MAX_TOPICS_PER_CHANNEL,
    MEDIA_BEHAVIOURS,
    Attachment,
    AttributeWrite,
    Channel,
    FakeConversation,
    HostedMedia,
    MediaItem,
    Message,
    State,
    iso,
    media_type_of,
    new_id,
)

CHANNELS = "/api/v2/notifications/channels"
SUBSCRIPTIONS = CHANNELS + "/{channelId}/subscriptions"
ATTRIBUTES = (
    "/api/v2/conversations/messages/{conversationId}/participants/{participantId}/attributes"
)
# Operation names (for faults and the call log) of the routes added here.
OPS = (
    "create_channel",
    "get_subscriptions",
    "put_subscriptions",
    "add_subscriptions",
    "delete_subscriptions",
    "channel_socket",
    "hosted_media",
    "patch_participant_attributes",
)
HEARTBEAT = {"topicName": "channel.metadata", "eventBody": {"message": "WebSocket Heartbeat"}}
SOCKET_CLOSING = "v2.system.socket_closing"
WEBHOOK_TIMEOUT_SECONDS = 10.0
WEBHOOK_RETRIES = 5
STREAM_CHUNK = 64 * 1024


def frame(topic: str, body: JSON) -> str:
    """One notification frame as the streaming service writes it."""
    return json.dumps(
        {
            "topicName": topic,
            "version": "2",
            "eventBody": body,
            "metadata": {"CorrelationId": new_id()},
        }
    )


def signature_of(secret: str, body: bytes) -> str:
    """The X-Hub-Signature-256 value: `sha256=` + base64 of HMAC-SHA256(secret, body)."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return "sha256=" + base64.b64encode(digest).decode()


class Socket:
    """One connected websocket of a channel; everything it sends goes through `queue`, in order:
    a str is a frame, a float a pause (seconds), None closes the socket."""

    def __init__(self, channel_id: str, ws: web.WebSocketResponse, request: web.Request) -> None:
        self.channel_id = channel_id
        self.ws = ws
        self.request = request
        self.queue: asyncio.Queue[str | None] = asyncio.Queue()
        self.pump: asyncio.Task[None] | None = None
        self.heartbeat: asyncio.Task[None] | None = None

    def send(self, text: str) -> None:
        self.queue.put_nowait(text)


@dataclass
class Webhook:
    url: str
    secret: str
    retry_delay: float


class InboundMixin:
    """Notification channels, hosted media, participant attributes and the outbound webhook.

    Like the rest of FakeGenesys, every method must run on the fake's event loop.
    """

    state: State
    base_url: str
    _tasks: set[asyncio.Task[None]]

    def _init_inbound(self, heartbeat_seconds: float) -> None:
        self._heartbeat_default = heartbeat_seconds
        self._heartbeat_seconds = heartbeat_seconds
        self._sockets: dict[str, set[Socket]] = {}
        self._duplicate_next = False
        self._waiters: list[asyncio.Future[None]] = []
        self._webhook: Webhook | None = None

    def _inbound_routes(self, r: web.UrlDispatcher) -> None:
        r.add_post(CHANNELS, self._create_channel, name="create_channel")
        r.add_get(SUBSCRIPTIONS, self._get_subscriptions, name="get_subscriptions")
        r.add_put(SUBSCRIPTIONS, self._put_subscriptions, name="put_subscriptions")
        r.add_post(SUBSCRIPTIONS, self._add_subscriptions, name="add_subscriptions")
        r.add_delete(SUBSCRIPTIONS, self._delete_subscriptions, name="delete_subscriptions")
        r.add_get("/channels/{channelId}", self._channel_socket, name="channel_socket")
        r.add_get("/_media/{mediaId}", self._hosted_media, name="hosted_media", allow_head=False)
        r.add_patch(ATTRIBUTES, self._patch_attributes, name="patch_participant_attributes")
        # Control routes (not logged, no token), for a fake running as its own process.
        r.add_post("/_fake/media", self._ctl_host_media)
        r.add_get("/_fake/media/{mediaId}/gets", self._ctl_media_gets)
        r.add_post("/_fake/conversations/{conversationId}/inbound_media", self._ctl_emit)
        r.add_post("/_fake/notifications/{action}", self._ctl_notifications)

    def _reset_inbound(self) -> None:
        self._duplicate_next = False
        self.state.attribute_writes.clear()
        self.heartbeat_every(self._heartbeat_default)

    async def _stop_inbound(self) -> None:
        for sock in self._all_sockets():
            for task in (sock.pump, sock.heartbeat):
                if task is not None:
                    task.cancel()
            try:
                await asyncio.wait_for(sock.ws.close(), 1.0)
            except (TimeoutError, ConnectionError):
                if sock.request.transport is not None:
                    sock.request.transport.abort()

    # --- notifications: control
    def heartbeat_every(self, seconds: float) -> None:
        """Heartbeat period for every socket, connected now or later (restarts their timers)."""
        if seconds <= 0:
            raise ValueError("seconds must be positive")
        self._heartbeat_seconds = seconds
        for sock in self._all_sockets():
            if sock.heartbeat is not None:
                sock.heartbeat.cancel()
            sock.heartbeat = self._spawn(self._beat(sock))

    def subscribed(self, topic: str) -> bool:
        """True when a socket is connected to a live channel subscribed to `topic`."""
        now = time.time()
        return any(
            topic in ch.topics and ch.expires > now and self._sockets.get(ch.id)
            for ch in self.state.channels.values()
        )

    async def wait_subscribed(self, topic: str, within: float = 5.0) -> None:
        """Return once `subscribed(topic)`; TimeoutError after `within` seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while not self.subscribed(topic):
            waiter: asyncio.Future[None] = loop.create_future()
            self._waiters.append(waiter)
            try:
                await asyncio.wait_for(waiter, max(0.0, deadline - loop.time()))
            except TimeoutError:
                raise TimeoutError(f"no socket subscribed to {topic} within {within} s") from None

    def duplicate_next_event(self) -> None:
        """The next emit_inbound_media sends each of its frames twice (same CorrelationId), as
        the platform's at-least-once delivery may."""
        self._duplicate_next = True

    def send_socket_closing(self, grace: float = 0.1) -> None:
        """Every socket gets a `v2.system.socket_closing` frame, then is closed `grace` later;
        events emitted within the grace still go out on it, as on the platform."""
        loop = asyncio.get_running_loop()
        for sock in self._all_sockets():
            sock.send(frame(SOCKET_CLOSING, {"message": "Socket closing"}))
            loop.call_later(grace, sock.queue.put_nowait, None)

    def close_sockets_abruptly(self) -> None:
        """Drop every socket's TCP connection: no socket_closing, no close frame."""
        for sock in self._all_sockets():
            transport = sock.request.transport
            if transport is not None:
                transport.abort()

    def expire_channels(self) -> None:
        """Every channel expires: forgotten (subscribe/connect answer 404), sockets closed."""
        self.state.channels.clear()
        for sock in self._all_sockets():
            sock.queue.put_nowait(None)
        self._changed()

    def emit_inbound_media(
        self,
        conversation: FakeConversation | str,
        items: list[MediaItem],
        text: str = "",
        topic: str | None = None,
    ) -> str:
        """A guest sent `items` (and `text`) into the conversation: record the message (so
        get_conversations_message_message returns it with normalizedMessage.content[].attachment)
        and push a message-conversation event to every socket subscribed to `topic`, or, when
        None, to the conversation's queue topic and its agent's user topic. Returns the message
        id. Nobody subscribed: the event is lost, as on the platform."""
        conv = self._conv(conversation)
        message = Message(
            id=new_id(),
            conversation_id=conv.id,
            direction="inbound",
            status="received",
            participant_id=conv.customer_participant_id,
            communication_id=conv.customer_communication_id,
            timestamp=time.time(),
            text=text or None,
            attachments=[_attachment(item) for item in items],
            sender={"id": conv.from_id, "idType": "Opaque"},
            recipient={"id": conv.integration_id},
        )
        self.state.add_message(message)
        body = self._event_body(conv, message)
        topics = {topic} if topic is not None else {conv.queue_topic, conv.user_topic}
        copies = 2 if self._duplicate_next else 1
        self._duplicate_next = False
        now = time.time()
        for channel in self.state.channels.values():
            if channel.expires <= now:
                continue
            for name in channel.topics:
                if name not in topics:
                    continue
                text_frame = frame(name, body)
                for sock in self._sockets.get(channel.id, ()):
                    for _ in range(copies):
                        sock.send(text_frame)
        return message.id

    def _event_body(self, conv: FakeConversation, message: Message) -> JSON:
        """QueueConversationMessageEventTopicMessageConversation. The platform's events carry
        each participant's recent messages; the fake models only the new one, on the customer
        participant, with `media[].mediaType` a MIME type (the model: "the internet media type
        of the media object"). The agent participant carries the queue and the user."""
        start = iso(conv.start_time)
        details: JSON = {
            "message": {"id": message.id},
            "messageTime": iso(message.timestamp),
            "messageStatus": "received",
            "media": [
                {
                    "url": a.url,
                    "mediaType": a.mime,
                    "contentLengthBytes": a.content_size_bytes,
                    "name": a.filename,
                    "id": a.id,
                }
                for a in message.attachments
            ],
        }
        common: JSON = {"startTime": start, "connectedTime": start, "state": "connected"}
        customer: JSON = {
            "id": conv.customer_participant_id,
            "address": conv.from_id,
            **common,
            "purpose": "customer",
            "direction": "inbound",
            "held": False,
            "attributes": self.attributes(conv.id, conv.customer_participant_id),
            "type": "open",
            "messages": [details],
        }
        agent: JSON = {
            "id": conv.agent_participant_id,
            **common,
            "purpose": "agent",
            "direction": "outbound",
            "held": False,
            "user": {"id": conv.user_id},
            "queue": {"id": conv.queue_id},
            "attributes": self.attributes(conv.id, conv.agent_participant_id),
            "type": "open",
            "messages": [],
        }
        return {"id": conv.id, "participants": [customer, agent]}

    # --- notifications: routes
    def _live_channel(self, request: web.Request) -> Channel:
        channel_id = request.match_info["channelId"]
        channel = self.state.channels.get(channel_id)
        if channel is None or channel.expires <= time.time():
            raise ApiError(404, f"Channel {channel_id} was not found.", "not.found")
        return channel

    async def _create_channel(self, request: web.Request) -> web.StreamResponse:
        channel = Channel(id=new_id(), expires=time.time() + CHANNEL_TTL_SECONDS)
        self.state.channels[channel.id] = channel
        ws_base = "ws" + self.base_url.removeprefix("http")
        return web.json_response(
            {
                "connectUri": f"{ws_base}/channels/{channel.id}",
                "id": channel.id,
                "expires": iso(channel.expires),
            }
        )

    @staticmethod
    def _topics_json(channel: Channel) -> JSON:
        return {"entities": [{"id": t} for t in channel.topics]}

    async def _get_subscriptions(self, request: web.Request) -> web.StreamResponse:
        return web.json_response(self._topics_json(self._live_channel(request)))

    async def _topics_of(self, request: web.Request) -> list[str]:
        body = await json_body(request)
        if not isinstance(body, list):
            raise ApiError(400, "The body must be a list of ChannelTopic objects.")
        topics: list[str] = []
        for index, entry in enumerate(body):
            topic = entry.get("id") if isinstance(entry, dict) else None
            if not isinstance(topic, str) or not topic.startswith("v2."):
                raise ApiError(400, f"body[{index}].id must be a topic name such as v2.users...")
            if topic not in topics:
                topics.append(topic)
        return topics

    def _set_topics(self, channel: Channel, topics: list[str]) -> web.StreamResponse:
        if len(topics) > MAX_TOPICS_PER_CHANNEL:
            raise ApiError(400, f"A channel has at most {MAX_TOPICS_PER_CHANNEL} topics.")
        channel.topics = topics
        self._changed()
        return web.json_response(self._topics_json(channel))

    async def _put_subscriptions(self, request: web.Request) -> web.StreamResponse:
        channel = self._live_channel(request)
        return self._set_topics(channel, await self._topics_of(request))

    async def _add_subscriptions(self, request: web.Request) -> web.StreamResponse:
        channel = self._live_channel(request)
        added = [t for t in await self._topics_of(request) if t not in channel.topics]
        return self._set_topics(channel, channel.topics + added)

    async def _delete_subscriptions(self, request: web.Request) -> web.StreamResponse:
        channel = self._live_channel(request)
        self._set_topics(channel, [])
        return web.Response(status=204)

    async def _channel_socket(self, request: web.Request) -> web.StreamResponse:
        channel = self._live_channel(request)
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        sock = Socket(channel.id, ws, request)
        self._sockets.setdefault(channel.id, set()).add(sock)
        sock.pump = self._spawn(self._pump(sock))
        sock.heartbeat = self._spawn(self._beat(sock))
        self._changed()
        try:
            async for msg in ws:
                if msg.type == aiohttp.WSMsgType.TEXT and _is_ping(msg.data):
                    sock.send(json.dumps({"topicName": "channel.metadata",
                                          "eventBody": {"message": "pong"}}))  # fmt: skip
        finally:
            for task in (sock.pump, sock.heartbeat):
                if task is not None:
                    task.cancel()
            self._sockets.get(channel.id, set()).discard(sock)
            self._changed()
        return ws

    async def _pump(self, sock: Socket) -> None:
        try:
            while True:
                item = await sock.queue.get()
                if item is None:
                    await sock.ws.close()
                    return
                await sock.ws.send_str(item)
        except ConnectionError:
            return

    async def _beat(self, sock: Socket) -> None:
        while True:
            await asyncio.sleep(self._heartbeat_seconds)
            sock.send(json.dumps(HEARTBEAT))

    # --- hosted media
    def host_media(
        self, data: bytes, mime: str, name: str, behaviour: str = "normal", **options: Any
    ) -> MediaItem:
        """Serve `data` at `GET /_media/{id}` with `Content-Type: mime`, behaving as asked:

        - normal: 200 with Content-Length
        - redirect: 302 -> ... -> 200; `hops` (default 1) redirects first (`?hop=n` in the URL)
        - lying_length: Content-Length `extra` (default 10) bytes more than sent; then closed
        - no_length: chunked, no Content-Length
        - slow: Content-Length, sent in `pieces` (default 4) with `delay` (default 0.1) s between
        - status_429_then_ok: the first `times` (default 1) GETs answer 429, `Retry-After: 0`,
          the platform's JSON error body; then 200
        - status_500_then_ok: likewise with a 500 JSON error body
        - endless: chunked `chunk`-byte pieces (default 64 KiB, repeating `data`) until the
          client goes away
        """
        if behaviour not in MEDIA_BEHAVIOURS:
            raise ValueError(
                f"unknown behaviour {behaviour!r}; one of {', '.join(MEDIA_BEHAVIOURS)}"
            )
        if behaviour == "endless" and not data:
            raise ValueError("endless needs some data to repeat")
        media_id = new_id()
        item = MediaItem(
            id=media_id,
            url=f"{self.base_url}/_media/{media_id}",
            media_type=media_type_of(mime),
            content_length=len(data),
            name=name,
            mime=mime,
            sha256=hashlib.sha256(data).hexdigest(),
        )
        refusals = int(options.get("times", 1)) if behaviour.endswith("_then_ok") else 0
        self.state.hosted[media_id] = HostedMedia(item, data, behaviour, dict(options), 0, refusals)
        return item

    def media_gets(self, media_id: str) -> int:
        """How many GETs `/_media/{media_id}` received (each redirect hop and refusal counts)."""
        hosted = self.state.hosted.get(media_id)
        if hosted is None:
            raise KeyError(f"no hosted media {media_id}")
        return hosted.gets

    async def _hosted_media(self, request: web.Request) -> web.StreamResponse:
        hosted = self.state.hosted.get(request.match_info["mediaId"])
        if hosted is None:
            raise S3Error(404, "NoSuchKey", "The specified key does not exist.")
        hosted.gets += 1
        item, data, opts = hosted.item, hosted.data, hosted.options
        kind = hosted.behaviour
        if kind == "redirect":
            hop = int(request.query.get("hop", "0"))
            if hop < int(opts.get("hops", 1)):
                location = f"/_media/{item.id}?hop={hop + 1}"
                return web.Response(status=302, headers={"Location": location})
        if hosted.refusals_left > 0:
            hosted.refusals_left -= 1
            if kind == "status_429_then_ok":
                raise ApiError(
                    429,
                    "Rate limit exceeded the maximum. Retry the request in [0] seconds",
                    "too.many.requests.retry.after",
                    headers={"Retry-After": "0"},
                )
            raise ApiError(500, "The media service failed on purpose (500).")
        headers = {"Content-Type": item.mime}
        if kind not in ("lying_length", "no_length", "slow", "endless"):
            return web.Response(body=data, headers=headers)
        resp = web.StreamResponse(headers=headers)
        if kind == "lying_length":
            resp.content_length = len(data) + int(opts.get("extra", 10))
            resp.force_close()
        elif kind == "slow":
            resp.content_length = len(data)
        else:
            resp.enable_chunked_encoding()
        await resp.prepare(request)
        try:
            if kind == "slow":
                pieces = max(1, int(opts.get("pieces", 4)))
                size = -(-len(data) // pieces) or 1
                for start in range(0, len(data), size):
                    if start:
                        await asyncio.sleep(float(opts.get("delay", 0.1)))  # the behaviour
                    await resp.write(data[start : start + size])
            elif kind == "endless":
                size = int(opts.get("chunk", STREAM_CHUNK))
                block = (data * (size // len(data) + 1))[:size]
                while True:
                    await resp.write(block)
            else:
                await resp.write(data)
            if kind != "lying_length":
                await resp.write_eof()
        except ConnectionError:
            pass  # the client went away
        return resp

    # --- control routes (/_fake/)
    async def _ctl_host_media(self, request: web.Request) -> web.StreamResponse:
        """Body {"data_base64", "mime", "name", "behaviour"?, "options"?} -> the MediaItem."""
        spec = await request.json()
        item = self.host_media(
            base64.b64decode(spec["data_base64"]),
            str(spec["mime"]),
            str(spec["name"]),
            str(spec.get("behaviour", "normal")),
            **dict(spec.get("options") or {}),
        )
        return web.json_response(asdict(item), status=201)

    async def _ctl_media_gets(self, request: web.Request) -> web.StreamResponse:
        return web.json_response({"gets": self.media_gets(request.match_info["mediaId"])})

    async def _ctl_emit(self, request: web.Request) -> web.StreamResponse:
        """Body {"media_ids": [...], "text"?, "topic"?} -> {"messageId"}."""
        spec = await request.json()
        items = [self.state.hosted[m].item for m in spec.get("media_ids", [])]
        message_id = self.emit_inbound_media(
            request.match_info["conversationId"], items, spec.get("text", ""), spec.get("topic")
        )
        return web.json_response({"messageId": message_id}, status=201)

    async def _ctl_notifications(self, request: web.Request) -> web.StreamResponse:
        """/_fake/notifications/{heartbeat {"seconds"} | duplicate_next_event |
        socket_closing | close_sockets_abruptly | expire_channels}."""
        action = request.match_info["action"]
        spec = await request.json() if request.can_read_body else {}
        if action == "heartbeat":
            self.heartbeat_every(float(spec["seconds"]))
        elif action == "duplicate_next_event":
            self.duplicate_next_event()
        elif action == "socket_closing":
            self.send_socket_closing(float(spec.get("grace", 0.1)))
        elif action == "close_sockets_abruptly":
            self.close_sockets_abruptly()
        elif action == "expire_channels":
            self.expire_channels()
        else:
            raise ValueError(f"unknown notifications action {action!r}")
        return web.json_response({"done": action})

    # --- participant attributes
    def attributes(self, conversation_id: str, participant_id: str) -> dict[str, str]:
        return dict(self.state.attributes.get((conversation_id, participant_id), {}))

    def attribute_writes(self) -> list[AttributeWrite]:
        return [
            AttributeWrite(w.conversation_id, w.participant_id, dict(w.attributes), w.time)
            for w in self.state.attribute_writes
        ]

    async def _patch_attributes(self, request: web.Request) -> web.StreamResponse:
        conv = self.state.conversations.get(request.match_info["conversationId"])
        if conv is None:
            raise ApiError(404, "The requested conversation could not be found.", "not.found")
        participant = request.match_info["participantId"]
        if participant not in (conv.customer_participant_id, conv.agent_participant_id):
            raise ApiError(404, f"Participant {participant} not found on conversation {conv.id}.")
        body = await json_body(request)
        attrs = body.get("attributes") if isinstance(body, dict) else None
        if not isinstance(attrs, dict):
            raise ApiError(400, "The body must be a ParticipantAttributes with an attributes map.")
        bad = sorted(k for k, v in attrs.items() if not isinstance(v, str))
        if bad:
            raise ApiError(400, f"Attribute values must be strings: {', '.join(bad)}.")
        merged = self.state.attributes.setdefault((conv.id, participant), {})
        merged.update(attrs)
        self.state.attribute_writes.append(
            AttributeWrite(conv.id, participant, dict(attrs), time.time())
        )
        return web.json_response({"attributes": dict(merged)})

    # --- Open Messaging outbound webhook
    def configure_webhook(self, url: str, secret: str, retry_delay: float = 0.2) -> None:
        """Where the Open Messaging integration's outbound messages go, and the shared secret."""
        self._webhook = Webhook(url, secret, retry_delay)

    def outbound_message(
        self, conversation: FakeConversation | str, items: list[MediaItem], text: str = ""
    ) -> JSON:
        """An agent sent `items` (and `text`) to the guest: recorded as an outbound message and
        rendered as the OpenNormalizedMessage the platform POSTs to the integration's webhook."""
        conv = self._conv(conversation)
        message = Message(
            id=new_id(),
            conversation_id=conv.id,
            direction="outbound",
            status="sent",
            participant_id=conv.agent_participant_id,
            communication_id=conv.communication_id,
            timestamp=time.time(),
            text=text or None,
            attachments=[_attachment(item) for item in items],
            sender={"id": conv.integration_id, "idType": "Opaque"},
            recipient={"id": conv.from_id, "idType": "Opaque"},
        )
        self.state.add_message(message)
        body: JSON = {
            "id": message.id,
            "channel": {
                "id": conv.integration_id,
                "platform": "Open",
                "type": "Private",
                "messageId": message.id,
                "to": {"id": conv.from_id, "idType": "Opaque"},
                "from": {"id": conv.integration_id, "idType": "Opaque", "nickname": "Agent"},
                "time": iso(message.timestamp),
            },
            "type": "Text",
            "direction": "Outbound",
        }
        if text:
            body["text"] = text
        if items:
            body["content"] = [
                {
                    "contentType": "Attachment",
                    "attachment": {
                        "id": item.id,
                        "mediaType": item.media_type,
                        "url": item.url,
                        "mime": item.mime,
                        "filename": item.name,
                    },
                }
                for item in items
            ]
        return body

    async def send_webhook(self, message: JSON, redeliveries: int = 0) -> list[int]:
        """POST `message` (signed) to the configured webhook, then the same bytes `redeliveries`
        more times; each delivery retries a non-2xx (or unreachable: status 0) up to 5 times,
        `retry_delay` apart. Returns every attempt's status in order."""
        hook = self._need_webhook()
        body = json.dumps(message).encode()
        signature = signature_of(hook.secret, body)
        statuses: list[int] = []
        timeout = aiohttp.ClientTimeout(total=WEBHOOK_TIMEOUT_SECONDS)
        async with aiohttp.ClientSession(timeout=timeout) as http:
            for _ in range(1 + redeliveries):
                for attempt in range(1 + WEBHOOK_RETRIES):
                    if attempt:
                        await asyncio.sleep(hook.retry_delay)  # the platform's retry pause
                    status = await _post(http, hook.url, body, signature)
                    statuses.append(status)
                    if 200 <= status < 300:
                        break
        return statuses

    async def send_webhook_raw(self, body: bytes, signature: str | None) -> int:
        """One POST of `body` to the webhook with the given X-Hub-Signature-256 (or none)."""
        hook = self._need_webhook()
        timeout = aiohttp.ClientTimeout(total=WEBHOOK_TIMEOUT_SECONDS)
        async with aiohttp.ClientSession(timeout=timeout) as http:
            return await _post(http, hook.url, body, signature)

    def _need_webhook(self) -> Webhook:
        if self._webhook is None:
            raise RuntimeError("configure_webhook(url, secret) first")
        return self._webhook

    # --- helpers
    def _conv(self, conversation: FakeConversation | str) -> FakeConversation:
        conv_id = conversation if isinstance(conversation, str) else conversation.id
        conv = self.state.conversations.get(conv_id)
        if conv is None:
            raise KeyError(f"no conversation {conv_id}")
        return conv

    def _all_sockets(self) -> list[Socket]:
        return [s for socks in self._sockets.values() for s in socks]

    def _spawn(self, coro: Any) -> asyncio.Task[None]:
        task: asyncio.Task[None] = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _changed(self) -> None:
        """Subscriptions or sockets changed: wake wait_subscribed."""
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)


def _attachment(item: MediaItem) -> Attachment:
    return Attachment(
        id=item.id,
        media_type=item.media_type,
        url=item.url,
        mime=item.mime,
        filename=item.name,
        sha256=item.sha256,
        content_size_bytes=item.content_length,
    )


def _is_ping(data: str) -> bool:
    try:
        parsed = json.loads(data)
    except json.JSONDecodeError:
        return False
    return isinstance(parsed, dict) and parsed.get("message") == "ping"


async def _post(http: aiohttp.ClientSession, url: str, body: bytes, signature: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["X-Hub-Signature-256"] = signature
    try:
        async with http.post(url, data=body, headers=headers) as resp:
            await resp.read()
            return resp.status
    except (aiohttp.ClientError, TimeoutError):
        return 0
