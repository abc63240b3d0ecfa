"""Signed media URLs: round trips, every tampering refused with its kind, expiry, rotation, and
the local key file."""

from __future__ import annotations

import base64
import stat
from pathlib import Path

import pytest

from mediagate.signing.keys import KEY_FILE_NAME, LOCAL_KEY_ID, load_signer, parse_keys
from mediagate.signing.urls import LinkRefused, Refusal, UrlSigner

OLD = b"o" * 32
NEW = b"n" * 32
PATH = "/v1/media/default/0123456789abcdef0123456789abcdef"
EXPIRES = 1_800_000_000
NOW = EXPIRES - 60


def signer(**keys: bytes) -> UrlSigner:
    return UrlSigner(keys or {"k1": OLD}, next(iter(keys or {"k1": OLD})))


def refusal(s: UrlSigner, path: str, query: dict[str, str], now: float = NOW) -> Refusal:
    with pytest.raises(LinkRefused) as refused:
        s.verify(path, query, now)
    signature = query.get("sig")
    if signature:  # a refusal's message never carries the signature
        assert signature not in str(refused.value)
    return refused.value.kind


def test_round_trip() -> None:
    s = signer()
    query = s.sign(PATH, EXPIRES)
    assert list(query) == ["exp", "kid", "sig"]
    verified = s.verify(PATH, query, NOW)
    assert (verified.path, verified.expires, verified.key_id, verified.delivery_id) == (
        PATH,
        EXPIRES,
        "k1",
        "",
    )


def test_round_trip_with_a_delivery() -> None:
    s = signer()
    query = s.sign(PATH, EXPIRES, delivery_id="d-42")
    assert query["d"] == "d-42"
    assert s.verify(PATH, query, NOW).delivery_id == "d-42"


def test_signature_is_base64url_without_padding() -> None:
    sig = signer().sign(PATH, EXPIRES)["sig"]
    assert len(sig) == 43 and "=" not in sig
    assert len(base64.urlsafe_b64decode(sig + "=")) == 32


@pytest.mark.parametrize(
    "change",
    [
        {"exp": str(EXPIRES + 1)},
        {"d": "d-43"},
        {"d": "other"},
    ],
    ids=["exp", "d-changed", "d-other"],
)
def test_tampered_fields_are_bad_signatures(change: dict[str, str]) -> None:
    s = signer()
    query = s.sign(PATH, EXPIRES, delivery_id="d-42")
    assert refusal(s, PATH, {**query, **change}) is Refusal.BAD_SIGNATURE


def test_adding_or_removing_a_delivery_id_is_a_bad_signature() -> None:
    s = signer()
    plain = s.sign(PATH, EXPIRES)
    assert refusal(s, PATH, {**plain, "d": "d-1"}) is Refusal.BAD_SIGNATURE
    bound = s.sign(PATH, EXPIRES, delivery_id="d-1")
    del bound["d"]
    assert refusal(s, PATH, bound) is Refusal.BAD_SIGNATURE


@pytest.mark.parametrize(
    "path",
    [
        PATH.replace("default", "other"),
        PATH[:-1] + "0",
        PATH + "/rendition",
        PATH + "/preview/300x300-webp-q80-p1",
        PATH.upper().replace("/V1/MEDIA/", "/v1/media/"),
    ],
)
def test_another_path_is_a_bad_signature(path: str) -> None:
    s = signer()
    assert refusal(s, path, s.sign(PATH, EXPIRES)) is Refusal.BAD_SIGNATURE


def test_flipped_signature_is_a_bad_signature() -> None:
    s = signer()
    query = s.sign(PATH, EXPIRES)
    sig = query["sig"]
    flipped = ("A" if sig[0] != "A" else "B") + sig[1:]
    assert refusal(s, PATH, {**query, "sig": flipped}) is Refusal.BAD_SIGNATURE


def test_another_key_with_the_same_id_is_a_bad_signature() -> None:
    query = signer(k1=OLD).sign(PATH, EXPIRES)
    assert refusal(signer(k1=NEW), PATH, query) is Refusal.BAD_SIGNATURE


def test_unknown_key() -> None:
    query = signer(k1=OLD).sign(PATH, EXPIRES)
    assert refusal(signer(k2=OLD), PATH, query) is Refusal.UNKNOWN_KEY


