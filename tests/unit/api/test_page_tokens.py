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
