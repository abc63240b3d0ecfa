"""Every catalog test runs against each backend: the embedded SQLite catalog and the
PostgreSQL one (a database of its own per test), through one fixture, so they cannot drift."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from mediagate.store.catalog import Catalog, SqliteCatalog
from mediagate.store.pg_catalog import PgCatalog

NewCatalog = Callable[[], Catalog]


@pytest.fixture(params=["sqlite", "postgres"])
def new_catalog(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[NewCatalog]:
    """Opens the test's catalog: each call opens the same one again (as a restart would)."""
    if request.param == "sqlite":
        yield lambda: SqliteCatalog(tmp_path / "catalog.sqlite3")
    else:
        dsn: str = request.getfixturevalue("postgres_dsn")
        yield lambda: PgCatalog(dsn, pool_size=4)
