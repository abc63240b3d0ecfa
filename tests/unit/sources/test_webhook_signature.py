"""X-Hub-Signature-256 checks (sources/webhook_signature.py)."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from mediagate.sources.webhook_signature import signature_of, verify

BODY = b'{"id":"m1","content":[]}'


def test_the_platforms_base64_form_verifies() -> None:
    digest = hmac.new(b"s3cret", BODY, hashlib.sha256).digest()
    header = "sha256=" + base64.b64encode(digest).decode()
    assert signature_of(BODY, "s3cret") == header
    assert verify(BODY, header, ["s3cret"])


def test_the_hex_form_verifies() -> None:
    header = "sha256=" + hmac.new(b"s3cret", BODY, hashlib.sha256).hexdigest()
    assert verify(BODY, header, ["s3cret"])


def test_any_of_several_secrets_verifies_so_a_secret_can_be_rotated() -> None:
    assert verify(BODY, signature_of(BODY, "old"), ["new", "old"])
    assert verify(BODY, signature_of(BODY, "new"), ["new", "old"])


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "sha256=",
        "sha1=" + base64.b64encode(hashlib.sha1(BODY).digest()).decode(),
        signature_of(BODY, "wrong secret"),
        signature_of(BODY + b" ", "s3cret"),  # a body changed after signing
        signature_of(BODY, "s3cret")[:-4] + "AAA=",
        "sha256=" + "z" * 64,
        "sha256=" + "A" * 500,
        "sha256=" + base64.b64encode(b"short").decode(),
    ],
)
def test_anything_else_is_refused(header: str | None) -> None:
    assert not verify(BODY, header, ["s3cret"])


def test_no_secret_configured_verifies_nothing() -> None:
    assert not verify(BODY, signature_of(BODY, ""), [""])
    assert not verify(BODY, signature_of(BODY, "x"), [])