@pytest.mark.parametrize(
    "change",
    [
        {"sig": "not base64!"},
        {"sig": "A" * 42},
        {"sig": "A" * 44},
        {"sig": ""},
        {"sig": "A" * 42 + "="},
        {"exp": "soon"},
        {"exp": "-1"},
        {"exp": "1e9"},
        {"exp": ""},
        {"kid": ""},
        {"kid": "k 1"},
        {"d": ""},
        {"d": "a/b"},
    ],
)
def test_malformed_fields(change: dict[str, str]) -> None:
    s = signer()
    query = {**s.sign(PATH, EXPIRES), **change}
    assert refusal(s, PATH, query) is Refusal.MALFORMED


@pytest.mark.parametrize("missing", ["exp", "kid", "sig"])
def test_missing_params_are_malformed(missing: str) -> None:
    s = signer()
    query = s.sign(PATH, EXPIRES)
    del query[missing]
    assert refusal(s, PATH, query) is Refusal.MALFORMED


def test_a_path_that_is_not_encoded_ascii_is_malformed() -> None:
    s = signer()
    query = s.sign(PATH, EXPIRES)
    assert refusal(s, PATH + "/é", query) is Refusal.MALFORMED
    assert refusal(s, "relative", query) is Refusal.MALFORMED


def test_expiry_boundary() -> None:
    s = signer()
    query = s.sign(PATH, EXPIRES)
    assert s.verify(PATH, query, EXPIRES - 0.001).expires == EXPIRES
    assert refusal(s, PATH, query, now=EXPIRES) is Refusal.EXPIRED
    assert refusal(s, PATH, query, now=EXPIRES + 3600) is Refusal.EXPIRED


def test_a_forged_expired_url_is_a_bad_signature_not_expired() -> None:
    """The MAC is checked before the expiry: a forger learns nothing from the kind."""
    s = signer()
    query = {**s.sign(PATH, EXPIRES), "exp": str(EXPIRES - 7200)}
    assert refusal(s, PATH, query) is Refusal.BAD_SIGNATURE


def test_rotation() -> None:
    before = UrlSigner({"old": OLD}, "old")
    during = UrlSigner({"old": OLD, "new": NEW}, "new")
    after = UrlSigner({"new": NEW}, "new")
    old_url = before.sign(PATH, EXPIRES)
    new_url = during.sign(PATH, EXPIRES)
    assert new_url["kid"] == "new"
    assert during.verify(PATH, old_url, NOW).key_id == "old"
    assert during.verify(PATH, new_url, NOW).key_id == "new"
    assert after.verify(PATH, new_url, NOW).key_id == "new"
    assert refusal(after, PATH, old_url) is Refusal.UNKNOWN_KEY


def test_short_secrets_and_bad_rings_are_refused() -> None:
    with pytest.raises(ValueError, match="at least 32"):
        UrlSigner({"k": b"x" * 31}, "k")
    with pytest.raises(ValueError, match="not in the key ring"):
        UrlSigner({"k": OLD}, "other")
    with pytest.raises(ValueError, match="empty"):
        UrlSigner({}, "k")


def test_parse_keys_setting() -> None:
    old = base64.b64encode(OLD).decode()
    new = base64.urlsafe_b64encode(NEW).decode().rstrip("=")
    assert parse_keys(f"k1:{old}, k2:{new}") == {"k1": OLD, "k2": NEW}
    short = base64.b64encode(b"x" * 16).decode()
    with pytest.raises(ValueError, match="at least 32") as error:
        parse_keys(f"k1:{short}")
    assert short not in str(error.value)
    for bad in ("k1", "k1:***", f"k1:{old},k1:{old}", "", "bad id:" + old):
        with pytest.raises(ValueError):
            parse_keys(bad)


def test_signing_key_from_settings(tmp_path: Path) -> None:
    setting = f"a:{base64.b64encode(OLD).decode()},b:{base64.b64encode(NEW).decode()}"
    assert load_signer(setting, "", tmp_path).signing_key_id == "a"
    assert load_signer(setting, "b", tmp_path).signing_key_id == "b"
    with pytest.raises(ValueError, match="not among"):
        load_signer(setting, "c", tmp_path)
    assert not (tmp_path / KEY_FILE_NAME).exists()


def test_local_key_file_is_made_private_and_reused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = load_signer("", "", data)
    path = data / KEY_FILE_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert first.signing_key_id == LOCAL_KEY_ID
    query = first.sign(PATH, EXPIRES)
    contents = path.read_bytes()
    again = load_signer("", "", data)
    assert path.read_bytes() == contents
    assert again.verify(PATH, query, NOW).key_id == LOCAL_KEY_ID
    assert [p.name for p in data.iterdir()] == [KEY_FILE_NAME]
    # Another data directory is another key: the URL does not verify there.
    other = load_signer("", "", tmp_path / "other")
    assert refusal(other, PATH, query) is Refusal.BAD_SIGNATURE
