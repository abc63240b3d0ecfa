"""Who may start an upload now: admission before any work, so that no caller can hold the
server for everyone else.

Three limits, checked when an upload's stream opens, before a byte of it is read:
- per connection and per caller: hard limits, refused at once with TOO_MANY_UPLOADS and a
  retry delay (one connection holding a thousand idle streams gets `per_connection` of them);
- server-wide: at most `server_wide` uploads in flight, which is what bounds the memory uploads
  take (about two chunks each: the one gRPC is assembling and the one being written). An upload
  over it waits for a slot (its body stays in the client: gRPC's flow control holds it) for up
  to `wait_seconds`, with at most `max_waiting` waiting; past either it is refused.
Health, reflection and reads never pass through here, so uploads cannot crowd them out.

A caller is identified by its peer address until authentication arrives; then by identity.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass

from mediagate.errors import ErrorReason, MediagateError
from mediagate.telemetry import metrics


@dataclass(frozen=True)
class Caller:
    """Who is calling: the tenant the call acts for, the caller, and its connection."""

    tenant: str
    caller: str = ""
    connection: str = ""


@dataclass(frozen=True)
class AdmissionLimits:
    server_wide: int = 64
    per_caller: int = 64
    per_connection: int = 32
    max_waiting: int = 256
    wait_seconds: float = 10.0
    retry_after_seconds: float = 1.0


class UploadAdmission:
    def __init__(self, limits: AdmissionLimits) -> None:
        self.limits = limits
        self._slots = asyncio.Semaphore(limits.server_wide)
        self._by_caller: Counter[str] = Counter()
        self._by_connection: Counter[str] = Counter()
        self._waiting = 0
        self.in_flight = 0

    @contextlib.asynccontextmanager
    async def slot(self, who: Caller) -> AsyncIterator[None]:
        """Holds one upload slot for `who` while the body is read, examined and kept."""
        limits = self.limits
        self._refuse_if(self._by_connection[who.connection] >= limits.per_connection, "connection")
        self._refuse_if(self._by_caller[who.caller] >= limits.per_caller, "caller")
        self._by_connection[who.connection] += 1
        self._by_caller[who.caller] += 1
        try:
            await self._acquire()
            self.in_flight += 1
            try:
                yield
            finally:
                self.in_flight -= 1
                self._slots.release()
        finally:
            _drop(self._by_connection, who.connection)
            _drop(self._by_caller, who.caller)

    async def _acquire(self) -> None:
        if not self._slots.locked():
            await self._slots.acquire()
            return
        self._refuse_if(self._waiting >= self.limits.max_waiting, "server")
        self._waiting += 1
        try:
            await asyncio.wait_for(self._slots.acquire(), self.limits.wait_seconds)
        except TimeoutError:
            self._refuse_if(True, "server")
        finally:
            self._waiting -= 1

    def _refuse_if(self, over: bool, scope: str) -> None:
        if not over:
            return
        metrics.ABUSE_REFUSALS.labels(f"uploads_{scope}").inc()
        limit = {
            "connection": self.limits.per_connection,
            "caller": self.limits.per_caller,
            "server": self.limits.server_wide,
        }[scope]
        raise MediagateError(
            ErrorReason.TOO_MANY_UPLOADS,
            f"Too many uploads in flight for this {scope} (at most {limit}); retry shortly.",
            {"limit": str(limit), "scope": scope},
            retry_after_seconds=self.limits.retry_after_seconds,
        )


def _drop(counts: Counter[str], key: str) -> None:
    counts[key] -= 1
    if counts[key] <= 0:
        del counts[key]
