"""Guests' media as Genesys Cloud announces it, read into one shape.

Two announcements exist (shared/reference/genesys-cloud.md):
- a conversation message event on the notifications websocket (topics
  v2.routing.queues.{id}.conversations.messages and v2.users.{id}.conversations.messages): the
  event body is the message conversation; each participant carries its recent messages, each
  with media {id, url, mediaType (a MIME type here), contentLengthBytes, name}. The same media
  item appears in later events of the conversation too, so an item is known by its id and
  imported once (store/inbox.py);
- an Open Messaging outbound webhook: an OpenNormalizedMessage whose content[] holds
  attachments {id, mediaType, url, mime, filename, sha256}. It names no conversation (the
  integration knows the guest by channel.to.id); an attachment without an id is known by the
  message id and its place in the message, which redeliveries repeat.

Both are input from the network (the webhook's signature is checked before this runs, the
websocket is the platform's own), and treated as hostile all the same: wrong types, missing
fields and oversized strings are skipped or cut, never trusted, and an item is only as good as
the URL the fetcher will check (sources/url_policy.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# Platform ids are UUIDs; anything longer than this is not one and is not kept.
MAX_ID = 128
MAX_URL = 4096
MAX_NAME = 255
# A message with more items than this is not one a guest sent; the rest are ignored (logged).
MAX_ITEMS_PER_ANNOUNCEMENT = 50

MESSAGE_TOPIC = re.compile(r"^v2\.(routing\.queues|users)\.[^.]{1,128}\.conversations\.messages$")
# The participant whose media mediagate takes in: the guest.
GUEST_PURPOSES = frozenset({"customer", "external"})


@dataclass(frozen=True)
class AnnouncedMedia:
    platform_media_id: str
    url: str
    conversation_id: str = ""
    participant_id: str = ""
    message_id: str = ""
    file_name: str = ""
    mime_type: str = ""
    size_bytes: int = 0
    sha256: str = ""


def is_message_topic(topic: object) -> bool:
    return isinstance(topic, str) and MESSAGE_TOPIC.match(topic) is not None


def from_conversation_event(body: object) -> list[AnnouncedMedia]:
    """The guests' media items in a conversation message event's body."""
    if not isinstance(body, dict):
        return []
    conversation_id = _text(body.get("id"), MAX_ID)
    if not conversation_id:
        return []
    found: list[AnnouncedMedia] = []
    for participant in _dicts(body.get("participants")):
        if _text(participant.get("purpose"), 32).lower() not in GUEST_PURPOSES:
            continue
        participant_id = _text(participant.get("id"), MAX_ID)
        for message in _dicts(participant.get("messages")):
            reference = message.get("message")
            message_id = _text(reference.get("id"), MAX_ID) if isinstance(reference, dict) else ""
            for media in _dicts(message.get("media")):
                media_id, url = _text(media.get("id"), MAX_ID), _text(media.get("url"), MAX_URL)
                if not media_id or not url:
                    continue
                found.append(
                    AnnouncedMedia(
                        platform_media_id=media_id,
                        url=url,
                        conversation_id=conversation_id,
                        participant_id=participant_id,
                        message_id=message_id,
                        file_name=_text(media.get("name"), MAX_NAME),
                        mime_type=_mime(media.get("mediaType")),
                        size_bytes=_size(media.get("contentLengthBytes")),
                    )
                )
    return found[:MAX_ITEMS_PER_ANNOUNCEMENT]


def from_open_messaging_webhook(body: object) -> list[AnnouncedMedia]:
    """The attachments of an Open Messaging message the platform posted to the webhook."""
    if not isinstance(body, dict):
        return []
    message_id = _text(body.get("id"), MAX_ID)
    if not message_id:
        return []
    found: list[AnnouncedMedia] = []
    for index, content in enumerate(_dicts(body.get("content"))):
        attachment = content.get("attachment")
        if not isinstance(attachment, dict):
            continue
        url = _text(attachment.get("url"), MAX_URL)
        if not url:
            continue
        media_id = _text(attachment.get("id"), MAX_ID) or f"{message_id}:{index}"
        sha256 = _text(attachment.get("sha256"), 64).lower()
        found.append(
            AnnouncedMedia(
                platform_media_id=media_id,
                url=url,
                message_id=message_id,
                file_name=_text(attachment.get("filename"), MAX_NAME),
                mime_type=_mime(attachment.get("mime")),
                size_bytes=_size(attachment.get("contentSizeBytes")),
                sha256=sha256 if re.fullmatch(r"[0-9a-f]{64}", sha256) else "",
            )
        )
    return found[:MAX_ITEMS_PER_ANNOUNCEMENT]


def _dicts(value: object) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        return []
    return [item for item in value[:1000] if isinstance(item, dict)]


def _text(value: object, limit: int) -> str:
    if not isinstance(value, str) or len(value) > limit:
        return ""
    return value.strip()


def _mime(value: object) -> str:
    """A MIME type, or "" for the platform's media classes ("Image", "File") and nonsense."""
    text = _text(value, 255).lower()
    return text if re.fullmatch(r"[a-z0-9.+-]+/[a-z0-9.+-]+", text) else ""


def _size(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return 0
    return value
