from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from mediagate.workers.pool import Overloaded, WorkerFailed, WorkerPool
from tests.unit.workers import pool_tasks


def run(coro):  # type: ignore[no-untyped-def]
    return asyncio.run(coro)


async def _pool(**kwargs: object) -> WorkerPool:
    options: dict[str, object] = {
        "name": "test",
        "size": 1,
        "queue_limit": 4,
        "timeout_seconds": 5.0,
        "memory_bytes": 512 * 1024 * 1024,
    }
    options.update(kwargs)
    pool = WorkerPool(**options)  # type: ignore[arg-type]
    await pool.start()
    return pool


def test_runs_a_job_in_another_process() -> None:
    async def scenario() -> None:
        pool = await _pool()
        try:
            assert await pool.run(pool_tasks.add, 2, 3) == 5
            assert await pool.run(pool_tasks.pid) in pool.pids
        finally:
            await pool.close()

    run(scenario())


def test_a_job_that_never_ends_times_out_and_its_worker_is_replaced() -> None:
    async def scenario() -> None:
        pool = await _pool(timeout_seconds=0.5)
        try:
            before = await pool.run(pool_tasks.pid)
            with pytest.raises(WorkerFailed) as failed:
                await pool.run(pool_tasks.spin_forever)
            assert failed.value.kind == "timeout"
            after = await pool.run(pool_tasks.pid)
            assert after != before and pool.replaced == 1
        finally:
            await pool.close()

    run(scenario())


def test_a_worker_that_dies_is_replaced_and_the_pool_keeps_serving() -> None:
    async def scenario() -> None:
        pool = await _pool()
        try:
            with pytest.raises(WorkerFailed) as failed:
                await pool.run(pool_tasks.die)
            assert failed.value.kind == "crashed"
            assert await pool.run(pool_tasks.add, 1, 1) == 2
        finally:
            await pool.close()

    run(scenario())


def test_memory_cap_stops_a_greedy_job_without_killing_the_pool() -> None:
    async def scenario() -> None:
        pool = await _pool(memory_bytes=300 * 1024 * 1024)
        try:
            with pytest.raises(WorkerFailed) as failed:
                await pool.run(pool_tasks.allocate, 1024)
            assert failed.value.kind == "error" and "MemoryError" in failed.value.detail
            assert await pool.run(pool_tasks.allocate, 10) == 10 * 1024 * 1024
        finally:
            await pool.close()

    run(scenario())


def test_a_raising_job_reports_its_error_and_keeps_its_worker() -> None:
    async def scenario() -> None:
        pool = await _pool()
        try:
            with pytest.raises(WorkerFailed, match="ValueError: bad input"):
                await pool.run(pool_tasks.fail)
            assert pool.replaced == 0
        finally:
            await pool.close()

    run(scenario())


def test_a_full_queue_refuses_at_once_with_a_retry_delay(tmp_path: Path) -> None:
    async def scenario() -> None:
        pool = await _pool(queue_limit=1)
        gate = tmp_path / "go"
        try:
            busy = asyncio.create_task(pool.run(pool_tasks.wait_for_file, str(gate)))
            queued = asyncio.create_task(pool.run(pool_tasks.add, 1, 2))
            # Let both tasks reach the pool: one holds the worker, one waits in the queue.
            while pool.busy < 1 or not pool.waiting:  # noqa: ASYNC110 (a yield, not a timer)
                await asyncio.sleep(0)
            with pytest.raises(Overloaded) as overloaded:
                await pool.run(pool_tasks.add, 3, 4)
            assert overloaded.value.retry_after_seconds
            assert overloaded.value.metadata == {"lane": "test"}
            gate.touch()
            assert await busy == str(gate)
            assert await queued == 3
        finally:
            await pool.close()

    run(scenario())
