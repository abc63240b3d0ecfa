import pytest

from mediagate.api.page_tokens import BadPageToken, decode, encode


def test_round_trip_bound_to_its_query() -> None:
    token = encode("0" * 32, "conv-1")
    assert decode(token, "conv-1") == "0" * 32
    with pytest.raises(BadPageToken):
        decode(token, "conv-2")


@pytest.mark.parametrize("token", ["garbage", "e30", "!!!!", encode("x", "c")[:-3]])
def test_forged_tokens_are_refused(token: str) -> None:
    with pytest.raises(BadPageToken):
        decode(token, "c")


def test_hostile_tokens_are_refused_not_crashed_on() -> None:
    import base64

    deep = base64.urlsafe_b64encode(b"[" * 500).decode()  # json.loads recurses
    for token in (deep, "x" * 100_000, base64.urlsafe_b64encode(b'{"b": {}, "c": ""}').decode()):
        try:
            decode(token, "")
        except BadPageToken:
            continue
        raise AssertionError(f"{token[:20]}... was accepted")


def test_a_token_is_bound_to_the_tenant_it_was_issued_to() -> None:
    from mediagate.api.tenancy import reset_identity, set_identity
    from mediagate.auth.authenticate import Identity

    def as_tenant(tenant: str) -> object:
        return set_identity(Identity(caller="c", tenant=tenant, scopes=frozenset()))

    token = as_tenant("acme")
    issued = encode("0" * 32, "conv")
    assert decode(issued, "conv") == "0" * 32
    reset_identity(token)  # type: ignore[arg-type]
    other = as_tenant("globex")
    with pytest.raises(BadPageToken, match="another caller"):
        decode(issued, "conv")
    reset_identity(other)  # type: ignore[arg-type]
