"""X-Hub-Signature-256: the proof that an Open Messaging webhook comes from Genesys Cloud.

Threat model: the webhook endpoint is reachable by anyone who can reach the server. A request
is believed only if its header is "sha256=" followed by the HMAC-SHA256 of the exact raw body
with the integration's secret. The platform sends it base64-encoded (the reference); the
GitHub-style hex form is accepted too. Comparison is constant-time (hmac.compare_digest), so
timing reveals nothing about the expected value. Several secrets may be configured at once,
so a secret can be rotated without a window of refused deliveries. A replayed request (a
genuine body sent again) verifies, by design: redeliveries are how the platform retries, and
the inbox ignores an item it already has, so a replay costs one lookup.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Sequence

PREFIX = "sha256="
# A base64 or hex SHA-256 is under 100 characters; a longer header is not a signature.
MAX_HEADER = 200


def signature_of(body: bytes, secret: str) -> str:
    """The header value the platform sends for this body."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return PREFIX + base64.b64encode(digest).decode()


def verify(body: bytes, header: str | None, secrets: Sequence[str]) -> bool:
    """Whether the header is this body's signature under one of the secrets."""
    if not header or len(header) > MAX_HEADER or not header.startswith(PREFIX):
        return False
    claimed = _digest(header[len(PREFIX) :].strip())
    if claimed is None:
        return False
    matched = False
    for secret in secrets:
        if not secret:
            continue
        expected = hmac.new(secret.encode(), body, hashlib.sha256).digest()
        # Every secret is compared (no early exit), so the time taken does not say which one.
        matched |= hmac.compare_digest(expected, claimed)
    return matched


def _digest(text: str) -> bytes | None:
    if len(text) == 64:
        try:
            return bytes.fromhex(text)
        except ValueError:
            return None
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) == hashlib.sha256().digest_size else None
