"""Fetching a URL the SSRF-safe way: the checks of url_policy.py, applied at every hop.

The threat model is url_policy.py's docstring. How this module carries it out:

- Per hop: check_url, resolve the host ONCE with the resolver, check_address on EVERY address
  (one forbidden address refuses the hop: a round-robin of a public and a private address is
  an attack, not a choice), then connect through a new TCPConnector whose resolver is pinned
  to exactly those checked addresses. No second lookup happens, so a rebinding name cannot
  swap in another address; nothing is cached across hops (a new connector and session each,
  closed when the hop is done). TLS still uses the URL's host name for SNI and certificate
  verification, because aiohttp takes those from the URL, not from the address.
- Redirects by hand (allow_redirects=False): at most policy.max_redirects, each Location
  resolved against the current URL and checked as above. The bearer token goes only to the
  first URL's origin and stops for good once a redirect leaves it.
- GET only, `Accept-Encoding: identity`, auto_decompress=False: the bytes are the server's
  bytes, never expanded here. No cookies, no proxy from the environment.
- Retries (whole attempts from the first URL): 429 (Retry-After in seconds or as an HTTP date,
  capped by retry_max_wait), 5xx, connection failures and connect timeouts, with exponential
  backoff and full jitter, within retry_budget attempts and the total timeout. Any other
  status is the answer: FETCH_FAILED with it, at once. If two attempts' final responses carry
  different ETags the fetch fails (why=changed) so nothing is built from two versions.
- Limits: a Content-Length over max_bytes is refused before the body is read; the body is
  counted as it arrives and refused (Rejected TOO_LARGE) the moment it passes max_bytes,
  whatever Content-Length said; a body that ends short of its Content-Length is FETCH_FAILED
  (why=short). Each read waits at most read_timeout, the whole fetch (body included) at most
  total_timeout.

Use:
    async with fetcher.open(url, max_bytes=limit, bearer_token=token) as body:
        async for chunk in body.chunks():
            ...
`open()` is a plain method returning an async context manager: entering it follows the
redirects and retries up to a 200 response (or raises); leaving it closes the response, the
session and the connector on every path.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import random
import socket
import ssl
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from yarl import URL

from mediagate.errors import ErrorReason, MediagateError, Rejected
from mediagate.reasons import Finding, Reason
from mediagate.sources.url_policy import (
    FetchPolicy,
    ParsedTarget,
    check_address,
    check_url,
    not_allowed,
)

log = logging.getLogger(__name__)

CHUNK_BYTES = 256 * 1024
USER_AGENT = "mediagate-url-fetch/1"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


class FetchedBody:
    """A 200 response whose body is yet to be read.

    url: the final URL, scrubbed (no userinfo, query or fragment). content_length: the declared
    length, if any. content_encoding: as declared; the body is never decoded here. chunks():
    the body in pieces of at most CHUNK_BYTES; it can be iterated once.
    """

    def __init__(
        self,
        response: aiohttp.ClientResponse,
        target: ParsedTarget,
        max_bytes: int,
        clock: _Clock,
    ) -> None:
        self.url = target.scrubbed
        self.status = response.status
        self.content_type = response.headers.get("Content-Type", "")
        self.content_encoding = response.headers.get("Content-Encoding", "")
        self.content_length = response.content_length
        self.etag = response.headers.get("ETag")
        self._response = response
        self._max_bytes = max_bytes
        self._clock = clock
        self._started = False

    async def chunks(self) -> AsyncIterator[bytes]:
        if self._started:
            raise RuntimeError("a fetched body can be read once")
        self._started = True
        received = 0
        while True:
            data = await self._read()
            if not data:
                break
            received += len(data)
            if received > self._max_bytes:
                self._response.close()  # cut the server off now, not when the caller exits
                raise _too_large(self._max_bytes, f"more than {self._max_bytes}")
            yield data
        if self.content_length is not None and received < self.content_length:
            raise self._short(received)

    async def _read(self) -> bytes:
        limit, phase = self._clock.limit(self._clock.policy.read_timeout, "read")
        try:
            async with asyncio.timeout(limit):
                return await self._response.content.read(CHUNK_BYTES)
        except TimeoutError as exc:
            raise _timeout(self.url, phase, self._clock.limit_of(phase)) from exc
        except aiohttp.ClientPayloadError as exc:
            raise self._short(None) from exc
        except (aiohttp.ClientError, OSError) as exc:
            raise _failed(self.url, 0, "connection", "the connection failed mid-body") from exc

    def _short(self, received: int | None) -> MediagateError:
        self._response.close()
        told = f" of {self.content_length}" if self.content_length is not None else ""
        got = f" after {received} bytes" if received is not None else ""
        return _failed(self.url, self.status, "short", f"the body ended early{got}{told}")


class UrlFetcher:
    """Fetches URLs under a FetchPolicy. `resolver`: an aiohttp resolver used once per hop
    (default: aiohttp's ThreadedResolver, the system's getaddrinfo). `ssl_context`: the TLS
    context for https (default: the system's trust store, verification on)."""

    def __init__(
        self,
        policy: FetchPolicy,
        resolver: AbstractResolver | None = None,
        *,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.policy = policy
        self._resolver = resolver
        self._ssl: ssl.SSLContext | bool = ssl_context if ssl_context is not None else True

    @asynccontextmanager
    async def open(
        self, url: str, *, max_bytes: int, bearer_token: str | None = None
    ) -> AsyncIterator[FetchedBody]:
        """The URL's 200 response, followed and retried as the module docstring says.

        Raises MediagateError URL_NOT_ALLOWED, FETCH_FAILED or FETCH_TIMEOUT, or Rejected
        (TOO_LARGE) for a declared length over max_bytes; chunks() raises the same later.
        """
        clock = _Clock(self.policy)
        first = check_url(url, self.policy)
        hop = await self._attempts(first, bearer_token, clock)
        try:
            declared = hop.response.content_length
            if declared is not None and declared > max_bytes:
                raise _too_large(max_bytes, str(declared))
            yield FetchedBody(hop.response, hop.target, max_bytes, clock)
        finally:
            await hop.close()

    async def _attempts(self, first: ParsedTarget, token: str | None, clock: _Clock) -> _Hop:
        policy = self.policy
        etag: str | None = None
        for attempt in range(1, policy.retry_budget + 1):
            wait: float | None = None
            try:
                hop = await self._follow(first, token, clock)
            except _Retryable as retry:
                failure = retry.error
            else:
                status = hop.response.status
                seen = hop.response.headers.get("ETag")
                if etag is not None and seen is not None and seen != etag:
                    await hop.close()
                    raise _failed(
                        hop.target.scrubbed, status, "changed", "the file changed between attempts"
                    )
                etag = etag or seen
                if status == 200:
                    return hop
                failure = _failed(
                    hop.target.scrubbed, status, "status", f"the server answered {status}"
                )
                if status == 429 or status >= 500:
                    wait = _retry_after(hop.response.headers.get("Retry-After"))
                    if wait is not None:
                        failure.retry_after_seconds = wait
                await hop.close()
                if status != 429 and status < 500:
                    raise failure
            if attempt == policy.retry_budget:
                raise failure
            if wait is None:
                wait = random.uniform(0, policy.retry_base_delay * 2 ** (attempt - 1))
            wait = min(wait, policy.retry_max_wait)
            if wait >= clock.remaining():
                raise failure
            log.info("fetch retry %d after %.2fs: %s", attempt, wait, failure.message)
            await asyncio.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _follow(self, first: ParsedTarget, token: str | None, clock: _Clock) -> _Hop:
        """One attempt: the first URL and its redirects, up to a response that is not one."""
        target = first
        send_token = token is not None
        for hops in range(self.policy.max_redirects + 1):
            send_token = send_token and target.origin == first.origin
            hop = await self._request(target, token if send_token else None, clock)
            if hop.response.status not in _REDIRECTS:
                return hop
            location = hop.response.headers.get("Location")
            status = hop.response.status
            await hop.close()
            if not location:
                raise _failed(target.scrubbed, status, "status", "a redirect without a Location")
            try:
                following = target.url.join(URL(location))
            except (ValueError, TypeError, UnicodeError) as exc:
                raise not_allowed(location, "malformed", "a redirect to a malformed URL") from exc
            if hops == self.policy.max_redirects:
                raise not_allowed(
                    following,
                    "redirects",
                    f"more than {self.policy.max_redirects} redirects",
                )
            target = check_url(following, self.policy)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _request(self, target: ParsedTarget, token: str | None, clock: _Clock) -> _Hop:
        addresses = await self._addresses(target, clock)
        policy = self.policy
        connector = aiohttp.TCPConnector(
            resolver=_Pinned(addresses),
            use_dns_cache=False,
            force_close=True,
            limit=1,
            ssl=self._ssl,
        )
        session = aiohttp.ClientSession(
            connector=connector,
            auto_decompress=False,
            trust_env=False,
            cookie_jar=aiohttp.DummyCookieJar(),
            timeout=aiohttp.ClientTimeout(
                total=None, sock_connect=policy.connect_timeout, sock_read=policy.read_timeout
            ),
        )
        headers = {"Accept-Encoding": "identity", "User-Agent": USER_AGENT}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        url = target.scrubbed
        remaining = clock.remaining()
        try:
            async with asyncio.timeout(remaining) as scope:
                response = await session.get(target.url, allow_redirects=False, headers=headers)
        except BaseException as exc:
            await session.close()
            if isinstance(exc, TimeoutError) and scope.expired():
                raise _timeout(url, "total", policy.total_timeout) from exc
            raise _request_error(exc, url, policy) from exc
        return _Hop(session, response, target)

    async def _addresses(self, target: ParsedTarget, clock: _Clock) -> list[ResolveResult]:
        """The hop's addresses, resolved once and every one checked; a failed or slow lookup
        is a connection failure (retried) or a connect timeout."""
        if target.is_ip_literal:
            check_address(target.host, self.policy, url=target.url)
            return []  # aiohttp connects to an IP literal without asking the resolver
        limit, phase = clock.limit(self.policy.connect_timeout, "connect")
        resolver = self._resolver or aiohttp.ThreadedResolver()
        try:
            async with asyncio.timeout(limit):
                found = await resolver.resolve(target.host, target.port, socket.AF_UNSPEC)
        except TimeoutError as exc:
            error = _timeout(target.scrubbed, phase, clock.limit_of(phase))
            raise (_Retryable(error) if phase == "connect" else error) from exc
        except OSError as exc:
            error = _failed(target.scrubbed, 0, "dns", "the URL's host name did not resolve")
            raise _Retryable(error) from exc
        if not found:
            raise _Retryable(
                _failed(target.scrubbed, 0, "dns", "the URL's host name did not resolve")
            )
        for result in found:
            check_address(result["host"], self.policy, url=target.url)
        return list(found)


@dataclass
class _Hop:
    session: aiohttp.ClientSession
    response: aiohttp.ClientResponse
    target: ParsedTarget

    async def close(self) -> None:
        self.response.close()  # drops the connection: nothing is reused across hops
        await self.session.close()


class _Pinned(AbstractResolver):
    """Answers with the addresses already resolved and checked, whatever it is asked."""

    def __init__(self, addresses: Sequence[ResolveResult]) -> None:
        self._addresses = list(addresses)

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        if not self._addresses:
            raise OSError(f"no checked address for {host}")
        return [a.copy() for a in self._addresses]

    async def close(self) -> None:
        pass


class _Clock:
    """The total deadline and which limit a wait is under: its own, or what is left."""

    def __init__(self, policy: FetchPolicy) -> None:
        self.policy = policy
        self._deadline = time.monotonic() + policy.total_timeout

    def remaining(self) -> float:
        return max(0.0, self._deadline - time.monotonic())

    def limit(self, own: float, phase: str) -> tuple[float, str]:
        remaining = self.remaining()
        return (own, phase) if own < remaining else (remaining, "total")

    def limit_of(self, phase: str) -> float:
        return {
            "connect": self.policy.connect_timeout,
            "read": self.policy.read_timeout,
        }.get(phase, self.policy.total_timeout)


class _Retryable(Exception):
    def __init__(self, error: MediagateError) -> None:
        super().__init__(error.message)
        self.error = error


def _request_error(exc: BaseException, url: str, policy: FetchPolicy) -> Exception:
    """What an exception from sending a request and reading its headers means."""
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return _Retryable(_timeout(url, "connect", policy.connect_timeout))
    if isinstance(exc, aiohttp.ServerTimeoutError):
        return _timeout(url, "read", policy.read_timeout)
    if isinstance(exc, aiohttp.ClientSSLError):
        return _failed(url, 0, "tls", "the TLS handshake or certificate check failed")
    if isinstance(exc, aiohttp.InvalidURL):
        return not_allowed(url, "malformed", "the URL cannot be fetched")
    if isinstance(exc, aiohttp.ClientResponseError):
        return _failed(url, 0, "protocol", "the server's answer was not valid HTTP")
    if isinstance(exc, aiohttp.ClientError | OSError):
        return _Retryable(_failed(url, 0, "connection", "the connection failed"))
    if isinstance(exc, Exception):
        return exc
    raise exc  # CancelledError, KeyboardInterrupt: not ours to translate


def _retry_after(value: str | None) -> float | None:
    """Retry-After in seconds, from delta-seconds or an HTTP date; None if absent or odd."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def _failed(url: str, status: int, why: str, message: str) -> MediagateError:
    return MediagateError(
        ErrorReason.FETCH_FAILED, message, {"url": url, "status": str(status), "why": why}
    )


def _timeout(url: str, phase: str, limit: float) -> MediagateError:
    return MediagateError(
        ErrorReason.FETCH_TIMEOUT,
        f"the URL's server was too slow ({phase}, limit {limit:g} s)",
        {"url": url, "phase": phase, "limit": f"{limit:g}"},
    )


def _too_large(limit: int, actual: str) -> Rejected:
    return Rejected(
        [
            Finding(
                Reason.TOO_LARGE,
                f"the file at the URL is larger than the limit of {limit} bytes",
                {"limit": str(limit), "actual": actual},
            )
        ]
    )
