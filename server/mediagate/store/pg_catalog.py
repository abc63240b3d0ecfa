"""The catalog on PostgreSQL, for replicas that share one database: the same behaviour as
SqliteCatalog (store/catalog.py), row for row.

- Schema: versioned SQL files applied at start under an advisory lock (store/pg_migrations.py).
- Writes: every write transaction first locks the one storage_usage row (SELECT ... FOR
  UPDATE), so catalog writes are serialised across replicas as SQLite's single writer
  serialises them in one process. Then, under READ COMMITTED, each later statement sees every
  earlier writer's commit: the idempotency-key lookup finds a concurrent replica's row, and the
  quota and storage-cap check reads the totals that the insert will change
  (store/usage.py). The unique index on (tenant, idempotency_key) stays as the last word.
- Retention sweeps: expired() claims the rows it returns for a while (sweep_claimed_until),
  choosing them with FOR UPDATE SKIP LOCKED, so that replicas sweeping at once split the
  expired rows instead of all working through the same ones; delete() is DELETE ... RETURNING,
  so a row is deleted, and counted, by one replica only, whichever gets it.
- Reads on the event loop: without_waiting() makes every read fail at once as "busy", so that
  store/reads.py sends it to its threads. A read here crosses the network: it must never run
  on the loop, where a slow database or an exhausted pool would stall every call.

Connections come from a psycopg_pool.ConnectionPool (thread-safe: the catalog is called from
the read threads, the commit threads and the sweeper).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg.rows import TupleRow
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

from mediagate.store.pg_migrations import migrate
from mediagate.store.records import (
    AttachmentRecord,
    details_json,
    record_from_row,
)
from mediagate.store.space import NoSpace
from mediagate.store.usage import NO_LIMITS, Limits, Usage, exceeded

# How long a sweep's claim on an expired row lasts: a replica that dies mid-sweep leaves its
# rows to the next sweep of another replica after this long.
SWEEP_CLAIM_SECONDS = 300.0

_SELECT = (
    "SELECT id, tenant, file_name, declared_mime_type, detected_mime_type, size_bytes, sha256, "
    "profile, conversation_id, create_time, expire_time, labels, media, idempotency_key, "
    "details FROM attachments "
)
_RETURNING = (
    "RETURNING id, tenant, file_name, declared_mime_type, detected_mime_type, size_bytes, "
    "sha256, profile, conversation_id, create_time, expire_time, labels, media, "
    "idempotency_key, details"
)
_INSERT = (
    "INSERT INTO attachments (id, tenant, file_name, declared_mime_type, detected_mime_type, "
    "size_bytes, sha256, profile, conversation_id, create_time, expire_time, labels, media, "
    "idempotency_key, details) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)
_PAGE_END = " ORDER BY id DESC LIMIT %s"
_PAGES = {
    (False, False): _SELECT + "WHERE tenant = %s" + _PAGE_END,
    (True, False): _SELECT + "WHERE tenant = %s AND conversation_id = %s" + _PAGE_END,
    (False, True): _SELECT + "WHERE tenant = %s AND id < %s" + _PAGE_END,
    (True, True): _SELECT + "WHERE tenant = %s AND conversation_id = %s AND id < %s" + _PAGE_END,
}
_USAGE = (
    "SELECT (SELECT bytes FROM tenant_usage WHERE tenant = %(t)s), "
    "(SELECT attachments FROM tenant_usage WHERE tenant = %(t)s), "
    "(SELECT bytes FROM storage_usage WHERE id = 0)"
)


class Busy(Exception):
    """A read asked not to wait (without_waiting): it belongs in a thread."""


# The advisory lock key of blob_guard ("mgblobs" as a number); migrations use their own.
BLOB_GUARD_KEY = 0x6D67626C6F6273


class PgCatalog:
    def __init__(
        self,
        dsn: str,
        pool_size: int = 10,
        connect_timeout: float = 30.0,
        sweep_claim_seconds: float = SWEEP_CLAIM_SECONDS,
    ) -> None:
        migrate(dsn, connect_timeout)
        self._sweep_claim_seconds = sweep_claim_seconds
        self._pool: ConnectionPool[psycopg.Connection[TupleRow]] = ConnectionPool(
            dsn,
            min_size=1,
            max_size=max(1, pool_size),
            timeout=connect_timeout,
            name="mediagate-catalog",
            # Reads are single statements: autocommit spares each a BEGIN and the ROLLBACK the
            # pool would send when the connection came back inside a transaction. Writes open
            # theirs explicitly (_writing).
            kwargs={"autocommit": True},
            open=False,
        )
        self._pool.open(wait=True, timeout=connect_timeout)
        self._local = threading.local()

    @contextmanager
    def _reading(self) -> Iterator[psycopg.Connection[TupleRow]]:
        if getattr(self._local, "impatient", False):
            raise Busy("the PostgreSQL catalog is read in a thread, never on the event loop")
        with self._pool.connection() as conn:
            yield conn

    @contextmanager
    def _writing(self) -> Iterator[psycopg.Connection[TupleRow]]:
        """One write transaction holding the storage_usage row lock from its start (see the
        module's docstring); committed on leaving, rolled back on any failure."""
        with _no_space(), self._pool.connection() as conn, conn.transaction():
            conn.execute("SELECT 1 FROM storage_usage WHERE id = 0 FOR UPDATE")
            yield conn

    @contextmanager
    def without_waiting(self) -> Iterator[None]:
        self._local.impatient = True
        try:
            yield
        finally:
            self._local.impatient = False

    @staticmethod
    def is_busy(exc: Exception) -> bool:
        return isinstance(exc, Busy)

    def insert(self, record: AttachmentRecord, limits: Limits = NO_LIMITS) -> AttachmentRecord:
        return self.insert_with_renditions(record, (), limits)

    def insert_with_renditions(
        self,
        record: AttachmentRecord,
        renditions: Sequence[AttachmentRecord],
        limits: Limits = NO_LIMITS,
        voice_details: dict[str, Any] | None = None,
    ) -> AttachmentRecord:
        with self._writing() as conn:
            first = _first_with_key(conn, record)
            if first is not None:
                return first
            _check(conn, limits, [record, *renditions])
            for row in (record, *renditions):
                conn.execute(_INSERT, _row(row))
            if voice_details is not None:
                conn.execute(
                    "INSERT INTO voice_messages (attachment_id, tenant, details) "
                    "VALUES (%s, %s, %s)",
                    (record.id, record.tenant, Jsonb(voice_details)),
                )
        return record

    def get(self, tenant: str, attachment_id: str) -> AttachmentRecord | None:
        with self._reading() as conn:
            row = conn.execute(
                _SELECT + "WHERE tenant = %s AND id = %s", (tenant, attachment_id)
            ).fetchone()
        return _record(row) if row else None

    def find_by_idempotency_key(self, tenant: str, key: str) -> AttachmentRecord | None:
        with self._reading() as conn:
            row = conn.execute(
                _SELECT + "WHERE tenant = %s AND idempotency_key = %s", (tenant, key)
            ).fetchone()
        return _record(row) if row else None

    def list_page(
        self, tenant: str, conversation_id: str, before_id: str, limit: int
    ) -> list[AttachmentRecord]:
        """Newest first, as store/pages.py's newest_first; an empty filter means "all". One
        literal query per shape (not "(%s = '' OR ...)"), so that a prepared statement's
        generic plan still uses the (tenant, conversation_id, id) index."""
        query = _PAGES[(bool(conversation_id), bool(before_id))]
        args = [tenant, *(v for v in (conversation_id, before_id) if v), limit]
        with self._reading() as conn:
            rows = conn.execute(query, args).fetchall()
        return [_record(row) for row in rows]

    def delete(self, tenant: str, attachment_id: str) -> AttachmentRecord | None:
        with self._writing() as conn:
            row = conn.execute(
                "DELETE FROM attachments WHERE tenant = %s AND id = %s " + _RETURNING,
                (tenant, attachment_id),
            ).fetchone()
        return _record(row) if row else None

    @contextmanager
    def blob_guard(self) -> Iterator[None]:
        """A session advisory lock on a connection of its own, held while AttachmentStore
        adopts and records, or deletes and drops, blobs that other replicas share. Catalog
        writes are serialised on the usage row already, so this adds little waiting."""
        with self._pool.connection() as conn:
            conn.execute("SELECT pg_advisory_lock(%s)", (BLOB_GUARD_KEY,))
            try:
                yield
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s)", (BLOB_GUARD_KEY,))

    def references(self, sha256: str) -> int:
        with self._reading() as conn:
            row = conn.execute(
                "SELECT COUNT(*) FROM attachments WHERE sha256 = %s", (sha256,)
            ).fetchone()
        return int(row[0]) if row else 0

    def expired(self, now: float, limit: int) -> list[AttachmentRecord]:
        """Up to `limit` rows expired at `now`, oldest first, claimed for this sweep: rows
        another sweep holds (locked now, or claimed within SWEEP_CLAIM_SECONDS) are skipped."""
        with self._pool.connection() as conn, conn.transaction():
            rows = conn.execute(
                "WITH clock AS (SELECT extract(epoch FROM clock_timestamp())::float8 AS now), "
                "chosen AS ("
                " SELECT id FROM attachments, clock"
                " WHERE expire_time <= %(now)s"
                " AND (sweep_claimed_until IS NULL OR sweep_claimed_until < clock.now)"
                " ORDER BY expire_time LIMIT %(limit)s"
                " FOR UPDATE OF attachments SKIP LOCKED) "
                "UPDATE attachments SET sweep_claimed_until = clock.now + %(claim)s "
                "FROM chosen, clock WHERE attachments.id = chosen.id "
                "RETURNING attachments.id, tenant, file_name, declared_mime_type, "
                "detected_mime_type, size_bytes, sha256, profile, conversation_id, create_time, "
                "expire_time, labels, media, idempotency_key, details",
                {"now": now, "limit": limit, "claim": self._sweep_claim_seconds},
            ).fetchall()
        records = [_record(row) for row in rows]
        records.sort(key=lambda r: r.expire_time)
        return records

    def digests(self) -> set[str]:
        with self._reading() as conn:
            return {str(sha) for (sha,) in conn.execute("SELECT DISTINCT sha256 FROM attachments")}

    def usage(self, tenant: str) -> Usage:
        with self._reading() as conn:
            return _usage(conn, tenant)

    def usage_by_tenant(self) -> tuple[dict[str, Usage], int]:
        """Every tenant's logical usage, and the server's physical bytes (for metrics)."""
        with self._reading() as conn:
            rows = conn.execute(
                "SELECT tenant, bytes, attachments FROM tenant_usage WHERE attachments > 0"
            ).fetchall()
            stored = conn.execute("SELECT COALESCE(SUM(bytes), 0) FROM storage_usage").fetchone()
        tenants = {str(t): Usage(int(b), int(n)) for t, b, n in rows}
        return tenants, int(stored[0]) if stored else 0

    def tenant_usages(self) -> dict[str, Usage]:
        with self._reading() as conn:
            stored = conn.execute("SELECT bytes FROM storage_usage WHERE id = 0").fetchone()
            rows = conn.execute(
                "SELECT tenant, bytes, attachments FROM tenant_usage WHERE attachments > 0 "
                "ORDER BY tenant"
            ).fetchall()
        total = int(stored[0]) if stored else 0
        return {str(t): Usage(int(b), int(n), total) for t, b, n in rows}

    def is_stored(self, sha256: str) -> bool:
        with self._reading() as conn:
            found = conn.execute(
                "SELECT 1 FROM attachments WHERE sha256 = %s LIMIT 1", (sha256,)
            ).fetchone()
        return found is not None

    def voice_details(self, tenant: str, attachment_id: str) -> dict[str, Any] | None:
        with self._reading() as conn:
            row = conn.execute(
                "SELECT details FROM voice_messages WHERE tenant = %s AND attachment_id = %s",
                (tenant, attachment_id),
            ).fetchone()
        return dict(row[0]) if row else None

    def close(self) -> None:
        self._pool.close()


