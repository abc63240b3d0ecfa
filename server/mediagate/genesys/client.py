"""Every Genesys Cloud call a delivery makes, through the official SDK.

Threat model and secrets: the client id and secret come from settings and go only to the
platform's token endpoint (Basic auth); the bearer token only into the SDK's Authorization
header. Neither is logged or put into an error: PlatformError carries the platform's status,
code and message, never a request header. The SDK's own logger, which would log request
headers, is forced off (sdk.py).

Concurrency: the SDK is blocking (urllib3), so its calls run in a thread pool of
`concurrency` threads; the event loop never waits on the network. The SDK's urllib3 pool
retries nothing by status (mediagate decides, in retry.py, so a 429's wait is bounded and
cancellable) and times out after `timeout_seconds`.
"""

from __future__ import annotations

import asyncio
import base64
import contextvars
import logging
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

import aiohttp

from mediagate.genesys.errors import PlatformError, from_api_exception
from mediagate.genesys.retry import RateLimit, RetryPolicy, with_retries
from mediagate.genesys.sdk import SdkLoader
from mediagate.telemetry.tracing import inject, stage

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class GenesysConfig:
    client_id: str
    client_secret: str = field(repr=False)
    # The API host, e.g. https://api.mypurecloud.ie (from a region name or a base URL).
    api_host: str
    integration_id: str = ""
    timeout_seconds: float = 10.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    concurrency: int = 8
    requests_per_second: float = 5.0
    burst: int = 20


@dataclass(frozen=True)
class MediaUpload:
    id: str
    upload_url: str = field(repr=False)
    upload_headers: dict[str, str] = field(repr=False)


@dataclass(frozen=True)
class MessageStatus:
    """A message as the platform reports it: status in lower case ("queued", "sent",
    "delivery-success", "failed", ...) and its failure reasons [(code, message)]."""

    id: str
    status: str
    reasons: list[tuple[str, str]]


@dataclass(frozen=True)
class HeldMessage:
    """A message a conversation holds, as much as re-checking needs."""

    id: str
    media_ids: list[str]
    text: str
    channel_message_id: str


@dataclass(frozen=True)
class Channel:
    """A notifications channel: its websocket URI (wss://streaming.<domain>/channels/<id>)
    and when the platform forgets it (a channel unused for a while expires)."""

    id: str
    connect_uri: str = field(repr=False)
    expires: str = ""


@dataclass(frozen=True)
class InboundAttachment:
    url: str
    mime: str
    filename: str
    sha256: str
    media_type: str  # Image, Video, Audio, File
    text: str = ""
    thumbnail_url: str = ""
    thumbnail_mime: str = ""
    thumbnail_sha256: str = ""
    thumbnail_size: int = 0


