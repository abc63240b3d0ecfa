"""Every catalog, delivery ledger and inbox test runs against each backend: the embedded
SQLite files and PostgreSQL (a database of its own per test), through one fixture each, so
they cannot drift."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from mediagate.store.catalog import Catalog, SqliteCatalog
from mediagate.store.deliveries import DeliveryLedger, SqliteDeliveries
from mediagate.store.inbox import InboxLedger, SqliteInbox
from mediagate.store.pg_catalog import PgCatalog
from mediagate.store.pg_deliveries import PgDeliveries
from mediagate.store.pg_inbox import PgInbox
from mediagate.store.pg_leases import Lease, LedgerPool, open_pool
from mediagate.store.pg_migrations import migrate

NewCatalog = Callable[[], Catalog]


@pytest.fixture(params=["sqlite", "postgres"])
def new_catalog(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[NewCatalog]:
    """Opens the test's catalog: each call opens the same one again (as a restart would)."""
    if request.param == "sqlite":
        yield lambda: SqliteCatalog(tmp_path / "catalog.sqlite3")
    else:
        dsn: str = request.getfixturevalue("postgres_dsn")
        yield lambda: PgCatalog(dsn, pool_size=4)


# Deliveries and the inbox, on each backend. Each call of the factory is another process: a
# restart of the one process (SQLite), or another replica with an id and a lease of its own
# (PostgreSQL; lease_seconds is its lease).
NewDeliveries = Callable[..., DeliveryLedger]
NewInbox = Callable[..., InboxLedger]


@contextmanager
def _ledger_pool(request: pytest.FixtureRequest) -> Iterator[LedgerPool]:
    dsn: str = request.getfixturevalue("postgres_dsn")
    migrate(dsn)
    pool = open_pool(dsn, 8, 10.0, "test-ledgers")
    try:
        yield pool
    finally:
        pool.close()


@pytest.fixture(params=["sqlite", "postgres"])
def new_deliveries(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[NewDeliveries]:
    if request.param == "sqlite":
        yield lambda lease_seconds=30.0: SqliteDeliveries(tmp_path / "d.sqlite3")
        return
    with _ledger_pool(request) as pool:
        yield lambda lease_seconds=30.0: PgDeliveries(pool, Lease(lease_seconds))


@pytest.fixture(params=["sqlite", "postgres"])
def new_inbox(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[NewInbox]:
    if request.param == "sqlite":
        yield lambda lease_seconds=30.0: SqliteInbox(tmp_path / "inbox.sqlite3")
        return
    with _ledger_pool(request) as pool:
        yield lambda lease_seconds=30.0: PgInbox(pool, Lease(lease_seconds))
