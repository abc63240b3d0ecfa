"""Worker lanes: one killable process pool per kind of work, each with its own workers, queue
limit, time limit and memory cap.

Why lanes: uploads wait on the probe, and nothing else may make them wait or refuse them. With
one shared pool a burst of preview renders (or a few long voice renditions) filled the queue
and uploads were answered OVERLOADED. Each lane now fills and refuses on its own, and the
kernel shares the cores between lanes' processes.

    probe   intake's structural probe of every upload (short, latency-bound)
    render  previews: images, PDF pages, waveforms (on demand and eager warming)
    voice   a voice message's decode, loudness and rendition
"""

from __future__ import annotations

import asyncio
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from mediagate.workers.pool import WorkerPool


class Lane(enum.StrEnum):
    PROBE = "probe"
    RENDER = "render"
    VOICE = "voice"


@dataclass(frozen=True)
class LaneLimits:
    workers: int
    queue_limit: int  # jobs that may wait for a worker before callers get OVERLOADED
    timeout_seconds: float
    memory_bytes: int  # RLIMIT_AS per worker; 0 = none


class Lanes:
    def __init__(self, limits: Mapping[Lane, LaneLimits], preload: Sequence[str] = ()) -> None:
        self.pools = {
            lane: WorkerPool(
                name=lane.value,
                size=limit.workers,
                queue_limit=limit.queue_limit,
                timeout_seconds=limit.timeout_seconds,
                memory_bytes=limit.memory_bytes,
                preload=preload,
            )
            for lane, limit in limits.items()
        }

    @property
    def probe(self) -> WorkerPool:
        return self.pools[Lane.PROBE]

    @property
    def render(self) -> WorkerPool:
        return self.pools[Lane.RENDER]

    @property
    def voice(self) -> WorkerPool:
        return self.pools[Lane.VOICE]

    async def start(self) -> None:
        await asyncio.gather(*(pool.start() for pool in self.pools.values()))

    async def close(self) -> None:
        await asyncio.gather(*(pool.close() for pool in self.pools.values()))
