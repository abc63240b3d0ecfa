"""The media endpoint: GET and HEAD of signed links (usecases/media_links.py), streamed.

One route, /v1/media/...; any other method is 405 with `Allow: GET, HEAD`. An answer carries
the detected Content-Type (never the declared one), the exact Content-Length, Accept-Ranges,
ETag "<sha256>", Cache-Control: no-store, X-Content-Type-Options: nosniff and an RFC 6266
Content-Disposition (an ASCII fallback name and the UTF-8 name percent-encoded, RFC 5987).

Ranges (http/ranges.py): a single range is 206 with Content-Range; one that cannot be
satisfied is 416 with `Content-Range: bytes */SIZE`; several ranges are answered 200 with the
whole representation. If-Range with another ETag serves the whole; If-None-Match naming the
ETag is 304.

Failures, each with a tiny fixed body: a link that does not verify (malformed, unknown key,
tampered, expired: the kind is logged, never the signature) is 403 and says no more; a target
deleted or expired since signing is 404; a target that cannot be made now (a busy render lane)
is 503 with Retry-After; anything else is logged and 500.

Bytes are written a chunk at a time (the store's read chunk) with the transport's backpressure,
so memory per fetch is a chunk or two whatever the file's size. A client that goes away
mid-body is logged at INFO, not as an error. Each GET or HEAD of a link made for a delivery is
reported to MediaLinks.fetched, with how many bytes went out and whether all did.
"""

from __future__ import annotations

import logging
import time
import unicodedata
from collections.abc import Callable, Mapping
from urllib.parse import quote

from aiohttp import web

from mediagate.errors import MediagateError
from mediagate.http.observe import observe
from mediagate.http.ranges import ByteRange, Unsatisfiable, requested_range
from mediagate.signing.urls import EXPIRES, KEY_ID, QUERY_PARAMS, LinkRefused, Refusal
from mediagate.usecases.media_links import (
    MediaBody,
    MediaFetch,
    MediaGone,
    MediaLinks,
    MediaUnavailable,
    TargetKind,
)

log = logging.getLogger(__name__)

ROUTE = "/v1/media/{rest:.*}"
ALLOWED = "GET, HEAD"
# Headers every answer of the endpoint carries, errors included.
ALWAYS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
# RFC 5987 attr-char beyond what quote() always keeps (letters, digits, "_.-~").
_ATTR_CHARS = "!#$&+^`|"


def media_app(links: MediaLinks, clock: Callable[[], float] = time.time) -> web.Application:
    """The endpoint as an aiohttp application (http/server.py runs it)."""
    app = web.Application(middlewares=[observe])
    app.router.add_route("*", ROUTE, MediaHandler(links, clock).handle)
    return app


def _plain(status: int, text: str, **headers: str) -> web.Response:
    return web.Response(status=status, text=text, headers={**ALWAYS, **headers})


