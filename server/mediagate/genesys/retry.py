"""How long to keep trying a platform call, and how often to ask the platform how things stand.

The rules, written once:
- 401: log in again (client-credentials tokens are never refreshed by the SDK), then retry once.
- 429: wait as Retry-After says (its absence: the backoff), then retry.
- 5xx, timeouts, connection failures: back off exponentially (0.5 s doubling, at most 8 s).
- Anything else (400, 403, 404, ...) is the answer: no retry.
- All of it within a budget of seconds per call; past it the call fails RetriesExhausted.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from mediagate.genesys.errors import PlatformError

T = TypeVar("T")

FIRST_BACKOFF_SECONDS = 0.5
MAX_BACKOFF_SECONDS = 8.0


class RetriesExhausted(Exception):
    def __init__(self, last: PlatformError, seconds: float) -> None:
        super().__init__(f"{last} (gave up after {seconds:.1f} s)")
        self.last = last


@dataclass(frozen=True)
class RetryPolicy:
    budget_seconds: float = 60.0


async def with_retries(
    attempt: Callable[[], Awaitable[T]],
    policy: RetryPolicy,
    log_in_again: Callable[[], Awaitable[None]],
    recheck: Callable[[], Awaitable[T | None]] | None = None,
) -> T:
    """Runs `attempt` until it succeeds, fails for good, or the budget is spent.

    `recheck`, for calls that must not be repeated blindly (sending a message): after a failure
    that may have been carried out anyway, it looks for the call's effect on the platform; what
    it finds is the result, and only when it finds nothing is the call made again.
    """
    start = time.monotonic()
    backoff = FIRST_BACKOFF_SECONDS
    logged_in_again = False
    while True:
        try:
            return await attempt()
        except PlatformError as error:
            if error.status == 401 and not logged_in_again:
                logged_in_again = True
                await log_in_again()
                continue
            if not error.retryable:
                raise
            if error.status == 429 and error.retry_after is not None:
                wait = error.retry_after
            else:
                wait = backoff
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
            spent = time.monotonic() - start
            if spent + wait > policy.budget_seconds:
                raise RetriesExhausted(error, spent) from error
            await asyncio.sleep(wait)
            if error.maybe_done and recheck is not None:
                found = await recheck()
                if found is not None:
                    return found


def poll_delays(first: float = 1.0, most: float = 5.0) -> Iterator[float]:
    """Seconds between status checks: about 1 s first, doubling, at most 5 s apart."""
    delay = first
    while True:
        yield delay
        delay = min(delay * 2, most)


class RateLimit:
    """A token bucket over platform API calls: `rate` a second on average, `burst` at once. The
    platform allows an OAuth client about 300 requests a minute; staying under it means 429s
    are the exception, not the way the pace is found."""

    def __init__(self, rate: float, burst: int) -> None:
        self._rate = rate
        self._burst = float(max(1, burst))
        self._tokens = self._burst
        self._stamp = time.monotonic()
        self._lock = asyncio.Lock()

    async def take(self) -> None:
        if self._rate <= 0:
            return
        async with self._lock:
            while True:
                now = time.monotonic()
                self._tokens = min(self._burst, self._tokens + (now - self._stamp) * self._rate)
                self._stamp = now
                if self._tokens >= 1:
                    self._tokens -= 1
                    return
                await asyncio.sleep((1 - self._tokens) / self._rate)
