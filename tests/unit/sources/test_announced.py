"""Reading Genesys Cloud's announcements of guests' media (sources/announced.py)."""

from __future__ import annotations

from typing import Any

from mediagate.sources.announced import (
    MAX_ITEMS_PER_ANNOUNCEMENT,
    from_conversation_event,
    from_open_messaging_webhook,
    is_message_topic,
)


def _event(media: list[Any], purpose: str = "customer") -> dict[str, Any]:
    return {
        "id": "conv-1",
        "participants": [
            {
                "id": "guest-1",
                "purpose": purpose,
                "messages": [{"message": {"id": "msg-1"}, "media": media}],
            },
            {
                "id": "agent-1",
                "purpose": "agent",
                "messages": [{"message": {"id": "msg-2"}, "media": [_media("agent-media")]}],
            },
        ],
    }


def _media(media_id: str, **more: Any) -> dict[str, Any]:
    return {
        "id": media_id,
        "url": f"https://api.mypurecloud.com/media/{media_id}?sig=x",
        "mediaType": "image/png",
        "contentLengthBytes": 1234,
        "name": "photo.png",
        **more,
    }


def test_the_guests_media_items_are_read_and_the_agents_are_not() -> None:
    items = from_conversation_event(_event([_media("a"), _media("b")]))
    assert [i.platform_media_id for i in items] == ["a", "b"]
    first = items[0]
    assert (first.conversation_id, first.participant_id, first.message_id) == (
        "conv-1",
        "guest-1",
        "msg-1",
    )
    assert (first.mime_type, first.size_bytes, first.file_name) == ("image/png", 1234, "photo.png")


def test_malformed_items_are_skipped_not_trusted() -> None:
    items = from_conversation_event(
        _event(
            [
                _media("ok"),
                {"url": "https://x/1"},  # no id
                {"id": "no-url"},
                _media("big", contentLengthBytes=-5, mediaType="Image", name=123),
                "not a dict",
                _media("x" * 500),  # not an id
            ]
        )
    )
    assert [i.platform_media_id for i in items] == ["ok", "big"]
    assert (items[1].size_bytes, items[1].mime_type, items[1].file_name) == (0, "", "")


def test_bodies_that_are_not_events_give_nothing() -> None:
    for body in (None, [], "text", {"participants": []}, {"id": 5}, {"id": "c", "participants": 3}):
        assert from_conversation_event(body) == []


def test_an_announcement_is_capped() -> None:
    many = [_media(f"m{i}") for i in range(MAX_ITEMS_PER_ANNOUNCEMENT + 10)]
    assert len(from_conversation_event(_event(many))) == MAX_ITEMS_PER_ANNOUNCEMENT


def test_message_topics() -> None:
    assert is_message_topic("v2.routing.queues.q-1.conversations.messages")
    assert is_message_topic("v2.users.u-1.conversations.messages")
    assert not is_message_topic("channel.metadata")
    assert not is_message_topic("v2.users.u-1.conversations.calls")
    assert not is_message_topic(None)


def test_open_messaging_attachments_are_read_with_stable_ids() -> None:
    body = {
        "id": "om-1",
        "direction": "Outbound",
        "content": [
            {"contentType": "Attachment", "attachment": {"id": "att-1", "url": "https://h/1",
                                                         "mime": "application/pdf",
                                                         "filename": "a.pdf", "sha256": "A" * 64}},
            {"contentType": "Attachment", "attachment": {"url": "https://h/2", "mime": "Image"}},
            {"contentType": "Text"},
        ],
    }  # fmt: skip
    items = from_open_messaging_webhook(body)
    assert [i.platform_media_id for i in items] == ["att-1", "om-1:1"]
    assert items[0].sha256 == "a" * 64 and items[0].mime_type == "application/pdf"
    assert items[1].sha256 == "" and items[1].mime_type == ""
    assert from_open_messaging_webhook(body) == items  # a redelivery names the same items
    assert from_open_messaging_webhook({"content": body["content"]}) == []
