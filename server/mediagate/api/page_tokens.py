"""Opaque page tokens for the List methods: where the last page ended, bound to its query and
to the tenant of the caller that got it.

A token is not a credential: every list query is keyed by the caller's own tenant
(api/tenancy.py), so a token edited to name another tenant, or taken from another tenant's
caller, could at most position a scan within the caller's own rows. It is refused all the
same, so such a token is a clear INVALID_PAGE_TOKEN instead of a silently odd page.
"""

from __future__ import annotations

import base64
import json

from mediagate.api.tenancy import current_tenant


class BadPageToken(ValueError):
    pass


def encode(before_id: str, query: str) -> str:
    raw = json.dumps(
        {"b": before_id, "c": query, "t": current_tenant()}, separators=(",", ":")
    ).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


# Tokens this server issues are under 300 characters; a longer one is not one of them.
MAX_TOKEN_LENGTH = 1024


def decode(token: str, query: str) -> str:
    """The id the next page starts below. A token from another query is refused: its position
    would silently skip or repeat rows of this one."""
    if len(token) > MAX_TOKEN_LENGTH:
        raise BadPageToken("the page_token is not one this server issued")
    try:
        padded = token + "=" * (-len(token) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        before, conversation, tenant = data["b"], data["c"], data["t"]
    except (ValueError, KeyError, TypeError, RecursionError) as exc:
        raise BadPageToken("the page_token is not one this server issued") from exc
    if tenant != current_tenant():
        raise BadPageToken("the page_token was issued to another caller")
    if not isinstance(before, str) or conversation != query:
        raise BadPageToken("the page_token belongs to a different query")
    return before
