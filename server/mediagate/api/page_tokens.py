"""Opaque page tokens for ListAttachments: where the last page ended, bound to its query."""

from __future__ import annotations

import base64
import json


class BadPageToken(ValueError):
    pass


def encode(before_id: str, conversation_id: str) -> str:
    raw = json.dumps({"b": before_id, "c": conversation_id}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


# Tokens this server issues are under 200 characters; a longer one is not one of them.
MAX_TOKEN_LENGTH = 1024


def decode(token: str, conversation_id: str) -> str:
    """The id the next page starts below. A token from another query is refused: its position
    would silently skip or repeat rows of this one."""
    if len(token) > MAX_TOKEN_LENGTH:
        raise BadPageToken("the page_token is not one this server issued")
    try:
        padded = token + "=" * (-len(token) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        before, conversation = data["b"], data["c"]
    except (ValueError, KeyError, TypeError, RecursionError) as exc:
        raise BadPageToken("the page_token is not one this server issued") from exc
    if not isinstance(before, str) or conversation != conversation_id:
        raise BadPageToken("the page_token belongs to a different query")
    return before
