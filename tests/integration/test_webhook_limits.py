"""The webhook endpoint's own limits, on a real aiohttp server on loopback (http/webhooks.py):
a body read whole however it arrives, one past 1 MiB refused with or without Content-Length,
a body that trickles cut off, and a flood answered 503 with Retry-After."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable

from aiohttp import web

from mediagate.http.webhooks import MAX_BODY_BYTES, ROUTE, WebhookHandler
from mediagate.sources.webhook_signature import signature_of

SECRET = "s3cret"


async def _serve(handler: WebhookHandler, scenario: Callable[[int], Awaitable[None]]) -> None:
    app = web.Application()
    app.router.add_route("*", ROUTE, handler.handle)
    runner = web.AppRunner(app, shutdown_timeout=0.5)  # a cut-off client need not be waited for
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        await scenario(port)
    finally:
        await runner.cleanup()


async def _post(port: int, head: bytes, pieces: AsyncIterator[bytes]) -> int:
    """Sends a request by hand (headers, then the body piece by piece); returns the status."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(head)
        async for piece in pieces:
            writer.write(piece)
            await writer.drain()
        status_line = await reader.readline()
        return int(status_line.split()[1])
    finally:
        writer.close()


def _head(body_length: int | None, signature: str) -> bytes:
    length = (
        f"Content-Length: {body_length}\r\n" if body_length is not None
        else "Transfer-Encoding: chunked\r\n"
    )  # fmt: skip
    return (
        f"POST {ROUTE} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"X-Hub-Signature-256: {signature}\r\n{length}\r\n"
    ).encode()


async def _pieces(body: bytes, size: int) -> AsyncIterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]
        await asyncio.sleep(0)  # each piece goes out on its own


async def _chunked(body: bytes, size: int) -> AsyncIterator[bytes]:
    async for piece in _pieces(body, size):
        yield f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
    yield b"0\r\n\r\n"


def _received() -> tuple[list[object], Callable[[object], Awaitable[int]]]:
    got: list[object] = []

    async def on_message(message: object) -> int:
        got.append(message)
        return 1

    return got, on_message


def test_a_large_body_arriving_in_pieces_is_read_whole_and_verifies() -> None:
    got, on_message = _received()
    message = {"id": "m1", "text": "x" * 600_000, "content": []}
    body = json.dumps(message).encode()

    async def scenario(port: int) -> None:
        status = await _post(
            port, _head(len(body), signature_of(body, SECRET)), _pieces(body, 8192)
        )
        assert status == 200

    asyncio.run(_serve(WebhookHandler([SECRET], on_message), scenario))
    assert got == [message]


def test_a_body_past_the_limit_is_refused_with_or_without_content_length() -> None:
    got, on_message = _received()
    body = b"{" + b" " * MAX_BODY_BYTES + b"}"

    async def scenario(port: int) -> None:
        sig = signature_of(body, SECRET)
        assert await _post(port, _head(len(body), sig), _pieces(b"", 1)) == 413
        assert await _post(port, _head(None, sig), _chunked(body, 256 * 1024)) == 413

    asyncio.run(_serve(WebhookHandler([SECRET], on_message), scenario))
    assert got == []


def test_a_body_that_trickles_is_cut_off() -> None:
    got, on_message = _received()

    async def scenario(port: int) -> None:
        # 7 of the 100 bytes announced, then nothing (the connection stays open).
        assert await _post(port, _head(100, "sha256=x"), _pieces(b'{"id": ', 64)) == 408

    asyncio.run(_serve(WebhookHandler([SECRET], on_message, read_seconds=0.3), scenario))
    assert got == []


def test_a_flood_is_answered_503_with_retry_after() -> None:
    release = asyncio.Event()
    entered = asyncio.Event()

    async def slow_store(message: object) -> int:
        entered.set()
        await release.wait()
        return 1

    body = b'{"id": "m2", "content": []}'
    sig = signature_of(body, SECRET)

    async def scenario(port: int) -> None:
        first = asyncio.create_task(_post(port, _head(len(body), sig), _pieces(body, 1024)))
        await entered.wait()  # the one slot is taken
        assert await _post(port, _head(len(body), sig), _pieces(body, 1024)) == 503
        release.set()
        assert await first == 200
        assert await _post(port, _head(len(body), sig), _pieces(body, 1024)) == 200

    asyncio.run(_serve(WebhookHandler([SECRET], slow_store, max_in_flight=1), scenario))