def _first_with_key(
    conn: psycopg.Connection[TupleRow], record: AttachmentRecord
) -> AttachmentRecord | None:
    if not record.idempotency_key:
        return None
    row = conn.execute(
        _SELECT + "WHERE tenant = %s AND idempotency_key = %s",
        (record.tenant, record.idempotency_key),
    ).fetchone()
    return _record(row) if row else None


def _check(
    conn: psycopg.Connection[TupleRow], limits: Limits, rows: list[AttachmentRecord]
) -> None:
    """Inside the inserting transaction, after its lock: raises when the rows do not fit.
    One round trip for the totals and which of the digests are stored already (the lock is
    held across it, so every round trip here delays every other writer)."""
    if not limits.any:
        return
    found = conn.execute(
        "SELECT (SELECT bytes FROM tenant_usage WHERE tenant = %(t)s), "
        "(SELECT attachments FROM tenant_usage WHERE tenant = %(t)s), "
        "(SELECT bytes FROM storage_usage WHERE id = 0), "
        "ARRAY(SELECT DISTINCT sha256 FROM attachments WHERE sha256 = ANY(%(shas)s))",
        {"t": rows[0].tenant, "shas": sorted({r.sha256 for r in rows})},
    ).fetchone()
    assert found is not None  # scalar subqueries: always one row
    *totals, stored = found
    new_blobs = {r.sha256: r.size_bytes for r in rows if r.sha256 not in set(stored)}
    adding = Usage(
        tenant_bytes=sum(r.size_bytes for r in rows),
        tenant_attachments=len(rows),
        stored_bytes=sum(new_blobs.values()),
    )
    error = exceeded(limits, Usage(*(int(value or 0) for value in totals)), adding)
    if error is not None:
        raise error


def _usage(conn: psycopg.Connection[TupleRow], tenant: str) -> Usage:
    row = conn.execute(_USAGE, {"t": tenant}).fetchone()
    assert row is not None  # a SELECT of scalar subqueries always answers one row
    return Usage(*(int(value or 0) for value in row))


def _row(record: AttachmentRecord) -> tuple[object, ...]:
    return (
        record.id,
        record.tenant,
        record.file_name,
        record.declared_mime_type,
        record.detected_mime_type,
        record.size_bytes,
        record.sha256,
        record.profile,
        record.conversation_id,
        record.create_time,
        record.expire_time,
        Jsonb(record.labels),
        Jsonb(record.media),
        record.idempotency_key or None,
        # The same value as SQLite's column (store/records.py's details_json), as JSONB.
        Jsonb(json.loads(details_json(record))),
    )


@contextmanager
def _no_space() -> Iterator[None]:
    """The database server's "disk full" as the store's NoSpace (STORAGE_FULL to callers)."""
    try:
        yield
    except psycopg.errors.DiskFull as exc:
        raise NoSpace("the catalog database") from exc


def _record(row: TupleRow) -> AttachmentRecord:
    return record_from_row(row, json.dumps)  # JSONB arrives decoded
