"""One leader at a time (store/pg_leader.py) on a real PostgreSQL: two contenders for the same
advisory lock; the work runs on the one holding it; when the leader stops (its connection
closes, as when its process dies) the other takes over within a retry period; and a leader
whose work fails lets go and competes again."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

import psycopg

from mediagate.store.pg_leader import lead

KEY = 0x7465737431  # a key of this test's own
RETRY = 0.2


def test_one_contender_works_and_the_other_takes_over_when_it_stops(postgres_dsn: str) -> None:
    async def scenario() -> None:
        running: list[str] = []
        started = asyncio.Condition()

        def work_of(name: str) -> Callable[[], Awaitable[None]]:
            async def work() -> None:
                async with started:
                    running.append(name)
                    started.notify_all()
                await asyncio.Event().wait()  # until cancelled

            return work

        first = asyncio.create_task(lead(postgres_dsn, KEY, work_of("first"), RETRY))
        async with started:
            await asyncio.wait_for(started.wait_for(lambda: running == ["first"]), 10)
        second = asyncio.create_task(lead(postgres_dsn, KEY, work_of("second"), RETRY))
        # The second tries every RETRY and keeps failing: the lock is held.
        await asyncio.sleep(RETRY * 5)
        assert running == ["first"]
        assert await _lock_held(postgres_dsn)

        first.cancel()  # its connection closes with it, and the lock with the connection
        with contextlib.suppress(asyncio.CancelledError):
            await first
        async with started:
            await asyncio.wait_for(started.wait_for(lambda: running == ["first", "second"]), 10)
        second.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await second

    asyncio.run(scenario())


def test_a_leader_whose_work_fails_lets_go_and_tries_again(postgres_dsn: str) -> None:
    async def scenario() -> None:
        attempts = 0
        done = asyncio.Event()

        async def failing() -> None:
            nonlocal attempts
            attempts += 1
            if attempts >= 3:
                done.set()
            raise RuntimeError("the work broke")

        leader = asyncio.create_task(lead(postgres_dsn, KEY, failing, RETRY))
        await asyncio.wait_for(done.wait(), 10)
        leader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await leader
        assert attempts >= 3

    asyncio.run(scenario())


async def _lock_held(dsn: str) -> bool:
    async with await psycopg.AsyncConnection.connect(dsn, autocommit=True) as conn:
        cursor = await conn.execute("SELECT pg_try_advisory_lock(%s)", (KEY,))
        row = await cursor.fetchone()
        return row is not None and not row[0]
