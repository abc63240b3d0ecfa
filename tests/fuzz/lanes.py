"""The probe and render lanes as the server builds them, driven from synchronous tests.

Fuzzed files go through real worker processes (mediagate.workers.pool.WorkerPool, preloaded
like server/mediagate/app.py) for two reasons. It is what the server does: the probe's answer
crosses a pipe, so it must pickle. And it is the only safe way to run decoders on hostile
bytes: a file that makes a decoder hang or allocate without bound costs a worker (killed at the
time limit or stopped by the address-space cap, then replaced), not the test session. The
round trip costs well under a millisecond per file.

What each outcome means, as the server reads it (workers/failures.py):
- an answer: the probe's Facts, or the renderer's preview or RenderFailure;
- "timeout" or "crashed": the server refuses the file as CORRUPT (or PREVIEW_FAILED), a typed
  refusal, so the fuzzers accept it; the input is kept under .hypothesis/worker-failures/ and
  counted in the session summary, since a hang or a crash is worth a look all the same;
- "error": probe_file or render_preview raised, which breaks their contract: a test failure.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from mediagate.app import WORKER_PRELOAD
from mediagate.inspect.entry import probe_in_worker
from mediagate.inspect.facts import Facts, ProbeLimits
from mediagate.media.preview_spec import PreviewSpec
from mediagate.preview.entry import render_in_worker
from mediagate.preview.result import RenderedPreview, RenderFailure
from mediagate.workers.failures import refusal
from mediagate.workers.pool import WorkerFailed, WorkerPool

# A few seconds: a probe of a few-KiB file takes a millisecond, so a file still running after
# this has found a loop. The server's own limits are 10 s and 1 GiB (config.py); the same
# memory cap keeps an allocation a decoder would be allowed in production from failing here.
TIME_LIMIT_SECONDS = 5.0
MEMORY_BYTES = 1024 * 1024 * 1024

T = TypeVar("T")


class ContractBroken(AssertionError):
    """A worker job raised: probe_file and render_preview promise never to."""


class Lanes:
    def __init__(self, kept_dir: Path) -> None:
        self._loop = asyncio.new_event_loop()
        self._kept_dir = kept_dir
        self.outcomes: Counter[str] = Counter()

        def pool(name: str) -> WorkerPool:
            return WorkerPool(
                name=name,
                size=1,
                queue_limit=1,
                timeout_seconds=TIME_LIMIT_SECONDS,
                memory_bytes=MEMORY_BYTES,
                preload=WORKER_PRELOAD,
            )

        self._probe = pool("probe")
        self._render = pool("render")

    def start(self) -> None:
        self._loop.run_until_complete(self._both("start"))

    def close(self) -> None:
        self._loop.run_until_complete(self._both("close"))
        self._loop.close()

    async def _both(self, step: str) -> None:
        await asyncio.gather(getattr(self._probe, step)(), getattr(self._render, step)())

    def probe(self, path: Path, sniffed_mime: str, limits: ProbeLimits) -> Facts:
        """The probe step of pipeline/upload.py: the worker's Facts, or a CORRUPT refusal when
        the job timed out or its worker died."""
        try:
            facts = self._run(self._probe, path, probe_in_worker, str(path), sniffed_mime, limits)
        except WorkerFailed as failed:
            facts = Facts(mime_type=sniffed_mime, findings=[refusal(failed, sniffed_mime)])
        facts.magic_mime = sniffed_mime
        return facts

    def render(
        self, path: Path, mime: str, spec: PreviewSpec, max_pixels: int
    ) -> RenderedPreview | RenderFailure | WorkerFailed:
        try:
            return self._run(
                self._render, path, render_in_worker, str(path), mime, spec, max_pixels
            )
        except WorkerFailed as failed:
            return failed

    def _run(self, pool: WorkerPool, path: Path, job: Callable[..., T], *args: Any) -> T:
        try:
            result = self._loop.run_until_complete(pool.run(job, *args))
        except WorkerFailed as failed:
            self.outcomes[f"{pool.name} {failed.kind}"] += 1
            if failed.kind == "error":
                raise ContractBroken(f"the {pool.name} job raised: {failed.detail}") from None
            self._keep(path, f"{pool.name}-{failed.kind}")
            raise
        self.outcomes[f"{pool.name} answered"] += 1
        return result

    def _keep(self, path: Path, what: str) -> None:
        data = path.read_bytes()
        self._kept_dir.mkdir(parents=True, exist_ok=True)
        (self._kept_dir / f"{what}-{hashlib.sha256(data).hexdigest()[:16]}").write_bytes(data)
