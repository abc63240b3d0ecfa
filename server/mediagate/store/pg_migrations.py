"""Schema migrations for the PostgreSQL catalog: versioned SQL files
(store/migrations/pg/NNNN_name.sql), each applied once, in order, in a transaction of its own
that also records it in schema_migrations.

Several replicas start at once against one database: each takes the same session-level
advisory lock before it reads which versions are applied, so one applies the missing files and
the others, once they get the lock, find nothing left to do. A failed file rolls back whole
(PostgreSQL's DDL is transactional) and the lock goes with the connection.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from importlib import resources

import psycopg

log = logging.getLogger(__name__)

# pg_advisory_lock's key for "migrating the mediagate catalog" (any fixed 64-bit number that
# nothing else in the database uses): the ASCII of "mgschema".
MIGRATION_LOCK = 0x6D67736368656D61
_FILE = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """Every migration shipped with this release, in version order."""
    folder = resources.files("mediagate.store").joinpath("migrations", "pg")
    found: list[Migration] = []
    for entry in folder.iterdir():
        match = _FILE.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text("utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"two migrations share a version: {versions}")
    return found


def migrate(dsn: str, connect_timeout: float = 30.0) -> list[int]:
    """Applies the migrations this database lacks; returns their versions (empty when another
    replica applied them, or they were there already). Refuses a database migrated by a newer
    release (a version this one does not know): its code would not match the schema."""
    known = migrations()
    # connect_timeout: libpq's, whole seconds (an unreachable host fails the start, never hangs).
    timeout = max(1, round(connect_timeout))
    with psycopg.connect(dsn, autocommit=True, connect_timeout=timeout) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))
        try:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version INTEGER PRIMARY KEY,"
                " name TEXT NOT NULL,"
                " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
            )
            applied = {int(v) for (v,) in conn.execute("SELECT version FROM schema_migrations")}
            unknown = applied - {m.version for m in known}
            if unknown:
                raise RuntimeError(
                    f"the catalog database has schema versions {sorted(unknown)} that this "
                    "release does not know: it was migrated by a newer mediagate"
                )
            done: list[int] = []
            for migration in known:
                if migration.version in applied:
                    continue
                with conn.transaction():
                    conn.execute(migration.sql.encode())  # several statements: simple protocol
                    conn.execute(
                        "INSERT INTO schema_migrations (version, name) VALUES (%s, %s)",
                        (migration.version, migration.name),
                    )
                log.info("catalog schema: applied %s", migration.name)
                done.append(migration.version)
            return done
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK,))
