"""clamd's replies and MEDIAGATE_CLAMD's addresses: what is a verdict, what is an error."""

from __future__ import annotations

import pytest

from mediagate.scanning.clamd import ClamdAddress, ScanFailed, ScanResult, Why, parse_address
from mediagate.scanning.clamd import parse_reply as parse


def test_ok_is_clean() -> None:
    assert parse(b"stream: OK\0") == ScanResult()
    assert not parse(b"stream: OK").infected


@pytest.mark.parametrize(
    "reply, signature",
    [
        (b"stream: Custom.Test.EICAR.NDB.UNOFFICIAL FOUND\0", "Custom.Test.EICAR.NDB.UNOFFICIAL"),
        (b"stream: Win.Test.EICAR_HDB-1 FOUND\0", "Win.Test.EICAR_HDB-1"),
        (b"stream: Eicar-Signature FOUND\n\0", "Eicar-Signature"),
    ],
)
def test_found_names_the_signature(reply: bytes, signature: str) -> None:
    result = parse(reply)
    assert result.infected
    assert result.signature == signature


@pytest.mark.parametrize(
    "reply",
    [
        b"INSTREAM size limit exceeded. ERROR\0",
        b"stream: Can't allocate memory ERROR\0",
        b"stream: lstat() failed: No such file or directory. ERROR\0",
    ],
)
def test_error_replies_are_errors(reply: bytes) -> None:
    with pytest.raises(ScanFailed) as failed:
        parse(reply)
    assert failed.value.why is Why.ERROR
    assert "ERROR" in failed.value.message


@pytest.mark.parametrize(
    "reply",
    [
        b"",
        b"\0",
        b"PONG\0",
        b"UNKNOWN COMMAND\0",
        b"COMMAND READ TIMED OUT\0",
        b"stream: FOUND\0",  # no name
        b"stream:  FOUND\0",
        b"stream: two words FOUND\0",
        b"stream: OK OK\0",
        b"1: stream: OK\0",  # an IDSESSION reply: not what INSTREAM asked for
        b"HTTP/1.1 400 Bad Request\r\n\r\n",  # not clamd at all
        b"stream: \x1b[31mEvil\x1b[0m FOUND\0",
    ],
)
def test_anything_else_is_an_error_never_clean(reply: bytes) -> None:
    with pytest.raises(ScanFailed) as failed:
        parse(reply)
    assert failed.value.why is Why.ERROR


@pytest.mark.parametrize(
    "value, address",
    [
        ("unix:/run/clamav/clamd.ctl", ClamdAddress(unix_path="/run/clamav/clamd.ctl")),
        ("unix:///tmp/c.sock", ClamdAddress(unix_path="/tmp/c.sock")),
        ("/tmp/clamd.sock", ClamdAddress(unix_path="/tmp/clamd.sock")),
        ("tcp://127.0.0.1:3310", ClamdAddress(host="127.0.0.1", port=3310)),
        ("127.0.0.1:3310", ClamdAddress(host="127.0.0.1", port=3310)),
        ("clamd.internal:3310", ClamdAddress(host="clamd.internal", port=3310)),
        ("tcp://[::1]:3310", ClamdAddress(host="::1", port=3310)),
        (" 127.0.0.1:3310 ", ClamdAddress(host="127.0.0.1", port=3310)),
    ],
)
def test_addresses(value: str, address: ClamdAddress) -> None:
    assert parse_address(value) == address


@pytest.mark.parametrize(
    "value",
    [
        "unix:relative.sock",
        "clamd.sock",
        "127.0.0.1",
        "127.0.0.1:",
        ":3310",
        "127.0.0.1:0",
        "127.0.0.1:65536",
        "127.0.0.1:33a",
        "tcp://127.0.0.1:3310/path",
        "http://127.0.0.1:3310",
    ],
)
def test_bad_addresses_are_refused(value: str) -> None:
    with pytest.raises(ValueError):
        parse_address(value)


def test_addresses_print_as_they_are_written() -> None:
    assert str(parse_address("/tmp/c.sock")) == "unix:/tmp/c.sock"
    assert str(parse_address("127.0.0.1:3310")) == "tcp://127.0.0.1:3310"
