"""The fake Genesys Cloud: aiohttp routes speaking the real REST API, and FakeGenesys around them.

Paths are those PureCloudPlatformClientV2 269.0.0 calls (apis/conversations_api.py), bodies use
its models' JSON names, so a client built on `ApiClient(host=fake.base_url)` works unchanged:
the SDK sends its login to `{host}/oauth/token` when the host has no `//api.` in it.

Besides the platform's routes there are two of the platform's "outside" pieces: the presigned
upload target `PUT /uploads/{mediaId}` (S3's role) and `GET /media/{mediaId}` (the download URL
of an uploaded media). Routes under `/_fake/` control the fake from another process; they are
never logged in `calls` and need no token.

The inbound side (notification channels and their websocket, hosted media at `/_media/{id}`,
participant attributes, the outbound webhook) lives in inbound.py, mixed into FakeGenesys.

Faults are armed per operation name (OPS); the one middleware applies them in the order
slow -> fail -> (auth, handler) -> fail_after_commit.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import copy
import hashlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from types import TracebackType

from aiohttp import web

from . import crawler, inbound
from .faults import ApiError, S3Error, fault_response, json_body
from .state import (
    JSON,
    MAX_MEDIA_BYTES,
    Attachment,
    Call,
    CrawlerFetch,
    FakeConversation,
    FaultRule,
    Media,
    Message,
    State,
    filename_problem,
    guess_mime,
    md5_problem,
    media_type_of,
    new_id,
)

# Operation names for faults and the call log (the route names below).
OPS = (
    "token",
    "get_conversation",
    "get_message_conversation",
    "create_media_upload",
    "put_upload",
    "get_media",
    "send_message",
    "inbound_open_message",
    "get_message",
    "bulk_messages",
    "download_media",
    *inbound.OPS,
)
FAULT_KINDS = (
    "fail",
    "slow",
    "fail_after_commit",
    "invalid_media",
    "crawler_unreachable",
    "crawl_before_reply",
    "media_valid_after",
)
MAX_BULK_IDS = 1000
CONV = "/api/v2/conversations/messages/{conversationId}"
COMM = CONV + "/communications/{communicationId}/messages"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _bearer(request: web.Request) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


class FakeGenesys(inbound.InboundMixin):
    """A local Genesys Cloud on 127.0.0.1; `async with FakeGenesys() as fake:`.

    All methods other than start/stop/crawled are plain and must be called on the fake's event
    loop (FakeGenesysThread does that for synchronous callers).
    """

    def __init__(
        self,
        client_id: str = "mediagate-test",
        client_secret: str = "s3cret",
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        token_ttl: float = 86400.0,
        media_valid_after: float = 0.2,
        heartbeat_seconds: float = 30.0,
    ) -> None:
        self.state = State(client_id, client_secret, token_ttl)
        self.state.media_valid_after = media_valid_after
        self._default_valid_after = media_valid_after
        self._host = host
        self._port = port
        self._runner: web.AppRunner | None = None
        self._crawl_done: dict[str, asyncio.Event] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self.base_url = ""
        self._init_inbound(heartbeat_seconds)
        self.app = self._build_app()

    # --- lifecycle
    async def start(self) -> None:
        self._runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://{self._host}:{port}"

    async def stop(self) -> None:
        await self._stop_inbound()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeGenesys:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # --- set-up and faults
    @property
    def integration_id(self) -> str:
        return self.state.integration_id

    def add_conversation(self, from_id: str | None = None) -> FakeConversation:
        return copy.copy(self.state.add_conversation(from_id=from_id))

    def fail(
        self,
        op: str,
        status: int,
        times: int = 1,
        retry_after: int | None = None,
        body: JSON | None = None,
        permission: str = "conversation:message:create",
    ) -> None:
        """The next `times` calls of `op` answer `status` (401 also invalidates the token used)."""
        self._arm(
            FaultRule(
                "fail",
                self._op(op),
                status=status,
                times=times,
                retry_after=retry_after,
                body=body,
                permission=permission,
            )
        )

    def slow(self, op: str, seconds: float, times: int = 1) -> None:
        """The next `times` calls of `op` are answered only after `seconds`."""
        self._arm(FaultRule("slow", self._op(op), seconds=seconds, times=times))

    def fail_after_commit(self, op: str, status: int = 500, times: int = 1) -> None:
        """The next `times` successful calls of `op` do their work but answer `status`."""
        self._arm(FaultRule("fail_after_commit", self._op(op), status=status, times=times))

    def invalid_media(self, times: int = 1) -> None:
        """The next `times` media whose PUT went well still end `invalid`."""
        self._arm(FaultRule("invalid_media", times=times))

    def crawler_unreachable(self, times: int = 1) -> None:
        """The crawler cannot reach the attachments of the next `times` inbound messages."""
        self._arm(FaultRule("crawler_unreachable", times=times))

    def crawl_before_reply(self, times: int = 1) -> None:
        """The crawler fetches the next `times` inbound messages' attachments before the post
        is answered (the platform's crawler is quick; it may finish first)."""
        self._arm(FaultRule("crawl_before_reply", times=times))

    def media_valid_after(self, seconds: float) -> None:
        """How long an uploaded media stays `uploading` after its PUT completed."""
        self.state.media_valid_after = seconds

    def expire_tokens(self) -> None:
        """Every issued token stops working (as if they all expired)."""
        self.state.tokens.clear()

    def reset(self) -> None:
        """Forget faults, calls, crawler fetches, tokens, attribute writes and a pending
        duplicate_next_event; the heartbeat period returns to the constructor's. Conversations,
        messages, attributes, hosted media, channels and connected sockets stay."""
        self.state.faults.clear()
        self.state.calls.clear()
        self.state.crawler_fetches.clear()
        self.state.tokens.clear()
        self.state.media_valid_after = self._default_valid_after
        self._reset_inbound()

    def add_fault(self, spec: JSON) -> None:
        """Arm a fault from its JSON form (the /_fake/faults body)."""
        kind = spec.get("kind")
        times = int(spec.get("times", 1))
        if kind == "fail":
            self.fail(
                str(spec["op"]),
                int(spec["status"]),
                times,
                spec.get("retry_after"),
                spec.get("body"),
                str(spec.get("permission", "conversation:message:create")),
            )
        elif kind == "slow":
            self.slow(str(spec["op"]), float(spec["seconds"]), times)
        elif kind == "fail_after_commit":
            self.fail_after_commit(str(spec["op"]), int(spec.get("status", 500)), times)
        elif kind == "invalid_media":
            self.invalid_media(times)
        elif kind == "crawler_unreachable":
            self.crawler_unreachable(times)
        elif kind == "media_valid_after":
            self.media_valid_after(float(spec["seconds"]))
        else:
            raise ValueError(f"unknown fault kind {kind!r}; one of {', '.join(FAULT_KINDS)}")

    def _arm(self, rule: FaultRule) -> None:
        self.state.faults.add(rule)

    @staticmethod
    def _op(op: str) -> str:
        if op not in OPS:
            raise ValueError(f"unknown operation {op!r}; one of {', '.join(OPS)}")
        return op

    # --- queries
    @property
    def calls(self) -> list[Call]:
        return list(self.state.calls)

    def count(self, op: str, status: int | None = None) -> int:
        return sum(
            1 for c in self.state.calls if c.op == op and (status is None or c.status == status)
        )

    def messages(self, conversation_id: str) -> list[Message]:
        """The messages the platform holds for a conversation, oldest first (copies)."""
        return copy.deepcopy(self.state.conversation_messages(conversation_id))

    def message(self, message_id: str) -> Message | None:
        found = self.state.messages.get(message_id)
        return copy.deepcopy(found) if found is not None else None

    @property
    def crawler_fetches(self) -> list[CrawlerFetch]:
        return list(self.state.crawler_fetches)

    async def crawled(self, message_id: str, within: float = 15.0) -> Message:
        """Wait until the crawler has judged an inbound message; returns the message then."""
        event = self._crawl_done.get(message_id)
        if event is None:
            raise KeyError(f"no inbound message {message_id} with attachments")
        await asyncio.wait_for(event.wait(), within)
        found = self.message(message_id)
        assert found is not None
        return found

    # --- the app
    def _build_app(self) -> web.Application:
        app = web.Application(middlewares=[self._middleware], client_max_size=2 * 1024 * 1024)
        r = app.router
        r.add_post("/oauth/token", self._token, name="token")
        r.add_get("/api/v2/conversations/{conversationId}", self._get_conversation,
                  name="get_conversation")  # fmt: skip
        r.add_get(CONV, self._get_message_conversation, name="get_message_conversation")
        r.add_post(COMM + "/media/uploads", self._create_media_upload, name="create_media_upload")
        r.add_get(COMM + "/media/{mediaId}", self._get_media, name="get_media")
        r.add_post(COMM, self._send_message, name="send_message")
        r.add_post("/api/v2/conversations/messages/{integrationId}/inbound/open/message",
                   self._inbound_open_message, name="inbound_open_message")  # fmt: skip
        r.add_post(CONV + "/messages/bulk", self._bulk_messages, name="bulk_messages")
        r.add_get(CONV + "/messages/{messageId}", self._get_message, name="get_message")
        r.add_put("/uploads/{mediaId}", self._put_upload, name="put_upload")
        r.add_get("/media/{mediaId}", self._download_media, name="download_media")
        self._inbound_routes(r)
        r.add_post("/_fake/conversations", self._ctl_add_conversation)
        r.add_post("/_fake/faults", self._ctl_fault)
        r.add_get("/_fake/calls", self._ctl_calls)
        r.add_get("/_fake/crawler_fetches", self._ctl_crawler_fetches)
        r.add_get("/_fake/conversations/{conversationId}/messages", self._ctl_messages)
        r.add_post("/_fake/reset", self._ctl_reset)
        return app

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path.startswith("/_fake/"):
            try:
                return await handler(request)
            except (ValueError, KeyError, TypeError) as exc:
                return web.json_response({"error": str(exc)}, status=400)
        route = request.match_info.route
        op = route.name or "unknown"
        self.state.in_flight.append(request.path)
        try:
            response = await self._answer(request, handler, op)
        except web.HTTPException as exc:  # no such route / method
            response = ApiError(exc.status, exc.reason).response()
        finally:
            self.state.in_flight.remove(request.path)
        self.state.calls.append(
            Call(op, request.method, request.path, response.status, time.time())
        )
        return response

    async def _answer(self, request: web.Request, handler: Handler, op: str) -> web.StreamResponse:
        faults = self.state.faults
        slow = faults.take("slow", op)
        if slow is not None:
            await asyncio.sleep(slow.seconds)  # the delay is the fault itself
        failing = faults.take("fail", op)
        if failing is not None:
            token = _bearer(request)
            if failing.status == 401 and token is not None:
                self.state.tokens.pop(token, None)
            return fault_response(failing, op)
        try:
            if request.path.startswith("/api/v2/"):
                token = _bearer(request)
                if token is None or not self.state.token_ok(token):
                    raise ApiError(401, "Invalid login credentials.", "bad.credentials")
            response = await handler(request)
        except ApiError as exc:
            return exc.response()
        except S3Error as exc:
            return exc.response()
        if response.status < 400 and not response.prepared:  # not streamed/websocket replies
            after = faults.take("fail_after_commit", op)
            if after is not None:
                return fault_response(after, op)
        return response

    # --- helpers
    def _conversation(self, request: web.Request) -> FakeConversation:
        conv = self.state.conversations.get(request.match_info["conversationId"])
        if conv is None:
            raise ApiError(404, "The requested conversation could not be found.", "not.found")
        return conv

    def _communication(self, request: web.Request) -> tuple[FakeConversation, str, str]:
        conv = self._conversation(request)
        comm = request.match_info["communicationId"]
        owner = self.state.communications.get(comm)
        if owner is None or owner[0] != conv.id:
            raise ApiError(404, f"Communication {comm} not found on conversation {conv.id}.")
        return conv, comm, owner[1]

    # --- platform routes
    async def _token(self, request: web.Request) -> web.StreamResponse:
        scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
        try:
            user, _, secret = base64.b64decode(encoded).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            user, secret = "", ""
        if scheme.lower() != "basic" or (user, secret) != (
            self.state.client_id,
            self.state.client_secret,
        ):
            return web.json_response(
                {"error": "invalid_client", "description": "client authentication failed"},
                status=401,
            )
        form = await request.post()
        if form.get("grant_type") != "client_credentials":
            return web.json_response(
                {"error": "unsupported_grant_type", "description": "use client_credentials"},
                status=400,
            )
        token, ttl = self.state.issue_token()
        return web.json_response({"access_token": token, "token_type": "bearer", "expires_in": ttl})

    async def _get_conversation(self, request: web.Request) -> web.StreamResponse:
        return web.json_response(self.state.conversation_json(self._conversation(request)))

    async def _get_message_conversation(self, request: web.Request) -> web.StreamResponse:
        return web.json_response(self.state.message_conversation_json(self._conversation(request)))

    async def _create_media_upload(self, request: web.Request) -> web.StreamResponse:
        conv, comm, _ = self._communication(request)
        body = await json_body(request)
        if not isinstance(body, dict):
            raise ApiError(400, "The body must be an UploadMediaRequest object.")
        name = body.get("fileName")
        if not isinstance(name, str):
            raise ApiError(400, "fileName is required")
        problem = filename_problem(name)
        if problem:
            raise ApiError(400, problem)
        length = body.get("contentLengthBytes")
        if not isinstance(length, int) or isinstance(length, bool) or length <= 0:
            raise ApiError(400, "contentLengthBytes must be a positive integer")
        if length > MAX_MEDIA_BYTES:
            raise ApiError(400, f"contentLengthBytes exceeds the {MAX_MEDIA_BYTES} byte limit")
        md5 = body.get("contentMd5")
        if md5 is not None:
            problem = md5_problem(md5) if isinstance(md5, str) else "contentMd5 must be a string"
            if problem:
                raise ApiError(400, problem)
        media_id = new_id()
        headers = {"Content-Type": "application/octet-stream", "x-amz-meta-media-id": media_id}
        if md5 is not None:
            headers["Content-MD5"] = md5
        media = Media(
            id=media_id,
            conversation_id=conv.id,
            communication_id=comm,
            name=name,
            content_length=length,
            content_md5=md5,
            upload_headers=headers,
            mime=guess_mime(name),
        )
        self.state.media[media_id] = media
        return web.json_response(
            {
                "id": media_id,
                "name": name,
                "uploadUrl": f"{self.base_url}/uploads/{media_id}",
                "uploadHeaders": headers,
                "selfUri": f"/api/v2/conversations/messages/{conv.id}/communications/{comm}"
                f"/messages/media/{media_id}",
            }
        )

    async def _put_upload(self, request: web.Request) -> web.StreamResponse:
        media = self.state.media.get(request.match_info["mediaId"])
        if media is None:
            raise S3Error(404, "NoSuchUpload", "The specified upload does not exist.")
        if media.put_done:
            raise S3Error(409, "OperationAborted", "This upload URL has already been used.")

        def refuse(status: int, code: str, message: str) -> S3Error:
            media.failed = f"{code}: {message}"
            return S3Error(status, code, message)

        for name, value in media.upload_headers.items():
            got = request.headers.get(name)
            if got != value:
                raise refuse(
                    400, "InvalidRequest", f"Header {name} must be {value!r}, got {got!r}."
                )
        declared = request.headers.get("Content-Length")
        if declared is None:
            raise refuse(411, "MissingContentLength", "You must provide the Content-Length header.")
        if declared != str(media.content_length):
            raise refuse(
                400,
                "InvalidRequest",
                f"Content-Length {declared} != the promised {media.content_length} bytes.",
            )
        digest = hashlib.md5()
        data = bytearray()
        async for chunk in request.content.iter_chunked(64 * 1024):
            data += chunk
            digest.update(chunk)
            if len(data) > media.content_length:
                break
        if len(data) != media.content_length:
            raise refuse(400, "IncompleteBody", f"Got {len(data)} of {media.content_length} bytes.")
        if (
            media.content_md5 is not None
            and base64.b64encode(digest.digest()).decode() != media.content_md5
        ):
            raise refuse(400, "BadDigest", "The Content-MD5 you specified did not match.")
        media.body = bytes(data)
        media.end_invalid = self.state.faults.take("invalid_media") is not None
        media.ready_at = time.monotonic() + self.state.media_valid_after
        return web.Response(status=200, headers={"ETag": f'"{digest.hexdigest()}"'})

    async def _download_media(self, request: web.Request) -> web.StreamResponse:
        media = self.state.media.get(request.match_info["mediaId"])
        if media is None or media.status(time.monotonic()) != "valid":
            raise S3Error(404, "NoSuchKey", "The specified key does not exist.")
        return web.Response(body=media.body, content_type=media.mime)

    async def _get_media(self, request: web.Request) -> web.StreamResponse:
        conv, comm, _ = self._communication(request)
        media = self.state.media.get(request.match_info["mediaId"])
        if media is None or media.conversation_id != conv.id or media.communication_id != comm:
            raise ApiError(404, "The requested media could not be found.", "not.found")
        return web.json_response(self.state.media_json(media, self.base_url))

    async def _send_message(self, request: web.Request) -> web.StreamResponse:
        conv, comm, participant = self._communication(request)
        body = await json_body(request)
        if not isinstance(body, dict):
            raise ApiError(400, "The body must be an AdditionalMessage object.")
        text = body.get("textBody")
        media_ids = body.get("mediaIds") or []
        template = body.get("messagingTemplate")
        if not isinstance(media_ids, list) or not all(isinstance(m, str) for m in media_ids):
            raise ApiError(400, "mediaIds must be a list of media ids")
        if text is not None and not isinstance(text, str):
            raise ApiError(400, "textBody must be a string")
        kinds = (1 if text else 0) + len(media_ids) + (1 if template else 0)
        if kinds != 1:
            raise ApiError(
                400,
                "Only one message body field can be accepted, per request: one textBody, one "
                f"mediaId or one messagingTemplate (this request has {kinds}).",
            )
        if template:
            raise ApiError(400, "messagingTemplate is not supported by the fake platform.")
        attachments: list[Attachment] = []
        for media_id in media_ids:
            media = self.state.media.get(media_id)
            if media is None or media.conversation_id != conv.id:
                raise ApiError(400, f"Media {media_id} was not found on this conversation.")
            status = media.status(time.monotonic())
            if status != "valid":
                raise ApiError(400, f"Media {media_id} is not valid (status: {status}).")
            attachments.append(
                Attachment(
                    id=media.id,
                    media_type=media_type_of(media.mime),
                    url=f"{self.base_url}/media/{media.id}",
                    mime=media.mime,
                    filename=media.name,
                    sha256=hashlib.sha256(media.body).hexdigest(),
                    content_size_bytes=media.content_length,
                )
            )
        message = Message(
            id=new_id(),
            conversation_id=conv.id,
            direction="outbound",
            status="sent",
            participant_id=participant,
            communication_id=comm,
            timestamp=time.time(),
            text=text or None,
            attachments=attachments,
            media_ids=list(media_ids),
            sender={"id": conv.integration_id, "idType": "Opaque"},
            recipient={"id": conv.from_id, "idType": "Opaque"},
        )
        self.state.add_message(message)
        return web.json_response(message.to_json(self.base_url))

    async def _inbound_open_message(self, request: web.Request) -> web.StreamResponse:
        integration_id = request.match_info["integrationId"]
        if integration_id not in self.state.integrations:
            raise ApiError(404, f"Integration {integration_id} not found.", "not.found")
        body = await json_body(request)
        if not isinstance(body, dict) or not isinstance(body.get("channel"), dict):
            raise ApiError(400, "The body must be an OpenInboundNormalizedMessage with a channel.")
        channel: JSON = body["channel"]
        sender = channel.get("from")
        if not isinstance(sender, dict) or not sender.get("id"):
            raise ApiError(400, "channel.from.id is required.")
        text = body.get("text")
        content = body.get("content") or []
        if not isinstance(content, list):
            raise ApiError(400, "content must be a list")
        attachments: list[Attachment] = []
        targets: list[crawler.Target] = []
        for index, item in enumerate(content):
            att = item.get("attachment") if isinstance(item, dict) else None
            if not isinstance(att, dict) or not att.get("url") or not att.get("mime"):
                raise ApiError(400, f"content[{index}].attachment needs at least url and mime.")
            att_id = str(att.get("id") or new_id())
            attachment = Attachment(
                id=att_id,
                media_type=str(att.get("mediaType") or media_type_of(att["mime"])),
                url=att["url"],
                mime=att["mime"],
                filename=att.get("filename"),
                sha256=att.get("sha256"),
                text=att.get("text"),
                thumbnail=att.get("thumbnail"),
            )
            attachments.append(attachment)
            targets.append(
                crawler.Target(f"attachment {att_id}", att["url"], att["mime"], att.get("sha256"))
            )
            thumb = att.get("thumbnail")
            if isinstance(thumb, dict) and thumb.get("url"):
                targets.append(
                    crawler.Target(
                        f"thumbnail of attachment {att_id}",
                        thumb["url"],
                        str(thumb.get("mime") or ""),
                        thumb.get("sha256"),
                        thumb.get("contentSizeBytes"),
                    )
                )
        if not text and not attachments:
            raise ApiError(400, "An inbound message needs text or content.")
        conv = self.state.conversation_for(integration_id, str(sender["id"]))
        message = Message(
            id=new_id(),
            conversation_id=conv.id,
            direction="inbound",
            status="queued" if attachments else "sent",
            participant_id=conv.customer_participant_id,
            communication_id=conv.customer_communication_id,
            timestamp=time.time(),
            text=text if isinstance(text, str) else None,
            attachments=attachments,
            channel_message_id=channel.get("messageId"),
            sender=dict(sender),
            recipient={"id": integration_id},
            metadata=body.get("metadata") or None,
        )
        self.state.add_message(message)
        if targets:
            self._crawl_done[message.id] = asyncio.Event()
            if self.state.faults.take("crawl_before_reply") is not None:
                await self._crawl(message, targets)
                return web.json_response(message.inbound_reply_json())
            task = asyncio.get_running_loop().create_task(self._crawl(message, targets))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return web.json_response(message.inbound_reply_json())

    async def _crawl(self, message: Message, targets: list[crawler.Target]) -> None:
        try:
            unreachable = self.state.faults.take("crawler_unreachable") is not None
            reasons, fetches = await crawler.crawl(targets, unreachable)
            self.state.crawler_fetches.extend(fetches)
            by_url = {f.url: f for f in fetches}
            for attachment in message.attachments:
                seen = by_url.get(attachment.url)
                if seen is not None and seen.status == 200:
                    attachment.content_size_bytes = seen.bytes
            message.reasons = reasons
            message.status = "failed" if reasons else "sent"
        finally:
            self._crawl_done[message.id].set()

    async def _get_message(self, request: web.Request) -> web.StreamResponse:
        conv = self._conversation(request)
        message = self.state.messages.get(request.match_info["messageId"])
        if message is None or message.conversation_id != conv.id:
            raise ApiError(404, "The requested message could not be found.", "not.found")
        return web.json_response(message.to_json(self.base_url))

    async def _bulk_messages(self, request: web.Request) -> web.StreamResponse:
        conv = self._conversation(request)
        ids = await json_body(request)
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise ApiError(400, "The body must be a list of message ids.")
        if len(ids) > MAX_BULK_IDS:
            raise ApiError(400, f"At most {MAX_BULK_IDS} message ids per request.")
        found = [self.state.messages.get(i) for i in ids]
        entities = [
            m.to_json(self.base_url)
            for m in found
            if m is not None and m.conversation_id == conv.id
        ]
        return web.json_response({"entities": entities})

    # --- control routes (/_fake/)
    async def _ctl_add_conversation(self, request: web.Request) -> web.StreamResponse:
        body = await request.json() if request.can_read_body else {}
        conv = self.add_conversation(from_id=(body or {}).get("from_id"))
        return web.json_response(asdict(conv), status=201)

    async def _ctl_fault(self, request: web.Request) -> web.StreamResponse:
        spec = await request.json()
        if not isinstance(spec, dict):
            raise ValueError("a fault is a JSON object")
        self.add_fault(spec)
        return web.json_response({"armed": spec}, status=201)

    async def _ctl_calls(self, request: web.Request) -> web.StreamResponse:
        return web.json_response([asdict(c) for c in self.state.calls])

    async def _ctl_crawler_fetches(self, request: web.Request) -> web.StreamResponse:
        return web.json_response([asdict(f) for f in self.state.crawler_fetches])

    async def _ctl_messages(self, request: web.Request) -> web.StreamResponse:
        conv_id = request.match_info["conversationId"]
        if conv_id not in self.state.conversations:
            return web.json_response({"error": f"no conversation {conv_id}"}, status=404)
        return web.json_response(
            [m.to_json(self.base_url) for m in self.state.conversation_messages(conv_id)]
        )

    async def _ctl_reset(self, request: web.Request) -> web.StreamResponse:
        self.reset()
        return web.json_response({"reset": True})
