"""UrlFetcher against real servers on loopback: what is fetched, what is refused, and that a
refused address never saw a connection.

Test host names (media.test, other.test, ...) reach the servers through a fake resolver, the
only stand-in here; everything else (sockets, HTTP, TLS) is real. Servers that must be cut
off or must stall are raw asyncio servers that count connections and bytes written.
"""

from __future__ import annotations

import asyncio
import datetime
import gzip
import hashlib
import os
import socket
import ssl
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult

from mediagate.errors import ErrorReason, MediagateError, Rejected
from mediagate.reasons import Reason
from mediagate.sources.url_fetch import CHUNK_BYTES, FetchedBody, UrlFetcher
from mediagate.sources.url_policy import FetchPolicy

POLICY = FetchPolicy(
    allowed_hosts=(
        "media.test",
        "other.test",
        "internal.test",
        "mixed.test",
        "slow.test",
        "nowhere.test",
        "127.0.0.2",
    ),
    allow_http=True,
    allowed_networks=("127.0.0.1/32",),
    read_timeout=10.0,
    total_timeout=60.0,
    retry_base_delay=0.01,
    retry_max_wait=1.0,
)
MiB = 1024 * 1024


def run(coro: Coroutine[Any, Any, None]) -> None:
    asyncio.run(coro)


class FakeResolver(AbstractResolver):
    """Test names to addresses; a name mapped to an Event hangs until it is set."""

    def __init__(self, table: dict[str, list[str] | asyncio.Event]) -> None:
        self.table = table
        self.asked: list[str] = []

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        self.asked.append(host)
        entry = self.table.get(host)
        if entry is None:
            raise OSError(f"{host}: no such name")
        if isinstance(entry, asyncio.Event):
            await entry.wait()
            raise OSError(f"{host}: gave up")
        return [
            {
                "hostname": host,
                "host": ip,
                "port": port,
                "family": socket.AF_INET6 if ":" in ip else socket.AF_INET,
                "proto": 0,
                "flags": 0,
            }
            for ip in entry
        ]

    async def close(self) -> None:
        pass


