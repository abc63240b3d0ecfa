"""One replica at a time runs a piece of work (the Genesys event worker): the one holding a
session-level PostgreSQL advisory lock on a connection of its own.

The others try to take the lock every retry_seconds. PostgreSQL releases a session lock when
its connection ends, so when the leader dies (its process killed, its host gone: the kernel or,
failing that, TCP keepalives close the socket) the next try of another replica succeeds. The
leader checks its connection as often: if the connection is gone, so may be the lock (another
replica may hold it now), and the leader stops its work before trying again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

import psycopg
from psycopg.rows import TupleRow

log = logging.getLogger(__name__)

# pg_advisory_lock's key for "the Genesys event worker" (ASCII "mgevents"); the migrations'
# lock (store/pg_migrations.py) is another key.
EVENTS_LOCK = 0x6D676576656E7473


async def lead(
    dsn: str,
    key: int,
    work: Callable[[], Awaitable[None]],
    retry_seconds: float,
    connect_timeout: float = 30.0,
    name: str = "work",
) -> None:
    """Runs work() whenever this process holds the lock `key`; never returns (cancel it)."""
    while True:
        try:
            conn = await psycopg.AsyncConnection.connect(
                dsn,
                autocommit=True,
                connect_timeout=max(1, round(connect_timeout)),
                application_name=f"mediagate-{name}-leader",
                # The database drops a vanished leader's session (and lock) within ~20 s even
                # when no FIN ever arrives.
                keepalives=1,
                keepalives_idle=10,
                keepalives_interval=5,
                keepalives_count=2,
            )
            async with conn:
                await _wait_for_lock(conn, key, retry_seconds)
                log.info("leader: this replica runs the %s now", name)
                await _while_held(conn, work, retry_seconds)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("leader: the %s stopped here (%s); trying again", name, exc)
        await asyncio.sleep(retry_seconds)


async def _wait_for_lock(conn: psycopg.AsyncConnection[TupleRow], key: int, every: float) -> None:
    while True:
        cursor = await conn.execute("SELECT pg_try_advisory_lock(%s)", (key,))
        row = await cursor.fetchone()
        if row is not None and row[0]:
            return
        await asyncio.sleep(every)


async def _while_held(
    conn: psycopg.AsyncConnection[TupleRow], work: Callable[[], Awaitable[None]], every: float
) -> None:
    """Runs the work until it ends, or the lock's connection stops answering."""

    async def run() -> None:
        await work()

    task = asyncio.create_task(run(), name="leader-work")
    try:
        while not task.done():
            done, _ = await asyncio.wait({task}, timeout=every)
            if done:
                break
            async with asyncio.timeout(max(every, 1.0)):
                await conn.execute("SELECT 1")
        task.result()  # the work's own failure, if it ended by one
        raise RuntimeError("the work ended")
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
