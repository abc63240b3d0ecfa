"""The Open Messaging webhook: Genesys Cloud posts messages for the integration here.

    POST /v1/genesys/open-messaging/webhook
      X-Hub-Signature-256: sha256=<base64 HMAC-SHA256(secret, raw body)>

Threat model: the route is reachable by anyone who can reach the media endpoint's port, so
nothing in a request is believed until its signature verifies against one of the configured
secrets (sources/webhook_signature.py: constant-time, several secrets for rotation). The body
is read up to MAX_BODY_BYTES and no further (413 beyond it), before any parsing; a body that is
not JSON after a good signature is 400. Without a configured secret every request is 401: an
unsigned webhook is never accepted. A genuine body sent again (the platform's redelivery, or a
replay) is answered 200 and adds nothing: the inbox knows each attachment by its id.

The platform waits 10 s and retries up to 5 times, so the answer comes as soon as the
attachments are in the durable inbox; fetching and examining them happens afterwards.
Answers: 200 {"queued": n} | 400 | 401 | 405 | 408 (the body took longer than READ_SECONDS to
arrive) | 413 | 503 (more than MAX_IN_FLIGHT requests at once, with Retry-After; or the inbox
could not store it; the platform retries). Answers carry no detail an attacker could use
beyond the status.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Sequence

from aiohttp import web

from mediagate.sources.webhook_signature import verify

log = logging.getLogger(__name__)

ROUTE = "/v1/genesys/open-messaging/webhook"
HEADER = "X-Hub-Signature-256"
# An Open Messaging message is a few KiB (attachments are URLs); 1 MiB is ample.
MAX_BODY_BYTES = 1024 * 1024

# Webhook requests being read or stored at once, and how long one may take to send its body
# (the platform sends a few KiB at once; a client trickling bytes holds a slot, so it is cut).
MAX_IN_FLIGHT = 64
READ_SECONDS = 10.0

# Takes a verified message body; returns how many attachments were new.
OnMessage = Callable[[object], Awaitable[int]]


def add_webhook(app: web.Application, secrets: Sequence[str], on_message: OnMessage) -> None:
    app.router.add_route("*", ROUTE, WebhookHandler(list(secrets), on_message).handle)


def _answer(status: int, headers: dict[str, str] | None = None, **body: object) -> web.Response:
    return web.json_response(
        body, status=status, headers={"Cache-Control": "no-store", **(headers or {})}
    )


class WebhookHandler:
    def __init__(
        self,
        secrets: list[str],
        on_message: OnMessage,
        max_in_flight: int = MAX_IN_FLIGHT,
        read_seconds: float = READ_SECONDS,
    ) -> None:
        self._secrets = [s for s in secrets if s]
        self._on_message = on_message
        self._max_in_flight = max_in_flight
        self._in_flight = 0
        self._read_seconds = read_seconds

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if request.method != "POST":
            return web.Response(status=405, headers={"Allow": "POST"})
        declared = request.content_length
        if declared is not None and declared > MAX_BODY_BYTES:
            return _answer(413, error="body too large")
        if self._in_flight >= self._max_in_flight:
            # The platform retries a webhook it could not deliver; a flood waits its turn.
            return _answer(503, error="busy", headers={"Retry-After": "1"})
        self._in_flight += 1
        try:
            return await self._handle(request)
        finally:
            self._in_flight -= 1

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        try:
            async with asyncio.timeout(self._read_seconds):
                body = await _body(request)
        except TimeoutError:
            return _closing(_answer(408, error="body too slow"))
        if body is None:
            return _closing(_answer(413, error="body too large"))
        if not verify(body, request.headers.get(HEADER), self._secrets):
            log.info("open messaging webhook: signature missing or wrong (%d bytes)", len(body))
            return _answer(401, error="signature")
        try:
            message = json.loads(body)
        except (ValueError, RecursionError):
            return _answer(400, error="not json")
        try:
            queued = await self._on_message(message)
        except Exception:
            log.exception("open messaging webhook: the inbox could not store the message")
            return _answer(503, error="unavailable")
        return _answer(200, queued=queued)


def _closing(response: web.Response) -> web.Response:
    """The connection closes after this answer: the rest of a body too slow or too large is
    not read (aiohttp would otherwise linger reading it for up to 10 s)."""
    response.force_close()
    return response


async def _body(request: web.Request) -> bytes | None:
    """The whole body, read piece by piece as it arrives; None once it passes MAX_BODY_BYTES
    (whatever Content-Length said, or without one)."""
    body = bytearray()
    while piece := await request.content.read(64 * 1024):
        body += piece
        if len(body) > MAX_BODY_BYTES:
            return None
    return bytes(body)