class GenesysClient:
    def __init__(self, config: GenesysConfig, loader: SdkLoader | None = None) -> None:
        self.config = config
        self._loader = loader or SdkLoader()
        self._threads = ThreadPoolExecutor(
            max_workers=max(1, config.concurrency), thread_name_prefix="genesys"
        )
        self._rate = RateLimit(config.requests_per_second, config.burst)
        self._api: Any = None
        self._conversations: Any = None
        self._notifications: Any = None
        self._sdk: Any = None
        self._login_lock = asyncio.Lock()
        self._token_generation = 0
        self._http: aiohttp.ClientSession | None = None

    # --- plumbing ---------------------------------------------------------------------------

    async def _ready(self) -> None:
        if self._conversations is not None:
            return
        async with self._login_lock:
            if self._conversations is not None:
                return
            sdk = await self._loader.get()
            self._sdk = sdk
            api = await self._in_thread(lambda: self._build_api(sdk))
            await self._token(api, "token")
            self._api = api
            self._conversations = sdk.ConversationsApi(api)
            self._notifications = sdk.NotificationsApi(api)

    def _build_api(self, sdk: Any) -> Any:
        import urllib3

        api = sdk.ApiClient(self.config.api_host)
        pool = api.get_http_client().rest_client.pool_manager
        # mediagate retries (retry.py); urllib3 only re-connects when nothing was sent.
        pool.connection_pool_kw["retries"] = urllib3.Retry(
            total=None,
            connect=2,
            read=0,
            redirect=0,
            status=0,
            other=0,
            respect_retry_after_header=False,
            raise_on_status=False,
        )
        timeout = self.config.timeout_seconds
        pool.connection_pool_kw["timeout"] = urllib3.Timeout(
            connect=min(5.0, timeout), read=timeout
        )
        pool.connection_pool_kw["maxsize"] = max(1, self.config.concurrency)
        pool.urlopen = _with_trace_context(pool.urlopen)
        return api

    async def _token(self, api: Any, op: str) -> None:
        config = self.config

        def login() -> None:
            api.get_client_credentials_token(config.client_id, config.client_secret)

        async def nothing() -> None:
            return None

        # A 429 or a 5xx from the token endpoint is retried like any call; a 401 there means
        # the credentials are wrong, and is final.
        await with_retries(lambda: self._sdk_call(op, login), self.config.retry, nothing)
        self._token_generation += 1

    async def _log_in_again(self) -> None:
        generation = self._token_generation
        async with self._login_lock:
            if generation == self._token_generation:  # nobody else has just done it
                await self._token(self._api, "token")

    async def _in_thread(self, fn: Callable[[], T]) -> T:
        # In the caller's context, so the request carries the current span (traceparent).
        context = contextvars.copy_context()
        return await asyncio.get_running_loop().run_in_executor(self._threads, context.run, fn)

    async def _sdk_call(self, op: str, fn: Callable[[], T], sends: bool = False) -> T:
        """One attempt: an SDK exception or a network failure becomes a PlatformError."""
        import urllib3

        await self._rate.take()
        sdk = self._sdk

        def run() -> T:
            try:
                return fn()
            except sdk.rest.ApiException as exc:
                raise from_api_exception(op, exc) from None
            except urllib3.exceptions.HTTPError as exc:
                # No answer: a timeout or a dropped connection. A request that was sent may
                # have been carried out.
                raise PlatformError(
                    op, 0, "network", type(exc).__name__, maybe_done=sends
                ) from None

        with stage("genesys", op=op):
            return await self._in_thread(run)

    async def _call(
        self,
        op: str,
        fn: Callable[[], T],
        sends: bool = False,
        recheck: Callable[[], Any] | None = None,
    ) -> T:
        await self._ready()
        return await with_retries(
            lambda: self._sdk_call(op, fn, sends),
            self.config.retry,
            self._log_in_again,
            recheck,
        )

    def _model(self, name: str, **values: Any) -> Any:
        """An SDK model: constructors take no arguments, attributes are set afterwards."""
        model = getattr(self._sdk, name)()
        for key, value in values.items():
            setattr(model, key, value)
        return model

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()
        self._threads.shutdown(wait=False, cancel_futures=True)

    # --- the calls --------------------------------------------------------------------------

    async def communication_of(self, conversation_id: str) -> str:
        """The id of the conversation's message communication that mediagate sends on: the
        agent side's, else the first with a message communication."""
        conversation = await self._call(
            "get_conversation",
            lambda: self._conversations.get_conversation(conversation_id),
        )
        chosen = ""
        for participant in conversation.participants or []:
            for message in participant.messages or []:
                if message.id and (not chosen or participant.purpose == "agent"):
                    chosen = message.id
        if not chosen:
            raise PlatformError(
                "get_conversation", 404, "no.message.communication", "no message communication"
            )
        return chosen

    async def create_media_upload(
        self, conversation_id: str, communication_id: str, file_name: str, size: int, md5: bytes
    ) -> MediaUpload:
        await self._ready()
        body = self._model(
            "UploadMediaRequest",
            file_name=file_name,
            content_length_bytes=size,
            content_md5=base64.b64encode(md5).decode(),
        )
        # Creating an upload twice leaves one unused upload behind, never a message: plain retry.
        reply = await self._call(
            "create_media_upload",
            lambda: (
                self._conversations.post_conversations_message_communication_messages_media_uploads(
                    conversation_id, communication_id, body
                )
            ),
        )
        return MediaUpload(reply.id, reply.upload_url, dict(reply.upload_headers or {}))

    async def put_upload(
        self, upload: MediaUpload, size: int, chunks: Callable[[], AsyncIterator[bytes]]
    ) -> None:
        """PUTs the bytes to the upload URL with its headers, streaming. A failed PUT is retried
        from the first byte within the budget (the target is presigned; no login involved)."""
        if self._http is None:
            self._http = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(
                    total=None, sock_connect=5, sock_read=self.config.timeout_seconds
                )
            )
        session = self._http

        async def attempt() -> None:
            headers = {**upload.upload_headers, "Content-Length": str(size)}
            try:
                async with session.put(upload.upload_url, data=chunks(), headers=headers) as reply:
                    if reply.status >= 300:
                        text = (await reply.content.read(500)).decode("utf-8", "replace")
                        raise PlatformError(
                            "put_upload",
                            reply.status,
                            "upload.refused",
                            text,
                            retry_after=_float(reply.headers.get("Retry-After")),
                        )
            except (aiohttp.ClientError, TimeoutError) as exc:
                raise PlatformError("put_upload", 0, "network", type(exc).__name__) from None

        async def no_login() -> None:
            return None

        await with_retries(attempt, self.config.retry, no_login)

    async def media_status(self, conversation_id: str, communication_id: str, media_id: str) -> str:
        reply = await self._call(
            "get_media",
            lambda: (
                self._conversations.get_conversations_message_communication_messages_media_media_id(
                    conversation_id, communication_id, media_id
                )
            ),
        )
        return str(reply.status or "").lower()

    async def send_message(
        self,
        conversation_id: str,
        communication_id: str,
        *,
        media_id: str = "",
        text: str = "",
        recheck: Callable[[], Any],
    ) -> str:
        """One message: a media id or a text (the platform takes one body kind per message).
        Never sent twice: after an answer that may hide a success, `recheck` looks first."""
        await self._ready()
        body = (
            self._model("AdditionalMessage", media_ids=[media_id])
            if media_id
            else self._model("AdditionalMessage", text_body=text)
        )
        reply = await self._call(
            "send_message",
            lambda: self._conversations.post_conversations_message_communication_messages(
                conversation_id, communication_id, body
            ),
            sends=True,
            recheck=recheck,
        )
        return reply if isinstance(reply, str) else str(reply.id)

    async def held_messages(self, conversation_id: str) -> list[HeldMessage]:
        """Every message the conversation holds, with its media ids, text and (for Open
        Messaging inbound messages) the integration's own message id: what re-checking needs."""
        conversation = await self._call(
            "get_message_conversation",
            lambda: self._conversations.get_conversations_message(conversation_id),
        )
        ids: list[str] = []
        media: dict[str, list[str]] = {}
        for participant in conversation.participants or []:
            for details in participant.messages or []:
                if details.message_id:
                    ids.append(details.message_id)
                    media[details.message_id] = [m.id for m in details.media or [] if m.id]
        held: list[HeldMessage] = []
        for start in range(0, len(ids), 1000):
            batch = ids[start : start + 1000]

            def bulk(batch: list[str] = batch) -> Any:
                return self._conversations.post_conversations_message_messages_bulk(
                    conversation_id, body=batch
                )

            listing = await self._call("bulk_messages", bulk)
            for data in listing.entities or []:
                normalized = data.normalized_message
                channel = getattr(normalized, "channel", None) if normalized else None
                held.append(
                    HeldMessage(
                        id=str(data.id),
                        media_ids=media.get(str(data.id), []),
                        text=str(getattr(data, "text_body", None) or "")
                        or str(getattr(normalized, "text", None) or ""),
                        channel_message_id=str(getattr(channel, "message_id", None) or ""),
                    )
                )
        return held

    async def send_inbound_open_message(
        self,
        channel_message_id: str,
        sender_id: str,
        sender_id_type: str,
        sender_nickname: str,
        text: str,
        attachment: InboundAttachment,
        recheck: Callable[[], Any],
    ) -> tuple[str, str]:
        """Posts one Open Messaging inbound message carrying the attachment by URL; returns the
        platform's message id and conversation id."""
        await self._ready()
        thumbnail = None
        if attachment.thumbnail_url:
            thumbnail = self._model(
                "OpenContentThumbnail",
                url=attachment.thumbnail_url,
                mime=attachment.thumbnail_mime,
                sha256=attachment.thumbnail_sha256,
                content_size_bytes=attachment.thumbnail_size,
            )
        content_attachment = self._model(
            "OpenContentAttachment",
            id=channel_message_id,
            media_type=attachment.media_type,
            url=attachment.url,
            mime=attachment.mime,
            filename=attachment.filename,
            sha256=attachment.sha256,
        )
        if attachment.text:
            content_attachment.text = attachment.text
        if thumbnail is not None:
            content_attachment.thumbnail = thumbnail
        sender = self._model(
            "OpenMessagingFromRecipient",
            id=sender_id,
            id_type=sender_id_type or "Opaque",
        )
        if sender_nickname:
            sender.nickname = sender_nickname
        channel = self._model(
            "OpenInboundMessageMessagingChannel",
            pcFrom=sender,
            message_id=channel_message_id,
            time=datetime.now(UTC),
        )
        body = self._model(
            "OpenInboundNormalizedMessage",
            channel=channel,
            content=[self._model("OpenInboundMessageContent", attachment=content_attachment)],
        )
        if text:
            body.text = text
        integration = self.config.integration_id
        reply = await self._call(
            "inbound_open_message",
            lambda: self._conversations.post_conversations_message_inbound_open_message(
                integration, body
            ),
            sends=True,
            recheck=recheck,
        )
        if isinstance(reply, tuple):
            return reply
        return str(reply.id), str(getattr(reply, "conversation_id", None) or "")

    async def message_status(self, conversation_id: str, message_id: str) -> MessageStatus:
        data = await self._call(
            "get_message",
            lambda: self._conversations.get_conversations_message_message(
                conversation_id, message_id
            ),
        )
        normalized = data.normalized_message
        reasons = [
            (str(r.code or ""), str(r.message or ""))
            for r in (getattr(normalized, "reasons", None) or [])
        ]
        status = str(data.status or getattr(normalized, "status", None) or "").lower()
        return MessageStatus(str(data.id), status, reasons)

    # --- guests' media in (usecases/inbox.py, genesys/events.py) -----------------------------

    async def create_channel(self) -> Channel:
        """POST /api/v2/notifications/channels."""
        created = await self._call(
            "create_channel", lambda: self._notifications.post_notifications_channels()
        )
        return Channel(
            id=str(created.id),
            connect_uri=str(created.connect_uri),
            expires=str(created.expires or ""),
        )

    async def subscribe(self, channel_id: str, topics: list[str]) -> None:
        """PUT /api/v2/notifications/channels/{id}/subscriptions: the channel's topics become
        exactly these (a PUT is idempotent, so it is safe to repeat)."""
        await self._ready()
        body = [self._model("ChannelTopic", id=topic) for topic in topics]
        await self._call(
            "subscribe",
            lambda: self._notifications.put_notifications_channel_subscriptions(
                channel_id, body=body
            ),
        )

    async def write_participant_attributes(
        self, conversation_id: str, participant_id: str, attributes: dict[str, str]
    ) -> None:
        """PATCH .../conversations/messages/{id}/participants/{id}/attributes: the keys given
        are set, the participant's other attributes stay (a PATCH is idempotent)."""
        await self._ready()
        body = self._model("ParticipantAttributes", attributes=dict(attributes))
        await self._call(
            "patch_participant_attributes",
            lambda: self._conversations.patch_conversations_message_participant_attributes(
                conversation_id, participant_id, body=body
            ),
        )

    async def message_conversation(self, conversation_id: str) -> dict[str, object]:
        """GET /api/v2/conversations/messages/{id}: its participants and their messages' media,
        in the shape of a conversation message event's body (so one reader, in
        sources/announced.py, serves both): {"id", "participants": [{"id", "purpose",
        "messages": [{"message": {"id"}, "media": [{"id", "url", "mediaType",
        "contentLengthBytes", "name"}]}]}]}."""
        conversation = await self._call(
            "get_message_conversation",
            lambda: self._conversations.get_conversations_message(conversation_id),
        )
        participants = []
        for participant in conversation.participants or []:
            messages = []
            for details in participant.messages or []:
                media = [
                    {
                        "id": m.id,
                        "url": m.url,
                        "mediaType": m.media_type,
                        "contentLengthBytes": m.content_length_bytes,
                        "name": m.name,
                    }
                    for m in details.media or []
                ]
                messages.append({"message": {"id": details.message_id}, "media": media})
            participants.append(
                {"id": participant.id, "purpose": participant.purpose, "messages": messages}
            )
        return {"id": conversation.id or conversation_id, "participants": participants}


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _with_trace_context(urlopen: Callable[..., Any]) -> Callable[..., Any]:
    """Every platform request the SDK sends carries the W3C trace context of the span it runs
    in, so a trace continues into Genesys Cloud (and into tests/fakes/genesys)."""

    def traced(method: str, url: str, *args: Any, **kw: Any) -> Any:
        kw["headers"] = inject(dict(kw.get("headers") or {}))
        return urlopen(method, url, *args, **kw)

    return traced
