"""The platform's attachment crawler for inbound Open Messaging messages.

Genesys fetches each `content[].attachment.url` itself with a plain GET (no auth headers),
10 s timeout, retrying on connection errors and 5xx. The fake does the same, streams and hashes
the body, and turns what it saw into ConversationReason codes (conversation_reason.py):

- HTTP status other than 200, unreachable URL, sha256 mismatch -> "GeneralError" (the message
  names the check that failed; the SDK has no closer code for these)
- Content-Type (parameters ignored) != attachment.mime     -> "MediaTypeNotAllowed"
- Content-Length missing or != body bytes (or != thumbnail.contentSizeBytes)
                                                              -> "InvalidMediaContentLength"
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass

import aiohttp

from .state import MAX_MEDIA_BYTES, CrawlerFetch, Reason

TIMEOUT_SECONDS = 10.0
ATTEMPTS = 3
RETRY_PAUSE_SECONDS = 0.2


@dataclass
class Target:
    """One URL to check: an attachment or its thumbnail."""

    what: str  # "attachment <id>" or "thumbnail of attachment <id>"
    url: str
    mime: str
    sha256: str | None
    size: int | None = None  # thumbnail.contentSizeBytes, when promised


def _bare(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


async def fetch(session: aiohttp.ClientSession, url: str) -> CrawlerFetch:
    """GET `url` as the platform does; retries connection errors and 5xx a few times."""
    result = CrawlerFetch(url=url, status=0, headers={}, bytes=0, error="not fetched")
    for attempt in range(ATTEMPTS):
        if attempt:
            await asyncio.sleep(RETRY_PAUSE_SECONDS)
        try:
            async with session.get(url, allow_redirects=True) as resp:
                digest = hashlib.sha256()
                size = 0
                cut: str | None = None
                try:
                    async for chunk in resp.content.iter_chunked(64 * 1024):
                        size += len(chunk)
                        digest.update(chunk)
                        if size > MAX_MEDIA_BYTES:
                            break
                except aiohttp.ClientPayloadError as exc:
                    # The body ended before its Content-Length: judged as a length problem
                    # (the headers and the bytes that did arrive are kept), not retried.
                    cut = f"body cut short after {size} bytes: {exc}"
                result = CrawlerFetch(
                    url=url,
                    status=resp.status,
                    headers={k: v for k, v in resp.headers.items()},
                    bytes=size,
                    sha256=digest.hexdigest(),
                    error=cut,
                )
        except (aiohttp.ClientError, TimeoutError) as exc:
            result = CrawlerFetch(
                url=url, status=0, headers={}, bytes=0, error=f"{type(exc).__name__}: {exc}"
            )
            continue
        if result.status < 500:
            break
    return result


def judge(target: Target, seen: CrawlerFetch) -> list[Reason]:
    """The reasons the platform would fail the message for, from one fetch."""
    if seen.status == 0:
        return [Reason("GeneralError", f"{target.what}: url unreachable ({seen.error})")]
    if seen.status != 200:
        return [Reason("GeneralError", f"{target.what}: url answered HTTP {seen.status}")]
    reasons: list[Reason] = []
    got_type = _bare(seen.headers.get("Content-Type"))
    if got_type != _bare(target.mime):
        reasons.append(
            Reason(
                "MediaTypeNotAllowed",
                f"{target.what}: Content-Type {got_type or '(none)'!r} != mime {target.mime!r}",
            )
        )
    length = seen.headers.get("Content-Length")
    if length is None:
        reasons.append(
            Reason("InvalidMediaContentLength", f"{target.what}: no Content-Length header")
        )
    elif not length.isdigit() or int(length) != seen.bytes:
        reasons.append(
            Reason(
                "InvalidMediaContentLength",
                f"{target.what}: Content-Length {length} != {seen.bytes} body bytes",
            )
        )
    elif target.size is not None and int(length) != target.size:
        reasons.append(
            Reason(
                "InvalidMediaContentLength",
                f"{target.what}: Content-Length {length} != contentSizeBytes {target.size}",
            )
        )
    if target.sha256 is not None and seen.sha256 != target.sha256.lower():
        reasons.append(Reason("GeneralError", f"{target.what}: sha256 of the body does not match"))
    return reasons


async def crawl(
    targets: list[Target], unreachable: bool
) -> tuple[list[Reason], list[CrawlerFetch]]:
    """Fetch and judge every target; `unreachable` is the crawler_unreachable fault."""
    reasons: list[Reason] = []
    fetches: list[CrawlerFetch] = []
    timeout = aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)
    async with aiohttp.ClientSession(timeout=timeout, auto_decompress=False) as session:
        for target in targets:
            if unreachable:
                seen = CrawlerFetch(
                    url=target.url, status=0, headers={}, bytes=0, error="unreachable (fault)"
                )
            else:
                seen = await fetch(session, target.url)
            fetches.append(seen)
            reasons.extend(judge(target, seen))
    return reasons, fetches
