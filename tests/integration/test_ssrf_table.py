"""The SSRF table of the issue, each row refused AND proven never to have connected: a Python
audit hook records every socket.connect this process makes (aiohttp's included), so a row
passes only if no connection to the forbidden address was even attempted, whatever listens
there. The refusal's reason and `why` are asserted too.

Rows name the forbidden place directly (a literal address, a name a resolver maps to it) or
reach it through a redirect from an allowed upstream on 127.0.0.2.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from aiohttp import web

from mediagate.errors import ErrorReason, MediagateError
from mediagate.sources.url_fetch import UrlFetcher
from mediagate.sources.url_policy import FetchPolicy
from tests.integration.test_url_fetch import FakeResolver, Upstream, fetch, refusal

_connects: list[tuple[str, int]] | None = None


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event == "socket.connect" and _connects is not None:
        address = args[1]
        if isinstance(address, tuple) and len(address) >= 2:
            _connects.append((str(address[0]), int(address[1])))


sys.addaudithook(_audit)  # audit hooks cannot be removed; it records only inside `recorded`


@contextlib.contextmanager
def recorded() -> Iterator[list[tuple[str, int]]]:
    global _connects
    _connects = []
    try:
        yield _connects
    finally:
        _connects = None


# Every row's host is on the allow-list, so what refuses it is the scheme, the userinfo or
# the address check, not the host list.
POLICY = FetchPolicy(
    allowed_hosts=(
        "127.0.0.1", "::1", "10.0.0.5", "169.254.169.254", "0.0.0.0", "::ffff:127.0.0.1",
        "loopback.test", "metadata.test", "mapped.test", "media.test", "127.0.0.2",
    ),
    allow_http=True,
    # The upstream that redirects lives on 127.0.0.2; nothing else is let through.
    allowed_networks=("127.0.0.2/32",),
    retry_base_delay=0.01,
    retry_max_wait=0.1,
)  # fmt: skip
NAMES = {
    "loopback.test": ["127.0.0.1"],
    "metadata.test": ["169.254.169.254"],
    "mapped.test": ["::ffff:127.0.0.1"],
    "media.test": ["127.0.0.2"],
}


@pytest.mark.parametrize(
    ("url", "why", "forbidden"),
    [
        ("http://127.0.0.1:9/", "address", "127.0.0.1"),
        ("http://[::1]:9/", "address", "::1"),
        ("http://10.0.0.5/", "address", "10.0.0.5"),
        ("http://169.254.169.254/latest/meta-data/", "address", "169.254.169.254"),
        ("http://0.0.0.0:9/", "address", "0.0.0.0"),
        # Spelled as a literal it is not the allow-listed name; resolved from a name, it is
        # judged by the IPv4 address inside.
        ("http://[::ffff:127.0.0.1]:9/", "host", "::ffff:127.0.0.1"),
        ("http://mapped.test:9/", "address", "::ffff:127.0.0.1"),
        ("http://loopback.test:9/", "address", "127.0.0.1"),
        ("http://metadata.test/latest/meta-data/", "address", "169.254.169.254"),
        ("ftp://media.test/file", "scheme", "127.0.0.2"),
        ("http://user:secret@media.test/file", "userinfo", "127.0.0.2"),
    ],
)
def test_a_forbidden_url_is_refused_without_any_connection(
    url: str, why: str, forbidden: str
) -> None:
    async def scenario() -> None:
        with recorded() as connects, pytest.raises(MediagateError) as caught:
            await fetch(UrlFetcher(POLICY, FakeResolver(dict(NAMES))), url)
        assert refusal(caught.value, ErrorReason.URL_NOT_ALLOWED)["why"] == why
        assert connects == [], f"connected to {connects} (the forbidden place: {forbidden})"

    asyncio.run(scenario())


def test_metadata_stays_refused_when_private_addresses_are_allowed() -> None:
    async def scenario() -> None:
        open_policy = replace(POLICY, allow_private=True)
        with recorded() as connects, pytest.raises(MediagateError) as caught:
            await fetch(UrlFetcher(open_policy, FakeResolver(dict(NAMES))),
                        "http://metadata.test/latest/meta-data/")  # fmt: skip
        assert refusal(caught.value, ErrorReason.URL_NOT_ALLOWED)["why"] == "address"
        assert connects == []

    asyncio.run(scenario())


def test_https_only_unless_http_is_allowed() -> None:
    async def scenario() -> None:
        strict = replace(POLICY, allow_http=False)
        with recorded() as connects, pytest.raises(MediagateError) as caught:
            await fetch(UrlFetcher(strict, FakeResolver(dict(NAMES))), "http://media.test/x")
        assert refusal(caught.value, ErrorReason.URL_NOT_ALLOWED)["why"] == "scheme"
        assert connects == []

    asyncio.run(scenario())


@pytest.mark.parametrize(
    "target", ["http://10.0.0.5/x", "http://127.0.0.1:9/x", "http://metadata.test/x",
               "http://[::ffff:10.0.0.5]/x"],
)  # fmt: skip
def test_a_redirect_from_an_allowed_host_to_a_private_one_is_refused(target: str) -> None:
    async def scenario() -> None:
        async def hop(request: web.Request) -> web.StreamResponse:
            raise web.HTTPFound(target)

        async with Upstream(host="127.0.0.2") as up:
            up.route("/start", hop)
            with recorded() as connects, pytest.raises(MediagateError) as caught:
                await fetch(UrlFetcher(POLICY, FakeResolver(dict(NAMES))), up.url("/start"))
        assert refusal(caught.value, ErrorReason.URL_NOT_ALLOWED)["why"] in ("address", "host")
        # The only connection made is to the allowed upstream.
        assert {host for host, _ in connects} == {"127.0.0.2"}

    asyncio.run(scenario())
