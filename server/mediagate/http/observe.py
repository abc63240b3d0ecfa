"""What each HTTP request did: the metrics by route and status, and one log line (logger
"mediagate.http") with the method, the path, the status, the duration and the bytes sent.

The path is logged without its query string: a signed media URL's signature, expiry and key id
live there, and the URL is a bearer credential until it expires. Headers are never logged.
"""

from __future__ import annotations

import asyncio
import logging
import time

from aiohttp import web
from aiohttp.typedefs import Handler

from mediagate.telemetry import metrics

log = logging.getLogger("mediagate.http")

# Answers of the webhook that are its abuse limits at work (http/webhooks.py).
_WEBHOOK_LIMITS = {413: "webhook_too_large", 408: "webhook_slow", 503: "webhook_busy"}
# What a client that went away before its answer is logged with (nginx's convention).
CLIENT_GONE = 499


@web.middleware
async def observe(request: web.Request, handler: Handler) -> web.StreamResponse:
    started = time.perf_counter()
    status = 500
    response: web.StreamResponse | None = None
    try:
        response = await handler(request)
        status = response.status
        return response
    except web.HTTPException as exc:
        status = exc.status
        raise
    except asyncio.CancelledError:
        status = CLIENT_GONE
        raise
    finally:
        _report(request, response, status, time.perf_counter() - started)


def _report(
    request: web.Request, response: web.StreamResponse | None, status: int, seconds: float
) -> None:
    resource = request.match_info.route.resource
    route = resource.canonical if resource is not None else "unmatched"
    sent = response.body_length if response is not None else 0
    metrics.HTTP_REQUESTS.labels(route, str(status)).inc()
    metrics.HTTP_SECONDS.labels(route).observe(seconds)
    metrics.HTTP_BYTES_OUT.labels(route).inc(sent)
    if "webhook" in route and status in _WEBHOOK_LIMITS:
        metrics.ABUSE_REFUSALS.labels(_WEBHOOK_LIMITS[status]).inc()
    fields = {
        "http_method": request.method,
        "path": request.path,  # never the query string: it carries URL signatures
        "route": route,
        "status": status,
        "duration_ms": round(seconds * 1000, 3),
        "bytes_out": sent,
        "peer": request.remote or "",
    }
    log.info(
        "http %s %s %d %.1f ms",
        request.method,
        route,
        status,
        seconds * 1000,
        extra={"fields": fields},
    )
