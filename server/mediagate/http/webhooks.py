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
Answers: 200 {"queued": n} | 400 | 401 | 405 | 413 | 503 (the inbox could not store it; the
platform retries). Answers carry no detail an attacker could use beyond the status.
"""

from __future__ import annotations

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

# Takes a verified message body; returns how many attachments were new.
OnMessage = Callable[[object], Awaitable[int]]


def add_webhook(app: web.Application, secrets: Sequence[str], on_message: OnMessage) -> None:
    app.router.add_route("*", ROUTE, WebhookHandler(list(secrets), on_message).handle)


def _answer(status: int, **body: object) -> web.Response:
    return web.json_response(body, status=status, headers={"Cache-Control": "no-store"})


class WebhookHandler:
    def __init__(self, secrets: list[str], on_message: OnMessage) -> None:
        self._secrets = [s for s in secrets if s]
        self._on_message = on_message

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if request.method != "POST":
            return web.Response(status=405, headers={"Allow": "POST"})
        declared = request.content_length
        if declared is not None and declared > MAX_BODY_BYTES:
            return _answer(413, error="body too large")
        body = await request.content.read(MAX_BODY_BYTES + 1)
        if len(body) > MAX_BODY_BYTES:
            return _answer(413, error="body too large")
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
