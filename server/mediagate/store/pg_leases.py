"""What the PostgreSQL ledgers (deliveries, the inbox) share: a connection pool, and leases.

A lease says which replica is working a row and until when: lease_owner is the replica's id (a
uuid drawn when it starts), lease_until unix seconds on the database's clock, so replicas
whose own clocks disagree still agree on when a lease has expired. A replica renews its leases
every third of the lease while it works; a row whose lease expired belongs to a replica that
died (or stalled for a whole lease) and another replica claims it with UPDATE ... FOR UPDATE
SKIP LOCKED, so exactly one claimant gets it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import psycopg
from psycopg.rows import TupleRow
from psycopg_pool import ConnectionPool

# The database's clock now, in unix seconds (clock_timestamp: the time of the statement, not of
# its transaction's start).
DB_NOW = "extract(epoch FROM clock_timestamp())::float8"


@dataclass(frozen=True)
class Lease:
    seconds: float = 30.0
    owner: str = field(default_factory=lambda: uuid.uuid4().hex)

    @property
    def renew_seconds(self) -> float:
        """How often a holder renews: three chances before its lease would expire."""
        return self.seconds / 3


LedgerPool = ConnectionPool[psycopg.Connection[TupleRow]]


def open_pool(dsn: str, size: int, connect_timeout: float, name: str) -> LedgerPool:
    """A thread-safe pool of autocommit connections (a ledger's calls run in threads; each is
    one statement, or an explicit transaction)."""
    pool: LedgerPool = ConnectionPool(
        dsn,
        min_size=1,
        max_size=max(1, size),
        timeout=connect_timeout,
        name=name,
        kwargs={"autocommit": True},
        open=False,
    )
    pool.open(wait=True, timeout=connect_timeout)
    return pool


def pg_query(sql: str) -> str:
    """SQLite's "?" placeholders (store/pages.py builds them) as psycopg's "%s"."""
    return sql.replace("?", "%s")
