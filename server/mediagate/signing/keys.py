"""The URL signing key ring, from settings or, when none is configured, from a key file that
the server makes once in its data directory (so URLs it signed survive a restart).

The setting is "kid1:base64secret,kid2:base64secret" (standard or URL-safe base64); the signing
key is named by its own setting, the first key when unset. Every secret must be at least 32
bytes. The key file holds one line in the same format, mode 0600. This is the one place in
signing/ that touches the disk, and only at start.
"""

from __future__ import annotations

import base64
import binascii
import logging
import os
import secrets
from pathlib import Path

from mediagate.signing.urls import KEY_ID_PATTERN, MIN_SECRET_BYTES, UrlSigner

log = logging.getLogger(__name__)

KEY_FILE_NAME = "url-signing-keys"
LOCAL_KEY_ID = "local-1"


def parse_keys(text: str) -> dict[str, bytes]:
    """{key id: secret} from "kid:base64,kid:base64"; ValueError names what is wrong (never a
    secret)."""
    keys: dict[str, bytes] = {}
    for item in text.replace("\n", ",").split(","):
        item = item.strip()
        if not item:
            continue
        key_id, colon, encoded = item.partition(":")
        key_id = key_id.strip()
        if not colon or not KEY_ID_PATTERN.match(key_id):
            raise ValueError("URL signing keys are 'kid:base64secret' separated by commas")
        if key_id in keys:
            raise ValueError(f"URL signing key {key_id!r} is given twice")
        keys[key_id] = _decode(key_id, encoded.strip())
    if not keys:
        raise ValueError("no URL signing keys are given")
    return keys


def _decode(key_id: str, encoded: str) -> bytes:
    padded = encoded + "=" * (-len(encoded) % 4)
    try:
        secret = base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(f"URL signing key {key_id!r} is not base64") from None
    if len(secret) < MIN_SECRET_BYTES:
        raise ValueError(
            f"URL signing key {key_id!r} has {len(secret)} bytes; at least {MIN_SECRET_BYTES} "
            "random bytes are needed"
        )
    return secret


def format_keys(keys: dict[str, bytes]) -> str:
    return ",".join(f"{kid}:{base64.b64encode(secret).decode()}" for kid, secret in keys.items())


def load_signer(keys_setting: str, signing_key_id: str, data_dir: Path) -> UrlSigner:
    """The signer from the settings, or from the data directory's key file (made if absent)."""
    keys = parse_keys(keys_setting) if keys_setting.strip() else local_keys(data_dir)
    signing = signing_key_id or next(iter(keys))
    if signing not in keys:
        raise ValueError(f"MEDIAGATE_URL_SIGNING_KEY_ID {signing!r} is not among the keys")
    return UrlSigner(keys, signing)


def local_keys(data_dir: Path) -> dict[str, bytes]:
    """The key file's keys, creating it (32 random bytes, mode 0600) the first time."""
    path = data_dir / KEY_FILE_NAME
    data_dir.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        # Written whole under a temporary name, then linked into place: a concurrent start
        # either wins the link or reads the winner's complete file, never a half-written one.
        temporary = data_dir / f".{KEY_FILE_NAME}.{secrets.token_hex(8)}"
        line = format_keys({LOCAL_KEY_ID: secrets.token_bytes(MIN_SECRET_BYTES)}) + "\n"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(descriptor, line.encode())
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        try:
            os.link(temporary, path)
            log.info("made a URL signing key in %s (key id %s)", path, LOCAL_KEY_ID)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    if path.stat().st_mode & 0o077:
        log.warning("%s is readable by others than its owner; it should be mode 0600", path)
    return parse_keys(path.read_text())