def resolver(**extra: list[str] | asyncio.Event) -> FakeResolver:
    table: dict[str, list[str] | asyncio.Event] = {
        "media.test": ["127.0.0.1"],
        "other.test": ["127.0.0.2"],
        "internal.test": ["10.0.0.1"],
        "mixed.test": ["127.0.0.1", "10.0.0.1"],
        "nowhere.test": ["127.0.0.1"],
    }
    table.update(extra)
    return FakeResolver(table)


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Upstream:
    """An aiohttp server on `host`, recording every request's path and headers."""

    def __init__(self, host: str = "127.0.0.1", ssl_context: ssl.SSLContext | None = None):
        self.host = host
        self.ssl_context = ssl_context
        self.app = web.Application(middlewares=[self._record])
        self.app.router.add_get("/{tail:.*}", self._dispatch)
        self.routes: dict[str, Handler] = {}
        self.seen: list[tuple[str, dict[str, str]]] = []
        self.port = 0

    def route(self, path: str, handler: Handler) -> None:
        """`handler` answers `path`, or every path under it if `path` ends in a slash."""
        self.routes[path] = handler

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        for path, handler in self.routes.items():
            if request.path == path or (path.endswith("/") and request.path.startswith(path)):
                return await handler(request)
        raise web.HTTPNotFound()

    def url(self, path: str, name: str = "media.test") -> str:
        scheme = "https" if self.ssl_context else "http"
        return f"{scheme}://{name}:{self.port}{path}"

    @web.middleware
    async def _record(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        self.seen.append((request.path, dict(request.headers)))
        return await handler(request)

    async def __aenter__(self) -> Upstream:
        self.runner = web.AppRunner(self.app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, self.host, 0, ssl_context=self.ssl_context)
        await site.start()
        self.port = self.runner.addresses[0][1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.runner.cleanup()


Respond = Callable[["RawServer", asyncio.StreamWriter], Awaitable[None]]


class RawServer:
    """A raw HTTP/1.1 server: counts connections and bytes written, runs `respond`."""

    def __init__(self, respond: Respond, host: str = "127.0.0.1") -> None:
        self.respond = respond
        self.host = host
        self.connections = 0
        self.written = 0
        self.finished = asyncio.Event()
        self.release = asyncio.Event()
        self.port = 0

    def url(self, path: str = "/file", name: str = "media.test") -> str:
        return f"http://{name}:{self.port}{path}"

    async def send(self, writer: asyncio.StreamWriter, data: bytes) -> None:
        writer.write(data)
        await writer.drain()
        self.written += len(data)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 64 * 1024)
        try:
            await reader.readuntil(b"\r\n\r\n")
            await self.respond(self, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()
            self.finished.set()

    async def __aenter__(self) -> RawServer:
        self.server = await asyncio.start_server(self._serve, self.host, 0)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.release.set()
        self.server.close()
        await self.server.wait_closed()


async def only_ok(server: RawServer, writer: asyncio.StreamWriter) -> None:
    await server.send(writer, b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")


async def read_all(body: FetchedBody) -> bytes:
    return b"".join([chunk async for chunk in body.chunks()])


async def fetch(fetcher: UrlFetcher, url: str, max_bytes: int = 10 * MiB) -> bytes:
    async with fetcher.open(url, max_bytes=max_bytes) as body:
        return await read_all(body)


def refusal(error: BaseException, reason: ErrorReason) -> dict[str, str]:
    assert isinstance(error, MediagateError), error
    assert error.reason == reason, (error.reason, error.message, error.metadata)
    return dict(error.metadata)


def counting(*answers: Callable[[], web.StreamResponse]) -> tuple[Any, list[int]]:
    """A handler giving answers[i] to the i-th request (the last one from then on)."""
    calls = [0]

    async def handler(request: web.Request) -> web.StreamResponse:
        calls[0] += 1
        return answers[min(calls[0], len(answers)) - 1]()

    return handler, calls


# ---- what is fetched ----------------------------------------------------------------------


def test_streams_a_200_in_bounded_chunks() -> None:
    data = os.urandom(3 * MiB + 17)

    async def scenario() -> None:
        async def handler(request: web.Request) -> web.Response:
            return web.Response(body=data, content_type="image/jpeg", headers={"ETag": '"v1"'})

        async with Upstream() as up:
            up.route("/a/file.jpg", handler)
            fetcher = UrlFetcher(POLICY, resolver())
            url = up.url("/a/file.jpg") + "?sig=secret#frag"
            async with fetcher.open(url, max_bytes=4 * MiB) as body:
                assert body.status == 200 and body.url == up.url("/a/file.jpg")
                assert body.content_type == "image/jpeg" and body.content_length == len(data)
                assert body.etag == '"v1"'
                digest, sizes = hashlib.sha256(), []
                async for chunk in body.chunks():
                    digest.update(chunk)
                    sizes.append(len(chunk))
            assert digest.digest() == hashlib.sha256(data).digest()
            assert max(sizes) <= CHUNK_BYTES and sum(sizes) == len(data)
            ((_path, headers),) = up.seen
            assert headers["Accept-Encoding"] == "identity" and "Authorization" not in headers

    run(scenario())


def test_gzip_body_is_returned_as_sent() -> None:
    bomb = gzip.compress(bytes(20 * MiB))  # expands to 20 MiB; arrives as ~20 KiB

    async def scenario() -> None:
        async def handler(request: web.Request) -> web.Response:
            return web.Response(body=bomb, headers={"Content-Encoding": "gzip"})

        async with Upstream() as up:
            up.route("/file", handler)
            async with UrlFetcher(POLICY, resolver()).open(up.url("/file"), max_bytes=MiB) as body:
                assert body.content_encoding == "gzip"
                assert await read_all(body) == bomb

    run(scenario())


def test_tls_checks_the_host_name_while_connecting_to_the_pinned_address(
    tmp_path: Path,
) -> None:
    cert, key = self_signed(tmp_path, "media.test")
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    client_tls = ssl.create_default_context(cafile=str(cert))

    async def scenario() -> None:
        async def handler(request: web.Request) -> web.Response:
            return web.Response(body=b"secure")

        async with Upstream(ssl_context=server_tls) as up:
            up.route("/file", handler)
            fetcher = UrlFetcher(POLICY, resolver(), ssl_context=client_tls)
            assert await fetch(fetcher, up.url("/file")) == b"secure"
            with pytest.raises(MediagateError) as caught:  # nowhere.test is not on the cert
                await fetch(fetcher, up.url("/file", "nowhere.test"))
            meta = refusal(caught.value, ErrorReason.FETCH_FAILED)
            assert meta["why"] == "tls" and meta["status"] == "0"

    run(scenario())


def self_signed(directory: Path, name: str) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


# ---- sizes -------------------------------------------------------------------------------


def test_content_length_over_the_limit_is_refused_before_the_body() -> None:
    async def scenario() -> None:
        async def handler(request: web.Request) -> web.Response:
            return web.Response(body=bytes(2 * MiB))

        async with Upstream() as up:
            up.route("/file", handler)
            with pytest.raises(Rejected) as caught:
                async with UrlFetcher(POLICY, resolver()).open(up.url("/file"), max_bytes=MiB):
                    raise AssertionError("must not be entered")
            (finding,) = caught.value.findings
            assert finding.reason == Reason.TOO_LARGE
            assert finding.metadata == {"limit": str(MiB), "actual": str(2 * MiB)}

    run(scenario())


def test_body_short_of_its_content_length_fails() -> None:
    async def short(server: RawServer, writer: asyncio.StreamWriter) -> None:
        await server.send(writer, b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
        await server.send(writer, bytes(500))  # and the connection closes

    async def scenario() -> None:
        async with RawServer(short) as srv:
            with pytest.raises(MediagateError) as caught:
                await fetch(UrlFetcher(POLICY, resolver()), srv.url())
            meta = refusal(caught.value, ErrorReason.FETCH_FAILED)
            assert meta["why"] == "short" and meta["status"] == "200"

    run(scenario())


def test_content_length_lying_low_reads_no_more_than_declared() -> None:
    """The surplus is never body: aiohttp's parser stops at the declared length and reads what
    follows as the next response. Arriving with the headers (one write) it makes the answer
    invalid HTTP; arriving later it would be ignored. Either way no more than 100 bytes."""

    async def low(server: RawServer, writer: asyncio.StreamWriter) -> None:
        head = b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"
        await server.send(writer, head + b"a" * 100 + b"b" * (2 * MiB))

    async def scenario() -> None:
        async with RawServer(low) as srv:
            try:
                got = await fetch(UrlFetcher(POLICY, resolver()), srv.url(), MiB)
            except MediagateError as error:
                assert refusal(error, ErrorReason.FETCH_FAILED)["why"] == "protocol"
            else:
                assert got == b"a" * 100

    run(scenario())


def test_body_without_length_is_cut_at_the_limit() -> None:
    async def unbounded(server: RawServer, writer: asyncio.StreamWriter) -> None:
        await server.send(writer, b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n")
        await server.send(writer, bytes(3 * MiB))

    async def scenario() -> None:
        async with RawServer(unbounded) as srv:
            got = 0
            with pytest.raises(Rejected) as caught:
                async with UrlFetcher(POLICY, resolver()).open(srv.url(), max_bytes=MiB) as body:
                    assert body.content_length is None
                    async for chunk in body.chunks():
                        got += len(chunk)
            assert caught.value.findings[0].reason == Reason.TOO_LARGE
            assert got <= MiB

    run(scenario())


def test_endless_body_is_cut_off_at_the_limit() -> None:
    async def endless(server: RawServer, writer: asyncio.StreamWriter) -> None:
        await server.send(writer, b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n")
        while True:
            await server.send(writer, bytes(64 * 1024))

    async def scenario() -> None:
        async with RawServer(endless) as srv:
            got = 0
            with pytest.raises(Rejected) as caught:
                async with UrlFetcher(POLICY, resolver()).open(srv.url(), max_bytes=MiB) as body:
                    async for chunk in body.chunks():
                        got += len(chunk)
            assert caught.value.findings[0].metadata["limit"] == str(MiB)
            assert got <= MiB
            await srv.finished.wait()  # the server's writes failed: it was cut off
            # What it managed to write: the limit, one chunk, and what socket buffers held.
            assert srv.written <= MiB + CHUNK_BYTES + 4 * MiB

    run(scenario())


# ---- retries -----------------------------------------------------------------------------


def test_429_with_retry_after_is_retried() -> None:
    async def scenario() -> None:
        handler, calls = counting(
            lambda: web.Response(status=429, headers={"Retry-After": "0"}),
            lambda: web.Response(body=b"done"),
        )
        async with Upstream() as up:
            up.route("/file", handler)
            assert await fetch(UrlFetcher(POLICY, resolver()), up.url("/file")) == b"done"
            assert calls[0] == 2

    run(scenario())


def test_429_with_an_http_date_is_retried() -> None:
    async def scenario() -> None:
        past = "Wed, 21 Oct 2015 07:28:00 GMT"
        handler, calls = counting(
            lambda: web.Response(status=429, headers={"Retry-After": past}),
            lambda: web.Response(body=b"done"),
        )
        async with Upstream() as up:
            up.route("/file", handler)
            assert await fetch(UrlFetcher(POLICY, resolver()), up.url("/file")) == b"done"
            assert calls[0] == 2

    run(scenario())


def test_500_then_200_is_retried() -> None:
    async def scenario() -> None:
        handler, calls = counting(
            lambda: web.Response(status=500), lambda: web.Response(body=b"done")
        )
        async with Upstream() as up:
            up.route("/file", handler)
            assert await fetch(UrlFetcher(POLICY, resolver()), up.url("/file")) == b"done"
            assert calls[0] == 2

    run(scenario())


def test_500_forever_fails_after_the_budget() -> None:
    async def scenario() -> None:
        handler, calls = counting(lambda: web.Response(status=500))
        async with Upstream() as up:
            up.route("/file", handler)
            with pytest.raises(MediagateError) as caught:
                await fetch(UrlFetcher(POLICY, resolver()), up.url("/file?token=x"))
            meta = refusal(caught.value, ErrorReason.FETCH_FAILED)
            assert meta == {"url": up.url("/file"), "status": "500", "why": "status"}
            assert calls[0] == POLICY.retry_budget == 3

    run(scenario())


def test_429_whose_wait_outlasts_the_budget_fails_with_retry_after() -> None:
    async def scenario() -> None:
        handler, calls = counting(lambda: web.Response(status=429, headers={"Retry-After": "5"}))
        policy = replace(POLICY, total_timeout=2.0, retry_max_wait=10.0)
        async with Upstream() as up:
            up.route("/file", handler)
            with pytest.raises(MediagateError) as caught:
                await fetch(UrlFetcher(policy, resolver()), up.url("/file"))
            assert refusal(caught.value, ErrorReason.FETCH_FAILED)["status"] == "429"
            assert caught.value.retry_after_seconds == 5.0
            assert calls[0] == 1  # 5 s would outlast the 2 s left: no wait, no retry

    run(scenario())


def test_404_fails_at_once() -> None:
    async def scenario() -> None:
        handler, calls = counting(lambda: web.Response(status=404))
        async with Upstream() as up:
            up.route("/file", handler)
            with pytest.raises(MediagateError) as caught:
                await fetch(UrlFetcher(POLICY, resolver()), up.url("/file"))
            assert refusal(caught.value, ErrorReason.FETCH_FAILED)["status"] == "404"
            assert calls[0] == 1

    run(scenario())


def test_a_changed_etag_between_attempts_fails() -> None:
    async def scenario() -> None:
        handler, calls = counting(
            lambda: web.Response(status=503, headers={"ETag": '"v1"'}),
            lambda: web.Response(body=b"new", headers={"ETag": '"v2"'}),
        )
        async with Upstream() as up:
            up.route("/file", handler)
            with pytest.raises(MediagateError) as caught:
                await fetch(UrlFetcher(POLICY, resolver()), up.url("/file"))
            meta = refusal(caught.value, ErrorReason.FETCH_FAILED)
            assert meta["why"] == "changed" and calls[0] == 2

    run(scenario())


def test_connection_refused_fails_with_status_0_after_the_budget() -> None:
    async def scenario() -> None:
        with socket.socket() as sock:  # a port that nobody listens on
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        names = resolver()
        with pytest.raises(MediagateError) as caught:
            await fetch(UrlFetcher(POLICY, names), f"http://media.test:{port}/file")
        meta = refusal(caught.value, ErrorReason.FETCH_FAILED)
        assert meta["status"] == "0" and meta["why"] == "connection"
        assert names.asked == ["media.test"] * POLICY.retry_budget

    run(scenario())


# ---- timeouts ----------------------------------------------------------------------------


async def stall(server: RawServer, writer: asyncio.StreamWriter) -> None:
    await server.send(writer, b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + bytes(10))
    await server.release.wait()  # set when the test leaves the server


def test_a_stalled_body_times_out_in_the_read_phase() -> None:
    async def scenario() -> None:
        policy = replace(POLICY, read_timeout=0.3)
        async with RawServer(stall) as srv:
            with pytest.raises(MediagateError) as caught:
                await fetch(UrlFetcher(policy, resolver()), srv.url())
            meta = refusal(caught.value, ErrorReason.FETCH_TIMEOUT)
            assert meta["phase"] == "read" and meta["limit"] == "0.3"

    run(scenario())


def test_the_whole_fetch_is_bounded() -> None:
    async def scenario() -> None:
        policy = replace(POLICY, read_timeout=30.0, total_timeout=0.5)
        async with RawServer(stall) as srv:
            with pytest.raises(MediagateError) as caught:
                await fetch(UrlFetcher(policy, resolver()), srv.url())
            meta = refusal(caught.value, ErrorReason.FETCH_TIMEOUT)
            assert meta["phase"] == "total" and meta["limit"] == "0.5"

    run(scenario())


def test_a_slow_connect_times_out_in_the_connect_phase() -> None:
    async def scenario() -> None:
        never = asyncio.Event()
        names = resolver(**{"slow.test": never})
        policy = replace(POLICY, connect_timeout=0.2, retry_budget=2)
        try:
            with pytest.raises(MediagateError) as caught:
                await fetch(UrlFetcher(policy, names), "http://slow.test:9/file")
        finally:
            never.set()
        meta = refusal(caught.value, ErrorReason.FETCH_TIMEOUT)
        assert meta["phase"] == "connect" and meta["limit"] == "0.2"
        assert names.asked == ["slow.test", "slow.test"]

    run(scenario())


# ---- redirects and addresses -------------------------------------------------------------


def redirect_chain(up: Upstream) -> None:
    async def hop(request: web.Request) -> web.StreamResponse:
        left = int(request.path.removeprefix("/r/"))
        if left == 0:
            return web.Response(body=b"landed")
        raise web.HTTPFound(f"/r/{left - 1}" if left % 2 else up.url(f"/r/{left - 1}"))

    up.route("/r/", hop)


def test_three_redirects_are_followed_and_a_fourth_is_refused() -> None:
    async def scenario() -> None:
        async with Upstream() as up:
            redirect_chain(up)
            fetcher = UrlFetcher(POLICY, resolver())
            assert await fetch(fetcher, up.url("/r/3")) == b"landed"
            assert [path for path, _ in up.seen] == ["/r/3", "/r/2", "/r/1", "/r/0"]
            up.seen.clear()
            with pytest.raises(MediagateError) as caught:
                await fetch(fetcher, up.url("/r/4"))
            assert refusal(caught.value, ErrorReason.URL_NOT_ALLOWED)["why"] == "redirects"
            assert [path for path, _ in up.seen] == ["/r/4", "/r/3", "/r/2", "/r/1"]

    run(scenario())


def redirect_to(location: str) -> Handler:
    async def handler(request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound(location)

    return handler


@pytest.mark.parametrize(
    ("name", "allowed_hosts", "why"),
    [
        ("127.0.0.2", POLICY.allowed_hosts, "address"),  # an allowed literal, a loopback address
        ("127.0.0.2", ("media.test",), "host"),
        ("other.test", POLICY.allowed_hosts, "address"),  # a name resolving to 127.0.0.2
    ],
)
def test_a_redirect_to_a_forbidden_address_never_connects(
    name: str, allowed_hosts: tuple[str, ...], why: str
) -> None:
    async def scenario() -> None:
        policy = replace(POLICY, allowed_hosts=allowed_hosts)
        async with Upstream() as up, RawServer(only_ok, host="127.0.0.2") as forbidden:
            up.route("/start", redirect_to(forbidden.url("/x?k=v", name)))
            with pytest.raises(MediagateError) as caught:
                await fetch(UrlFetcher(policy, resolver()), up.url("/start"))
            meta = refusal(caught.value, ErrorReason.URL_NOT_ALLOWED)
            assert meta == {"url": forbidden.url("/x", name), "why": why}
            assert forbidden.connections == 0

    run(scenario())


def test_a_redirect_to_a_name_resolving_to_a_private_address_is_refused() -> None:
    async def scenario() -> None:
        async with Upstream() as up:
            up.route("/start", redirect_to("http://internal.test/latest/meta-data/"))
            names = resolver()
            with pytest.raises(MediagateError) as caught:
                await fetch(UrlFetcher(POLICY, names), up.url("/start"))
            assert refusal(caught.value, ErrorReason.URL_NOT_ALLOWED)["why"] == "address"
            assert names.asked == ["media.test", "internal.test"]

    run(scenario())


def test_a_redirect_to_another_scheme_is_refused() -> None:
    async def scenario() -> None:
        async with Upstream() as up:
            up.route("/start", redirect_to("file:///etc/passwd"))
            with pytest.raises(MediagateError) as caught:
                await fetch(UrlFetcher(POLICY, resolver()), up.url("/start"))
            assert refusal(caught.value, ErrorReason.URL_NOT_ALLOWED)["why"] == "scheme"

    run(scenario())


def test_a_name_resolving_to_loopback_is_refused_without_a_connection() -> None:
    async def scenario() -> None:
        async with RawServer(only_ok) as srv:
            policy = replace(POLICY, allowed_networks=())
            with pytest.raises(MediagateError) as caught:
                await fetch(UrlFetcher(policy, resolver()), srv.url())
            meta = refusal(caught.value, ErrorReason.URL_NOT_ALLOWED)
            assert meta == {"url": srv.url(), "why": "address"}
            assert srv.connections == 0

    run(scenario())


def test_a_name_with_one_private_address_among_several_is_refused() -> None:
    async def scenario() -> None:
        async with RawServer(only_ok) as srv:
            with pytest.raises(MediagateError) as caught:
                await fetch(UrlFetcher(POLICY, resolver()), srv.url(name="mixed.test"))
            assert refusal(caught.value, ErrorReason.URL_NOT_ALLOWED)["why"] == "address"
            assert srv.connections == 0
            assert await fetch(UrlFetcher(POLICY, resolver()), srv.url()) == b"ok"
            assert srv.connections == 1

    run(scenario())


def test_the_bearer_token_stays_with_the_first_origin() -> None:
    async def scenario() -> None:
        policy = replace(POLICY, allowed_networks=("127.0.0.1/32", "127.0.0.2/32"))
        async with Upstream() as first, Upstream(host="127.0.0.2") as second:

            async def landed(request: web.Request) -> web.Response:
                return web.Response(body=b"landed")

            first.route("/same", redirect_to("/file"))
            first.route("/away", redirect_to(second.url("/back", "other.test")))
            first.route("/file", landed)
            second.route("/back", redirect_to(first.url("/file")))
            fetcher = UrlFetcher(policy, resolver())

            async with fetcher.open(first.url("/same"), max_bytes=MiB, bearer_token="t0k") as b:
                assert await read_all(b) == b"landed"
            assert [h.get("Authorization") for _, h in first.seen] == ["Bearer t0k"] * 2

            first.seen.clear()
            async with fetcher.open(first.url("/away"), max_bytes=MiB, bearer_token="t0k") as b:
                assert await read_all(b) == b"landed"
            assert [(p, h.get("Authorization")) for p, h in first.seen] == [
                ("/away", "Bearer t0k"),
                ("/file", None),  # back at the first origin, but by another's redirect
            ]
            assert [(p, h.get("Authorization")) for p, h in second.seen] == [("/back", None)]

    run(scenario())
