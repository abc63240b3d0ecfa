"""Runs pure, CPU-bound functions in worker processes, each job under a time and memory cap.

Why processes and not threads: decoders are hostile territory. A probe that loops forever or
allocates without bound cannot be stopped inside a thread; a process can be killed and
replaced while every other caller keeps being served. Workers come from a forkserver whose
process imports the decoders once (`preload`), so a replacement starts in milliseconds and
never inherits the server's gRPC threads.

The event loop never blocks on a worker: it learns that an answer is ready from the pipe's file
descriptor (loop.add_reader), not from a thread waiting on it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import resource
import signal
import time
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

from mediagate.errors import ErrorReason, MediagateError
from mediagate.telemetry import metrics

log = logging.getLogger(__name__)

T = TypeVar("T")


class Overloaded(MediagateError):
    """Every worker of a lane is busy and its queue is full: the caller should retry later."""

    def __init__(self, lane: str, retry_after_seconds: float) -> None:
        super().__init__(
            ErrorReason.OVERLOADED,
            f"All {lane} workers are busy; retry after {retry_after_seconds:g} s.",
            {"lane": lane},
            retry_after_seconds=retry_after_seconds,
        )


class WorkerFailed(Exception):
    """The job did not produce an answer: it timed out, its worker died, or it raised.
    workers/failures.py is the one place that says what that means to a caller."""

    def __init__(self, lane: str, kind: str, detail: str) -> None:
        super().__init__(f"{lane} worker {kind}: {detail}")
        self.lane = lane
        self.kind = kind  # "timeout" | "crashed" | "error"
        self.detail = detail


def _worker_main(conn: Connection, memory_bytes: int) -> None:
    if memory_bytes > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    # Ctrl-C in a terminal reaches the whole process group; only the parent decides when
    # workers stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        func, args = job
        try:
            reply: tuple[str, Any] = ("ok", func(*args))
        except BaseException as exc:  # a job's failure must not end the worker
            reply = ("error", f"{type(exc).__name__}: {exc}")
        try:
            conn.send(reply)
        except Exception as exc:  # e.g. an unpicklable result
            conn.send(("error", f"cannot return the result: {exc}"))


class _Worker:
    def __init__(self, process: BaseProcess, conn: Connection) -> None:
        self.process = process
        self.conn = conn

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class WorkerPool:
    def __init__(
        self,
        name: str,
        size: int,
        queue_limit: int,
        timeout_seconds: float,
        memory_bytes: int,
        preload: Sequence[str] = (),
        retry_after_seconds: float = 1.0,
    ) -> None:
        self.name = name  # the lane: named in failures, overload errors and logs
        self.size = max(1, size)
        self._queue_limit = queue_limit
        self._timeout = timeout_seconds
        self._memory = memory_bytes
        self._retry_after = retry_after_seconds
        self._ctx = multiprocessing.get_context("forkserver")
        self._ctx.set_forkserver_preload(list(preload))
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[_Worker] = set()
        self._waiting = 0
        self._background: set[asyncio.Task[None]] = set()
        self._closed = False
        self.replaced = 0  # workers killed or lost and started anew, for metrics and tests

    async def start(self) -> None:
        workers = await asyncio.gather(*(asyncio.to_thread(self._spawn) for _ in range(self.size)))
        for worker in workers:
            self._idle.put_nowait(worker)

    @property
    def busy(self) -> int:
        return len(self._all) - self._idle.qsize()

    @property
    def waiting(self) -> int:
        return self._waiting

    @property
    def pids(self) -> list[int]:
        return [w.process.pid for w in self._all if w.process.pid is not None]

    async def run(
        self, func: Callable[..., T], *args: Any, timeout_seconds: float | None = None
    ) -> T:
        """Runs func(*args) in a worker. Raises Overloaded or WorkerFailed."""
        if self._closed:
            raise WorkerFailed(self.name, "crashed", "the pool is closed")
        if self._idle.empty() and self._waiting >= self._queue_limit:
            metrics.LANE_JOBS.labels(self.name, "overloaded").inc()
            metrics.ABUSE_REFUSALS.labels("lane_full").inc()
            raise Overloaded(self.name, self._retry_after)
        self._waiting += 1
        queued = time.perf_counter()
        try:
            worker = await self._idle.get()
        finally:
            self._waiting -= 1
        metrics.LANE_WAIT_SECONDS.labels(self.name).observe(time.perf_counter() - queued)
        timeout = self._timeout if timeout_seconds is None else timeout_seconds
        try:
            status, value = await self._call(worker, (func, args), timeout)
        except WorkerFailed as failed:
            metrics.LANE_JOBS.labels(self.name, failed.kind).inc()
            raise
        if status != "ok":
            metrics.LANE_JOBS.labels(self.name, "error").inc()
            raise WorkerFailed(self.name, "error", str(value))
        metrics.LANE_JOBS.labels(self.name, "ok").inc()
        return value  # type: ignore[no-any-return]

    async def close(self) -> None:
        self._closed = True
        for task in list(self._background):
            task.cancel()
        for worker in list(self._all):
            with contextlib.suppress(Exception):
                worker.conn.send(None)
        await asyncio.gather(*(asyncio.to_thread(w.kill) for w in list(self._all)))
        self._all.clear()

    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(
            target=_worker_main,
            args=(child, self._memory),
            daemon=True,
            name=f"mediagate-{self.name}-worker",
        )
        process.start()
        child.close()
        worker = _Worker(process, parent)
        self._all.add(worker)
        log.info("%s worker pid=%s started", self.name, process.pid)
        return worker

    async def _call(
        self, worker: _Worker, job: tuple[Any, ...], limit_seconds: float
    ) -> tuple[str, Any]:
        loop = asyncio.get_running_loop()
        try:
            worker.conn.send(job)
        except (OSError, ValueError) as exc:
            self._replace(worker)
            raise WorkerFailed(
                self.name, "crashed", f"worker gone before the job started: {exc}"
            ) from exc
        ready = loop.create_future()
        fd = worker.conn.fileno()

        def on_readable() -> None:
            loop.remove_reader(fd)
            if not ready.done():
                ready.set_result(None)

        loop.add_reader(fd, on_readable)
        try:
            await asyncio.wait_for(asyncio.shield(ready), limit_seconds)
        except TimeoutError:
            loop.remove_reader(fd)
            self._replace(worker)
            raise WorkerFailed(
                self.name, "timeout", f"no answer within {limit_seconds:g} s"
            ) from None
        except asyncio.CancelledError:
            # The caller went away; the worker finishes (or times out) on its own and is then
            # given back, so one impatient caller cannot cost a worker restart.
            self._track(self._settle(worker, ready, fd, limit_seconds))
            raise
        return self._receive(worker)

    def _receive(self, worker: _Worker) -> tuple[str, Any]:
        try:
            reply: tuple[str, Any] = worker.conn.recv()
        except (EOFError, OSError) as exc:
            code = worker.process.exitcode
            self._replace(worker)
            raise WorkerFailed(self.name, "crashed", f"worker died (exit code {code})") from exc
        self._idle.put_nowait(worker)
        return reply

    async def _settle(
        self, worker: _Worker, ready: asyncio.Future[None], fd: int, limit_seconds: float
    ) -> None:
        loop = asyncio.get_running_loop()
        try:
            await asyncio.wait_for(ready, limit_seconds)
        except (TimeoutError, asyncio.CancelledError):
            loop.remove_reader(fd)
            self._replace(worker)
            return
        with contextlib.suppress(WorkerFailed):
            self._receive(worker)

    def _replace(self, worker: _Worker) -> None:
        self._all.discard(worker)
        if self._closed:
            worker.kill()
            return
        self.replaced += 1
        log.warning("replacing %s worker pid=%s", self.name, worker.process.pid)

        async def replace() -> None:
            await asyncio.to_thread(worker.kill)
            fresh = await asyncio.to_thread(self._spawn)
            if self._closed:
                await asyncio.to_thread(fresh.kill)
            else:
                self._idle.put_nowait(fresh)

        self._track(replace())

    def _track(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)
