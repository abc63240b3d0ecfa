"""A throwaway PostgreSQL 15 server on loopback for the tests (Debian's postgresql-15), as in
real-components.md section 1: initdb into a temp dir as the `postgres` user (initdb, pg_ctl and
postgres all refuse root), a free port on 127.0.0.1, the unix socket in the temp dir, and no
fsync (nothing here must survive a power cut). Started once per session, only when a test asks
for it; every test that needs a clean catalog gets a database of its own (fresh_database).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg
import pytest

PGBIN = "/usr/lib/postgresql/15/bin"


@dataclass(frozen=True)
class PostgresServer:
    host: str
    port: int
    user: str = "postgres"

    def dsn(self, database: str = "postgres") -> str:
        return f"postgresql://{self.user}@{self.host}:{self.port}/{database}"

    def fresh_database(self) -> str:
        """A new, empty database; its DSN. CREATE DATABASE copies template1: about 10 ms."""
        name = "t_" + uuid.uuid4().hex[:16]
        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.dsn(name)

    def drop_database(self, dsn: str) -> None:
        name = dsn.rsplit("/", 1)[1]
        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _as_postgres(*cmd: str) -> None:
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run([*prefix, *cmd], check=True, stdout=subprocess.DEVNULL)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_postgres(durable: bool = False) -> Iterator[PostgresServer]:
    """A PostgreSQL server of its own, stopped and removed on leaving. durable=False turns
    off fsync and friends (tests); True keeps PostgreSQL's defaults (benchmarks, so that its
    commits cost what a real one's do, as SQLite's synchronous=FULL commits do)."""
    if not os.path.exists(f"{PGBIN}/postgres"):
        # `make test` installs it (test-deps); failing says what is missing, never skips.
        raise RuntimeError(f"PostgreSQL 15 is not installed ({PGBIN}): run `make test-deps`")
    tmp = tempfile.mkdtemp(prefix="pgtest.")
    if os.geteuid() == 0:
        shutil.chown(tmp, "postgres", "postgres")
    data = os.path.join(tmp, "data")
    port = _free_port()
    _as_postgres(
        f"{PGBIN}/initdb",
        *("-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8"),
        *("--no-locale", "--no-sync"),
    )
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {tmp} -c max_connections=200"
    if not durable:
        options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    log_file = os.path.join(tmp, "pg.log")
    _as_postgres(
        f"{PGBIN}/pg_ctl", "-D", data, "-l", log_file, "-w", "-t", "30", "-o", options, "start"
    )
    try:
        yield PostgresServer("127.0.0.1", port)
    finally:
        _as_postgres(f"{PGBIN}/pg_ctl", "-D", data, "-m", "fast", "-w", "stop")
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    with running_postgres() as server:
        yield server


@pytest.fixture
def postgres_dsn(postgres_server: PostgresServer) -> Iterator[str]:
    """A database of this test's own, dropped afterwards."""
    dsn = postgres_server.fresh_database()
    yield dsn
    postgres_server.drop_database(dsn)
