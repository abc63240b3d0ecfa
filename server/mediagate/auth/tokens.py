"""Bearer tokens: made random, stored only as their SHA-256.

A token is 32 random bytes (256 bits), so a plain SHA-256 is enough to store it: nobody can
guess a preimage of a hash of that much entropy, and a slow password hash would only cost
every call time. The callers file holds "sha256:<hex>"; a leaked file gives no token.
"""

from __future__ import annotations

import hashlib
import re
import secrets

PREFIX = "mgt_"
HASH_PREFIX = "sha256:"
# What a token may look like on the wire: printable ASCII without spaces, bounded. Anything else
# is refused as malformed before it is hashed.
TOKEN_PATTERN = re.compile(r"^[\x21-\x7e]{16,512}$")
HASH_PATTERN = re.compile(r"^sha256:[0-9a-f]{64}$")


def new_token() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return HASH_PREFIX + hashlib.sha256(token.encode()).hexdigest()


def well_formed(token: str) -> bool:
    return bool(TOKEN_PATTERN.match(token))