class MediaHandler:
    def __init__(self, links: MediaLinks, clock: Callable[[], float]) -> None:
        self._links = links
        self._clock = clock

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if request.method not in ("GET", "HEAD"):
            return _plain(405, "method not allowed\n", Allow=ALLOWED)
        path = request.rel_url.raw_path
        try:
            body = await self._links.open(path, _query(request), self._clock())
        except LinkRefused as refused:
            # Path, key id and expiry only: the signature is a credential and stays out.
            query = request.rel_url.query
            log.info(
                "media link refused (%s) path=%s kid=%.64s exp=%.16s",
                refused.kind.value,
                path[:300],
                query.get(KEY_ID, "-"),
                query.get(EXPIRES, "-"),
            )
            return _plain(403, "forbidden\n")
        except MediaGone as gone:
            await self._report(gone.delivery_id, gone.kind, request.method, 404, 0, False)
            return _plain(404, "not found\n")
        except MediaUnavailable as failed:
            answer = self._unavailable(failed.cause)
            await self._report(
                failed.delivery_id, failed.kind, request.method, answer.status, 0, False
            )
            return answer
        return await self._send(request, body)

    def _unavailable(self, cause: MediagateError) -> web.Response:
        if cause.retry_after_seconds is not None:
            retry = str(max(1, round(cause.retry_after_seconds)))
            return _plain(503, "unavailable\n", **{"Retry-After": retry})
        log.error("media target could not be served: %s (%s)", cause.reason.value, cause)
        return _plain(500, "internal error\n")

    async def _send(self, request: web.Request, body: MediaBody) -> web.StreamResponse:
        etag = f'"{body.sha256}"'
        size = body.size_bytes
        headers = {
            **ALWAYS,
            "Content-Type": body.mime_type,
            "Accept-Ranges": "bytes",
            "ETag": etag,
            "Content-Disposition": content_disposition(body.file_name),
        }
        if _matches(request.headers.get("If-None-Match"), etag):
            del headers["Content-Type"]
            await self._report(body.delivery_id, body.kind, request.method, 304, 0, False)
            return web.Response(status=304, headers=headers)
        try:
            wanted = _range(request, etag, size)
        except Unsatisfiable:
            await self._report(body.delivery_id, body.kind, request.method, 416, 0, False)
            return _plain(416, "range not satisfiable\n", **{"Content-Range": f"bytes */{size}"})
        status = 200 if wanted is None else 206
        span = wanted or ByteRange(0, size)
        if wanted is not None:
            headers["Content-Range"] = wanted.content_range(size)
        response = web.StreamResponse(status=status, headers=headers)
        response.content_length = span.end - span.start
        if request.method == "HEAD":
            await response.prepare(request)
            await response.write_eof()
            await self._report(body.delivery_id, body.kind, "HEAD", status, 0, False)
            return response
        return await self._stream(request, response, body, span)

    async def _stream(
        self,
        request: web.Request,
        response: web.StreamResponse,
        body: MediaBody,
        span: ByteRange,
    ) -> web.StreamResponse:
        chunks = aiter(body.chunks(span.start, span.end))
        sent = 0
        try:
            # The first chunk before the headers: a blob gone since open is still a 404.
            try:
                first = await anext(chunks, b"")
            except (MediagateError, FileNotFoundError):
                await self._report(body.delivery_id, body.kind, "GET", 404, 0, False)
                return _plain(404, "not found\n")
            await response.prepare(request)
            if first:
                await response.write(first)
                sent += len(first)
            del first
            async for data in chunks:
                await response.write(data)
                sent += len(data)
            await response.write_eof()
        except ConnectionError:  # reset, or a broken pipe: which one depends on the timing
            log.info(
                "media client went away after %d of %d bytes (%s)",
                sent,
                span.end - span.start,
                request.rel_url.path[:300],
            )
        finally:
            await chunks.aclose()  # type: ignore[attr-defined]
        complete = sent == body.size_bytes  # the whole representation, not just the range
        await self._report(body.delivery_id, body.kind, "GET", response.status, sent, complete)
        return response

    async def _report(
        self,
        delivery_id: str,
        kind: TargetKind,
        method: str,
        status: int,
        sent: int,
        complete: bool,
    ) -> None:
        if delivery_id:
            fetch = MediaFetch(delivery_id, kind, method, status, sent, complete, self._clock())
            await self._links.fetched(fetch)


def _query(request: web.Request) -> Mapping[str, str]:
    """The link's query; a signature parameter given twice is malformed."""
    query = request.rel_url.query
    for name in QUERY_PARAMS:
        if len(query.getall(name, [])) > 1:
            raise LinkRefused(Refusal.MALFORMED, f"{name} given twice")
    return {name: query[name] for name in QUERY_PARAMS if name in query}


def _range(request: web.Request, etag: str, size: int) -> ByteRange | None:
    if_range = request.headers.get("If-Range")
    if if_range is not None and if_range.strip() != etag:
        return None  # the client's copy is another representation: send all of this one
    return requested_range(request.headers.get("Range"), size)


def _matches(if_none_match: str | None, etag: str) -> bool:
    if if_none_match is None:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return "*" in tags or etag in tags


def content_disposition(file_name: str) -> str:
    """attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded> (RFC 6266,
    RFC 5987). The name is already safe (no path, controls or quotes: MediaLinks); the fallback
    also drops accents and puts "_" for what ASCII cannot say, and backslash, quote and "%"."""
    decomposed = unicodedata.normalize("NFKD", file_name)
    fallback = "".join(
        c if " " <= c <= "~" and c not in '"\\%' else "_"
        for c in decomposed
        if not unicodedata.combining(c)
    )
    encoded = quote(file_name, safe=_ATTR_CHARS)
    return f"attachment; filename=\"{fallback or 'download'}\"; filename*=UTF-8''{encoded}"
