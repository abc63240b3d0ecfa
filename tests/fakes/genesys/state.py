"""What the fake Genesys Cloud platform holds: tokens, conversations, media, messages, the call log.

Plain data and the rules that read it, with no HTTP in sight, so the aiohttp handlers
(app.py) stay thin. JSON renderings use the field names of the official SDK's models
(PureCloudPlatformClientV2 269.0.0, `attribute_map` of each model named in the docstrings).

Everything here is mutated on the fake's event loop only; FakeGenesysThread hops onto that loop
before it touches anything.
"""

from __future__ import annotations

import base64
import mimetypes
import secrets
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, get_args

JSON = dict[str, Any]

MediaStatus = Literal["uploading", "valid", "invalid"]

# The characters a media upload's fileName must not contain (UploadMediaRequest's documentation).
FORBIDDEN_FILENAME_CHARS = frozenset('\\{^}%`]">[~<#|')
MAX_MEDIA_BYTES = 25 * 1024 * 1024


def new_id() -> str:
    return str(uuid.uuid4())


def iso(ts: float) -> str:
    """An ISO-8601 UTC timestamp with milliseconds, as the platform writes them."""
    moment = datetime.fromtimestamp(ts, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def filename_problem(name: str) -> str | None:
    """Why `name` is not an acceptable UploadMediaRequest.fileName, or None if it is."""
    if not name:
        return "fileName is required"
    if name.startswith("."):
        return "fileName must not start with '.'"
    if name.endswith("/"):
        return "fileName must not end with '/'"
    if any(ch.isspace() for ch in name):
        return "fileName must not contain whitespace"
    bad = sorted({ch for ch in name if ch in FORBIDDEN_FILENAME_CHARS})
    if bad:
        return f"fileName must not contain any of {''.join(bad)!r}"
    return None


def md5_problem(content_md5: str) -> str | None:
    """Why `content_md5` is not base64 of a 16-byte MD5 digest, or None if it is."""
    try:
        raw = base64.b64decode(content_md5, validate=True)
    except ValueError:
        return "contentMd5 must be the base64 of the MD5 digest"
    if len(raw) != 16:
        return "contentMd5 must be the base64 of a 16-byte MD5 digest"
    return None


def media_type_of(mime: str) -> str:
    """ConversationContentAttachment.mediaType (Image|Video|Audio|File) for a MIME type."""
    major = mime.split("/", 1)[0]
    return {"image": "Image", "video": "Video", "audio": "Audio"}.get(major, "File")


@dataclass
class Call:
    """One request the fake answered (control routes under /_fake/ are not logged)."""

    op: str
    method: str
    path: str
    status: int
    time: float


@dataclass
class CrawlerFetch:
    """One GET the fake's attachment crawler made (status 0: the URL could not be reached)."""

    url: str
    status: int
    headers: dict[str, str]
    bytes: int
    sha256: str | None = None
    error: str | None = None


@dataclass
class FakeConversation:
    """A messaging conversation between an open-messaging customer and our (agent) side.

    `communication_id` is the agent side's message communication: the one the product sends on.
    `queue_id` and `user_id` name the queue it was routed through and the agent's user: they make
    the notification topics `v2.routing.queues.{queue_id}.conversations.messages` and
    `v2.users.{user_id}.conversations.messages`.
    """

    id: str
    communication_id: str
    customer_participant_id: str
    agent_participant_id: str
    integration_id: str
    from_id: str
    customer_communication_id: str = field(default_factory=new_id)
    start_time: float = field(default_factory=time.time)
    queue_id: str = field(default_factory=new_id)
    user_id: str = field(default_factory=new_id)

    @property
    def queue_topic(self) -> str:
        return f"v2.routing.queues.{self.queue_id}.conversations.messages"

    @property
    def user_topic(self) -> str:
        return f"v2.users.{self.user_id}.conversations.messages"


@dataclass
class Media:
    """A message media upload (MessageMediaUploadData / MessageMediaData)."""

    id: str
    conversation_id: str
    communication_id: str
    name: str
    content_length: int
    content_md5: str | None
    upload_headers: dict[str, str]
    mime: str
    created: float = field(default_factory=time.monotonic)
    # Set when the PUT completed well: the media becomes ready (valid, or invalid by fault) then.
    ready_at: float | None = None
    end_invalid: bool = False  # the invalid_media fault: a fine PUT still ends invalid
    failed: str | None = None  # the PUT went wrong: why; status is invalid at once
    body: bytes = b""

    def status(self, now: float) -> MediaStatus:
        """Computed on read, so the uploading -> valid move is driven by time passing alone."""
        if self.failed is not None:
            return "invalid"
        if self.ready_at is None or now < self.ready_at:
            return "uploading"
        return "invalid" if self.end_invalid else "valid"

    @property
    def put_done(self) -> bool:
        return self.ready_at is not None or self.failed is not None


@dataclass
class Attachment:
    """ConversationContentAttachment, plus what the crawler measured."""

    id: str
    media_type: str
    url: str
    mime: str
    filename: str | None = None
    sha256: str | None = None
    text: str | None = None
    content_size_bytes: int | None = None
    thumbnail: JSON | None = None  # OpenContentThumbnail as received (url, mime, sha256, ...)

    def to_json(self) -> JSON:
        out: JSON = {
            "id": self.id,
            "mediaType": self.media_type,
            "url": self.url,
            "mime": self.mime,
        }
        for key, value in (
            ("filename", self.filename),
            ("sha256", self.sha256),
            ("text", self.text),
            ("contentSizeBytes", self.content_size_bytes),
        ):
            if value is not None:
                out[key] = value
        return out


@dataclass
class Reason:
    """ConversationReason: `code` is one of the SDK's allowed values."""

    code: str
    message: str


@dataclass
class Message:
    """A message the platform holds, rendered as MessageData (message_data.py)."""

    id: str
    conversation_id: str
    direction: Literal["inbound", "outbound"]
    status: str  # MessageData.status: queued | sent | failed (lowercase, as the SDK's enum)
    participant_id: str
    communication_id: str
    timestamp: float
    text: str | None = None
    attachments: list[Attachment] = field(default_factory=list)
    media_ids: list[str] = field(default_factory=list)
    channel_message_id: str | None = None  # the integration's own id (inbound open messages)
    sender: JSON | None = None  # channel.from as received
    recipient: JSON | None = None  # channel.to
    reasons: list[Reason] = field(default_factory=list)
    metadata: dict[str, str] | None = None

    def normalized_status(self) -> str | None:
        """ConversationNormalizedMessage.status (Sent|Failed|...); none while queued."""
        return {"sent": "Sent", "failed": "Failed"}.get(self.status)

    def channel_json(self) -> JSON:
        channel: JSON = {"platform": "Open", "type": "Private", "time": iso(self.timestamp)}
        if self.channel_message_id is not None:
            channel["messageId"] = self.channel_message_id
        if self.sender is not None:
            channel["from"] = self.sender
        if self.recipient is not None:
            channel["to"] = self.recipient
        return channel

    def content_json(self) -> list[JSON]:
        return [{"contentType": "Attachment", "attachment": a.to_json()} for a in self.attachments]

    def normalized_json(self) -> JSON:
        """ConversationNormalizedMessage (conversation_normalized_message.py)."""
        out: JSON = {
            "id": self.id,
            "channel": self.channel_json(),
            "type": "Text",
            "direction": "Inbound" if self.direction == "inbound" else "Outbound",
        }
        if self.text is not None:
            out["text"] = self.text
        if self.attachments:
            out["content"] = self.content_json()
        status = self.normalized_status()
        if status is not None:
            out["status"] = status
        if self.reasons:
            out["reasons"] = [{"code": r.code, "message": r.message} for r in self.reasons]
        if self.direction == "outbound":
            out["originatingEntity"] = "Human"
        if self.metadata:
            out["metadata"] = dict(self.metadata)
        return out

    def to_json(self, base_url: str) -> JSON:
        """MessageData (message_data.py): it has no textBody/media fields in SDK 269; the text
        and the attachments live in normalizedMessage."""
        return {
            "id": self.id,
            "conversationId": self.conversation_id,
            "timestamp": iso(self.timestamp),
            "direction": self.direction,
            "messengerType": "open",
            "status": self.status,
            "normalizedMessage": self.normalized_json(),
            "selfUri": f"/api/v2/conversations/messages/{self.conversation_id}/messages/{self.id}",
        }

    def details_json(self) -> JSON:
        """MessageDetails (message_details.py) inside a MessageMediaParticipant."""
        out: JSON = {
            "messageId": self.id,
            "messageURI": f"/api/v2/conversations/messages/{self.conversation_id}"
            f"/messages/{self.id}",
            "messageStatus": self.status,
            "messageTime": iso(self.timestamp),
        }
        if self.attachments:
            out["media"] = [
                {
                    "url": a.url,
                    "mediaType": a.mime,
                    "contentLengthBytes": a.content_size_bytes,
                    "name": a.filename,
                    "id": a.id,
                }
                for a in self.attachments
            ]
        return out

    def inbound_reply_json(self) -> JSON:
        """OpenMessageNormalizedMessage (open_message_normalized_message.py): what
        post_conversations_message_inbound_open_message returns."""
        out: JSON = {
            "id": self.id,
            "channel": self.channel_json(),
            "type": "Text",
            "conversationId": self.conversation_id,
        }
        if self.text is not None:
            out["text"] = self.text
        if self.attachments:
            out["content"] = self.content_json()
        if self.metadata:
            out["metadata"] = dict(self.metadata)
        return out


MediaBehaviour = Literal[
    "normal",
    "redirect",
    "lying_length",
    "no_length",
    "slow",
    "status_429_then_ok",
    "status_500_then_ok",
    "endless",
]
MEDIA_BEHAVIOURS: tuple[str, ...] = get_args(MediaBehaviour)
CHANNEL_TTL_SECONDS = 24 * 3600  # a channel lives 24 h (the platform's documented lifetime)
MAX_TOPICS_PER_CHANNEL = 1000


@dataclass
class Channel:
    """A notification channel (Channel: connectUri, id, expires) and its topics, in the order
    of the last PUT. Forgotten by expire_channels()."""

    id: str
    expires: float  # epoch seconds
    topics: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class MediaItem:
    """A file the fake serves at `url` (`GET /_media/{id}`): what an inbound message's
    `media[]` points at. `media_type` is the attachment kind (Image|Video|Audio|File);
    `content_length` and `sha256` describe the true bytes, whatever the behaviour claims."""

    id: str
    url: str
    media_type: str
    content_length: int
    name: str
    mime: str
    sha256: str


@dataclass
class HostedMedia:
    """The fake's side of a MediaItem: the bytes, how to misbehave, and how often it was read."""

    item: MediaItem
    data: bytes
    behaviour: str
    options: dict[str, Any]
    gets: int = 0
    refusals_left: int = 0  # status_*_then_ok: error replies still to give


@dataclass
class AttributeWrite:
    """One accepted PATCH of a participant's attributes (the body's `attributes`, as sent)."""

    conversation_id: str
    participant_id: str
    attributes: dict[str, str]
    time: float


@dataclass
class FaultRule:
    """One armed fault: `kind` is fail | slow | fail_after_commit | invalid_media |
    crawler_unreachable; it fires for the next `times` matching events."""

    kind: str
    op: str | None = None
    status: int = 500
    times: int = 1
    retry_after: int | None = None
    seconds: float = 0.0
    permission: str = "conversation:message:create"
    body: JSON | None = None


class Faults:
    """The armed faults, consumed in the order they were armed."""

    def __init__(self) -> None:
        self.rules: list[FaultRule] = []

    def add(self, rule: FaultRule) -> None:
        if rule.times < 1:
            raise ValueError("times must be at least 1")
        self.rules.append(rule)

    def take(self, kind: str, op: str | None = None) -> FaultRule | None:
        for rule in self.rules:
            if rule.kind == kind and (op is None or rule.op == op):
                rule.times -= 1
                if rule.times == 0:
                    self.rules.remove(rule)
                return rule
        return None

    def clear(self) -> None:
        self.rules.clear()


class State:
    """All the platform's data; one instance per FakeGenesys."""

    def __init__(self, client_id: str, client_secret: str, token_ttl: float) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.token_ttl = token_ttl
        self.tokens: dict[str, float] = {}  # token -> monotonic expiry
        self.integration_id = new_id()
        self.integrations: set[str] = {self.integration_id}
        self.conversations: dict[str, FakeConversation] = {}
        self.communications: dict[str, tuple[str, str]] = {}  # comm id -> (conv id, part id)
        self.media: dict[str, Media] = {}
        self.messages: dict[str, Message] = {}  # every message, by id
        self.order: dict[str, list[str]] = {}  # conversation id -> message ids, oldest first
        self.calls: list[Call] = []
        # Paths of requests received and not yet answered (calls logs them when answered).
        self.in_flight: list[str] = []
        self.crawler_fetches: list[CrawlerFetch] = []
        self.faults = Faults()
        self.media_valid_after = 0.2
        self.hosted: dict[str, HostedMedia] = {}  # media id -> what /_media/{id} serves
        # (conversation id, participant id) -> the participant's attributes
        self.attributes: dict[tuple[str, str], dict[str, str]] = {}
        self.attribute_writes: list[AttributeWrite] = []
        self.channels: dict[str, Channel] = {}

    # --- tokens
    def issue_token(self) -> tuple[str, int]:
        token = secrets.token_urlsafe(32)
        self.tokens[token] = time.monotonic() + self.token_ttl
        return token, int(self.token_ttl)

    def token_ok(self, token: str) -> bool:
        expiry = self.tokens.get(token)
        if expiry is None:
            return False
        if time.monotonic() >= expiry:
            del self.tokens[token]
            return False
        return True

    # --- conversations
    def add_conversation(
        self, from_id: str | None = None, integration_id: str | None = None
    ) -> FakeConversation:
        conv = FakeConversation(
            id=new_id(),
            communication_id=new_id(),
            customer_participant_id=new_id(),
            agent_participant_id=new_id(),
            integration_id=integration_id or self.integration_id,
            from_id=from_id or f"customer-{secrets.token_hex(4)}",
        )
        self.conversations[conv.id] = conv
        self.order[conv.id] = []
        self.communications[conv.communication_id] = (conv.id, conv.agent_participant_id)
        self.communications[conv.customer_communication_id] = (
            conv.id,
            conv.customer_participant_id,
        )
        return conv

    def conversation_for(self, integration_id: str, from_id: str) -> FakeConversation:
        for conv in self.conversations.values():
            if conv.integration_id == integration_id and conv.from_id == from_id:
                return conv
        return self.add_conversation(from_id=from_id, integration_id=integration_id)

    def add_message(self, message: Message) -> None:
        self.messages[message.id] = message
        self.order[message.conversation_id].append(message.id)

    def conversation_messages(self, conversation_id: str) -> list[Message]:
        return [self.messages[m] for m in self.order.get(conversation_id, [])]

    # --- renderings
    def conversation_json(self, conv: FakeConversation) -> JSON:
        """Conversation (conversation.py) with Participant (participant.py) and
        Message (message.py: the message communications, `id` is the communicationId)."""
        start = iso(conv.start_time)
        participants: list[JSON] = []
        for purpose, pid, comm, direction in (
            ("customer", conv.customer_participant_id, conv.customer_communication_id, "inbound"),
            ("agent", conv.agent_participant_id, conv.communication_id, "outbound"),
        ):
            details = [m.details_json() for m in self._messages_of(conv, pid)]
            participants.append(
                {
                    "id": pid,
                    "startTime": start,
                    "connectedTime": start,
                    "purpose": purpose,
                    "participantType": "External" if purpose == "customer" else "Internal",
                    "attributes": dict(self.attributes.get((conv.id, pid), {})),
                    "address": conv.from_id if purpose == "customer" else conv.integration_id,
                    "messages": [
                        {
                            "id": comm,
                            "state": "connected",
                            "initialState": "connected",
                            "direction": direction,
                            "held": False,
                            "type": "open",
                            "connectedTime": start,
                            "messages": details,
                        }
                    ],
                }
            )
        return {
            "id": conv.id,
            "startTime": start,
            "participants": participants,
            "recordingState": "NONE",
            "selfUri": f"/api/v2/conversations/{conv.id}",
        }

    def message_conversation_json(self, conv: FakeConversation) -> JSON:
        """MessageConversation (message_conversation.py) with MessageMediaParticipant
        (message_media_participant.py) and MessageDetails (message_details.py)."""
        start = iso(conv.start_time)
        participants: list[JSON] = []
        for purpose, pid, direction in (
            ("customer", conv.customer_participant_id, "inbound"),
            ("agent", conv.agent_participant_id, "outbound"),
        ):
            participants.append(
                {
                    "id": pid,
                    "startTime": start,
                    "connectedTime": start,
                    "purpose": purpose,
                    "state": "connected",
                    "direction": direction,
                    "held": False,
                    "provider": "open" if purpose == "customer" else None,
                    "type": "open",
                    "attributes": dict(self.attributes.get((conv.id, pid), {})),
                    "messages": [m.details_json() for m in self._messages_of(conv, pid)],
                }
            )
        for p in participants:
            if p["provider"] is None:
                del p["provider"]
        return {
            "id": conv.id,
            "participants": participants,
            "selfUri": f"/api/v2/conversations/messages/{conv.id}",
        }

    def _messages_of(self, conv: FakeConversation, participant_id: str) -> list[Message]:
        return [
            m for m in self.conversation_messages(conv.id) if m.participant_id == participant_id
        ]

    def media_json(self, media: Media, base_url: str) -> JSON:
        """MessageMediaData (message_media_data.py)."""
        return {
            "id": media.id,
            "name": media.name,
            "url": f"{base_url}/media/{media.id}",
            "mediaType": media.mime,
            "contentLengthBytes": media.content_length,
            "uploadUrl": f"{base_url}/uploads/{media.id}",
            "status": media.status(time.monotonic()),
            "conversationId": media.conversation_id,
            "communicationId": media.communication_id,
            "selfUri": f"/api/v2/conversations/messages/{media.conversation_id}/communications/"
            f"{media.communication_id}/messages/media/{media.id}",
        }


def guess_mime(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"
