"""Signing and verifying media URLs (HMAC-SHA256, a ring of verification keys, one signing key).

A URL names a path on the media endpoint and carries, in its query:
  exp  the expiry, whole unix seconds (the URL works while now < exp);
  kid  the id of the key that signed it;
  d    optional: the delivery the URL was made for, so the endpoint can record the fetch
       against it;
  sig  base64url (no padding) of HMAC-SHA256(key, canonical), where canonical is
       "mediagate-media-url-v1\\nGET,HEAD\\n{path}\\n{exp}\\n{kid}\\n{d}".
The path is signed exactly as it travels (percent-encoded), so what is verified is what the
server routes on.

THREAT MODEL
- Who holds URLs: the caller that asked for one (an internal service), the contact-center
  platform it was handed to (Genesys Cloud's crawler fetches it), and whatever sits between
  (load balancer, CDN, proxies, their logs). Treat a URL as a bearer secret.
- What a leaked URL gives: GET and HEAD of exactly one representation (one attachment's bytes,
  one preview, or one voice rendition) of one tenant, until exp. Nothing else: not another
  attachment, not another preview size, not a listing, not a write. The tenant is inside the
  signed path, so a URL never crosses tenants.
- Replay: a URL can be fetched any number of times until it expires; that is what lets the
  platform's crawler retry. Lifetimes are therefore short by default (15 minutes) and bounded
  (7 days at most). A URL also dies early when its attachment is deleted or expires (404).
- Tampering: every field a URL carries is inside the MAC: the methods, the path (tenant,
  attachment, target), exp, kid and d. Changing any of them, or dropping one, fails
  verification; d is signed even when empty, so it can be neither added nor removed. The
  scheme string versions the canonical form, so a MAC made for another purpose or a later
  format never verifies as this one.
- Key rotation: the server verifies with every key in its ring and signs with one. To rotate,
  add the new key to every replica, then make it the signing key, then remove the old key once
  the URLs it signed have expired (at most the maximum lifetime). Removing a key revokes every
  URL it signed at once (the emergency brake for a leaked key). Secrets are at least 32 random
  bytes (the HMAC-SHA256 block of security); shorter ones are refused at start.
- Timing attacks: the signature is compared with hmac.compare_digest, in constant time; the
  expiry is checked only after the MAC, so an attacker learns nothing about a forged URL from
  which check failed or how long it took.
- Logs: the signature is never logged (a logged URL with its sig is a live credential). Logs
  name the path, kid, exp and the refusal kind, which is enough to debug and useless to replay.
- Why 403 says nothing: malformed, unknown key, bad signature and expired are distinct kinds
  here (for logs and tests) but one bare 403 on the wire, so a prober cannot tell a forged URL
  from an expired one, or learn which key ids exist.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass

SCHEME = "mediagate-media-url-v1"
METHODS = "GET,HEAD"
MIN_SECRET_BYTES = 32

EXPIRES, KEY_ID, DELIVERY, SIGNATURE = "exp", "kid", "d", "sig"
QUERY_PARAMS = (EXPIRES, KEY_ID, DELIVERY, SIGNATURE)

KEY_ID_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
DELIVERY_ID_PATTERN = re.compile(r"^[A-Za-z0-9._~-]{1,128}$")
_EXPIRES = re.compile(r"^[0-9]{1,12}$")
_SIGNATURE = re.compile(r"^[A-Za-z0-9_-]{43}$")  # 32 bytes, base64url without padding
_PATH = re.compile(r"^/[\x21-\x7e]*$")  # printable ASCII: a percent-encoded path


class Refusal(enum.StrEnum):
    """Why a URL was refused: for logs and tests only; every kind is the same 403 outside."""

    MALFORMED = "malformed"
    UNKNOWN_KEY = "unknown_key"
    BAD_SIGNATURE = "bad_signature"
    EXPIRED = "expired"


class LinkRefused(Exception):
    """A URL that does not verify. The message never holds the signature."""

    def __init__(self, kind: Refusal, detail: str = "") -> None:
        super().__init__(f"{kind.value}: {detail}" if detail else kind.value)
        self.kind = kind


@dataclass(frozen=True)
class Verified:
    """What a verified URL says: its signed path, expiry, key and delivery."""

    path: str
    expires: int
    key_id: str
    delivery_id: str


def canonical(path: str, expires: int, key_id: str, delivery_id: str) -> bytes:
    return f"{SCHEME}\n{METHODS}\n{path}\n{expires}\n{key_id}\n{delivery_id}".encode()


class UrlSigner:
    """Signs with one key of the ring and verifies with any of them."""

    def __init__(self, keys: Mapping[str, bytes], signing_key_id: str) -> None:
        if not keys:
            raise ValueError("the URL signing key ring is empty")
        for key_id, secret in keys.items():
            if not KEY_ID_PATTERN.match(key_id):
                raise ValueError(f"URL signing key id {key_id!r} is not [A-Za-z0-9._-]{{1,64}}")
            if len(secret) < MIN_SECRET_BYTES:
                raise ValueError(
                    f"URL signing key {key_id!r} has {len(secret)} bytes; "
                    f"at least {MIN_SECRET_BYTES} are needed"
                )
        if signing_key_id not in keys:
            raise ValueError(f"the signing key {signing_key_id!r} is not in the key ring")
        self._keys = dict(keys)
        self.signing_key_id = signing_key_id

    @property
    def key_ids(self) -> list[str]:
        return list(self._keys)

    def sign(self, path: str, expires: int, delivery_id: str = "") -> dict[str, str]:
        """The query parameters that make `path` a signed URL until `expires` (unix seconds)."""
        if not _PATH.match(path):
            raise ValueError("a signed path is percent-encoded printable ASCII starting with /")
        if delivery_id and not DELIVERY_ID_PATTERN.match(delivery_id):
            raise ValueError("a delivery id is [A-Za-z0-9._~-]{1,128}")
        if not 0 <= expires < 10**12:
            raise ValueError("expires is unix seconds")
        key_id = self.signing_key_id
        query = {EXPIRES: str(expires), KEY_ID: key_id}
        if delivery_id:
            query[DELIVERY] = delivery_id
        query[SIGNATURE] = _mac(self._keys[key_id], path, expires, key_id, delivery_id)
        return query

    def verify(self, path: str, query: Mapping[str, str], now: float) -> Verified:
        """The URL's fields if it verifies at `now`; LinkRefused (with its kind) otherwise.
        Checks in order: form, key, signature (constant time), then expiry."""
        expires_text = query.get(EXPIRES, "")
        key_id = query.get(KEY_ID, "")
        delivery_id = query.get(DELIVERY, "")
        signature = query.get(SIGNATURE, "")
        if not _PATH.match(path):
            raise LinkRefused(Refusal.MALFORMED, "path")
        if not _EXPIRES.match(expires_text):
            raise LinkRefused(Refusal.MALFORMED, EXPIRES)
        if not KEY_ID_PATTERN.match(key_id):
            raise LinkRefused(Refusal.MALFORMED, KEY_ID)
        if DELIVERY in query and not DELIVERY_ID_PATTERN.match(delivery_id):
            raise LinkRefused(Refusal.MALFORMED, DELIVERY)
        if not _SIGNATURE.match(signature):
            raise LinkRefused(Refusal.MALFORMED, SIGNATURE)
        secret = self._keys.get(key_id)
        if secret is None:
            raise LinkRefused(Refusal.UNKNOWN_KEY, key_id)
        expires = int(expires_text)
        expected = _mac(secret, path, expires, key_id, delivery_id)
        if not hmac.compare_digest(expected.encode(), signature.encode()):
            raise LinkRefused(Refusal.BAD_SIGNATURE)
        if now >= expires:
            raise LinkRefused(Refusal.EXPIRED, f"at {expires}")
        return Verified(path, expires, key_id, delivery_id)


def _mac(secret: bytes, path: str, expires: int, key_id: str, delivery_id: str) -> str:
    digest = hmac.new(secret, canonical(path, expires, key_id, delivery_id), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode()
