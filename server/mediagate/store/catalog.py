"""Catalog: attachment metadata, and how much each tenant and the server store. The embedded
default is SQLite in WAL mode."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext, suppress
from pathlib import Path
from typing import Any, Protocol

from mediagate.store.pages import newest_first
from mediagate.store.records import (
    AttachmentRecord,
    details_json,
    record_from_row,
)
from mediagate.store.space import NoSpace
from mediagate.store.usage import NO_LIMITS, Limits, Usage, exceeded


class Catalog(Protocol):
    """Every backend keeps usage (store/usage.py) in the same transaction as the rows it counts,
    and checks `limits` inside the inserting transaction, serialised against other inserts
    (SQLite: its single writer; PostgreSQL: a row lock on the tenant's and the server's usage
    rows, SELECT ... FOR UPDATE), so that the check is authoritative. A write that finds no
    space raises store.space.NoSpace."""

    def insert(self, record: AttachmentRecord, limits: Limits = NO_LIMITS) -> AttachmentRecord:
        """Stores a record; if its idempotency key is taken, returns the first record instead.
        Raises MediagateError (QUOTA_EXCEEDED, STORAGE_FULL) when the record does not fit
        `limits`, and then stores nothing."""

    def get(self, tenant: str, attachment_id: str) -> AttachmentRecord | None: ...

    def find_by_idempotency_key(self, tenant: str, key: str) -> AttachmentRecord | None: ...

    def list_page(
        self, tenant: str, conversation_id: str, before_id: str, limit: int
    ) -> list[AttachmentRecord]:
        """Newest first: ids below before_id ("" = from the newest)."""

    def delete(self, tenant: str, attachment_id: str) -> AttachmentRecord | None: ...

    def references(self, sha256: str) -> int: ...

    def blob_guard(self) -> AbstractContextManager[None]:
        """Held (with AttachmentStore's own lock) around "adopt a blob and insert its row" and
        "delete a row and drop its blob if unreferenced", so that no server sharing the blobs
        deletes bytes another is committing. SQLite: nothing (one process owns its data
        directory, and AttachmentStore's thread lock covers it). PostgreSQL: an advisory lock
        every replica takes."""

    def expired(self, now: float, limit: int) -> list[AttachmentRecord]: ...

    def digests(self) -> set[str]: ...

    def usage(self, tenant: str) -> Usage:
        """The tenant's logical usage and the server's physical usage, as committed."""

    def is_stored(self, sha256: str) -> bool:
        """Whether any attachment, of any tenant, has these bytes."""

    def tenant_usages(self) -> dict[str, Usage]:
        """Every tenant with attachments: its logical usage (stored_bytes: the server's)."""

    def insert_with_renditions(
        self,
        record: AttachmentRecord,
        renditions: Sequence[AttachmentRecord],
        limits: Limits = NO_LIMITS,
        voice_details: dict[str, Any] | None = None,
    ) -> AttachmentRecord:
        """The record, its renditions (attachments of their own) and, for a voice message, its
        voice details, in one transaction. A repeated idempotency key returns the first record
        and inserts nothing. Limits as insert's, for all the rows together."""

    def voice_details(self, tenant: str, attachment_id: str) -> dict[str, Any] | None: ...

    def without_waiting(self) -> AbstractContextManager[None]:
        """A block whose reads never wait for a lock (they fail, and is_busy says so): the
        event loop's point lookups run inline, where a wait would stall every call."""

    def is_busy(self, exc: Exception) -> bool: ...

    def close(self) -> None: ...


_SCHEMA = """
CREATE TABLE IF NOT EXISTS attachments (
    id TEXT PRIMARY KEY,
    tenant TEXT NOT NULL,
    file_name TEXT NOT NULL,
    declared_mime_type TEXT NOT NULL,
    detected_mime_type TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    profile TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    create_time REAL NOT NULL,
    expire_time REAL NOT NULL,
    labels TEXT NOT NULL,
    media TEXT NOT NULL,
    idempotency_key TEXT
);
CREATE INDEX IF NOT EXISTS by_tenant_conversation ON attachments (tenant, conversation_id, id);
CREATE INDEX IF NOT EXISTS by_tenant ON attachments (tenant, id);
CREATE INDEX IF NOT EXISTS by_sha256 ON attachments (sha256);
CREATE INDEX IF NOT EXISTS by_expiry ON attachments (expire_time);
CREATE TABLE IF NOT EXISTS voice_messages (
    attachment_id TEXT PRIMARY KEY REFERENCES attachments (id) ON DELETE CASCADE,
    tenant TEXT NOT NULL,
    details TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS by_idempotency
    ON attachments (tenant, idempotency_key) WHERE idempotency_key IS NOT NULL;
"""

# Version 1: usage, kept by triggers in the transaction of every insert and delete, so that no
# code path can change the rows without the totals. A tenant's usage is logical (every row's
# size); the server's is physical (a digest's size counts while any row references it; the
# by_sha256 index makes that test a lookup). Backfilled from the rows on the way up.
_USAGE_SCHEMA = [
    """CREATE TABLE IF NOT EXISTS tenant_usage (
        tenant TEXT PRIMARY KEY,
        bytes INTEGER NOT NULL,
        attachments INTEGER NOT NULL
    ) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS storage_usage (
        id INTEGER PRIMARY KEY CHECK (id = 0),
        bytes INTEGER NOT NULL
    )""",
    """CREATE TRIGGER IF NOT EXISTS usage_after_insert AFTER INSERT ON attachments BEGIN
        INSERT INTO tenant_usage (tenant, bytes, attachments)
            VALUES (NEW.tenant, NEW.size_bytes, 1)
            ON CONFLICT (tenant) DO UPDATE
            SET bytes = bytes + excluded.bytes, attachments = attachments + 1;
        UPDATE storage_usage SET bytes = bytes + NEW.size_bytes
            WHERE NOT EXISTS (
                SELECT 1 FROM attachments WHERE sha256 = NEW.sha256 AND id != NEW.id
            );
    END""",
    """CREATE TRIGGER IF NOT EXISTS usage_after_delete AFTER DELETE ON attachments BEGIN
        UPDATE tenant_usage
            SET bytes = bytes - OLD.size_bytes, attachments = attachments - 1
            WHERE tenant = OLD.tenant;
        UPDATE storage_usage SET bytes = bytes - OLD.size_bytes
            WHERE NOT EXISTS (SELECT 1 FROM attachments WHERE sha256 = OLD.sha256);
    END""",
    """INSERT INTO tenant_usage (tenant, bytes, attachments)
        SELECT tenant, SUM(size_bytes), COUNT(*) FROM attachments GROUP BY tenant""",
    """INSERT INTO storage_usage (id, bytes)
        SELECT 0, COALESCE(SUM(size_bytes), 0)
        FROM (SELECT MAX(size_bytes) AS size_bytes FROM attachments GROUP BY sha256)""",
]
# Version 2: a record's fields beyond the columns (original_sha256, metadata, renditions), as
# JSON (store/records.py details_json); rows written before it read as "{}".
_DETAILS_SCHEMA = ["ALTER TABLE attachments ADD COLUMN details TEXT NOT NULL DEFAULT '{}'"]
_SCHEMA_VERSION = 2

_COLUMNS = (
    "id, tenant, file_name, declared_mime_type, detected_mime_type, size_bytes, sha256, "
    "profile, conversation_id, create_time, expire_time, labels, media, idempotency_key, "
    "details"
)


class SqliteCatalog:
    """One write connection guarded by a lock (SQLite serialises writers anyway), and a
    read-only connection per reading thread.

    Why separate readers: a write commits with synchronous=FULL, so it holds its connection
    through an fsync (milliseconds on a busy disk). In WAL mode readers never wait for a
    writer, but only on connections of their own: a GetAttachment sharing the writer's
    connection and lock would wait out another upload's fsync.
    """

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._path = path
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        self._db.execute("PRAGMA journal_mode=WAL")
        # FULL: an acknowledged upload survives power loss, not only a killed process.
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(_SCHEMA)
        self._migrate()
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()

    def _migrate(self) -> None:
        with self._writing() as db:
            (version,) = db.execute("PRAGMA user_version").fetchone()
            if version < 1:
                for statement in _USAGE_SCHEMA:
                    db.execute(statement)
            columns = {row[1] for row in db.execute("PRAGMA table_info(attachments)")}
            if version < 2 and "details" not in columns:
                for statement in _DETAILS_SCHEMA:
                    db.execute(statement)
            if version < _SCHEMA_VERSION:
                db.execute(f"PRAGMA user_version = {_SCHEMA_VERSION}")

    @contextmanager
    def _locked(self) -> Iterator[sqlite3.Connection]:
        with self._lock, _no_space("the catalog"):
            yield self._db

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, holding SQLite's write lock from its start (IMMEDIATE): what
        is read in it stays true until it commits. Rolled back on any failure."""
        with self._locked() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
                db.execute("COMMIT")
            except BaseException:
                # After SQLITE_FULL SQLite may have rolled back already; then this fails.
                if db.in_transaction:
                    with suppress(sqlite3.Error):
                        db.execute("ROLLBACK")
                raise

    def _reader(self) -> sqlite3.Connection:
        """This thread's read-only connection, opened on first use: one that may wait up to 5 s
        for a lock (a WAL reader almost never has to), or, inside without_waiting(), one that
        never waits and fails with "database is locked" instead."""
        patient = not getattr(self._local, "impatient", False)
        name = "db" if patient else "quick_db"
        db: sqlite3.Connection | None = getattr(self._local, name, None)
        if db is None:
            db = sqlite3.connect(self._path, check_same_thread=False, isolation_level=None)
            db.execute("PRAGMA query_only=ON")
            db.execute(f"PRAGMA busy_timeout={5000 if patient else 0}")
            setattr(self._local, name, db)
            with self._readers_lock:
                self._readers.append(db)
        return db

    @contextmanager
    def without_waiting(self) -> Iterator[None]:
        """Reads in this block never wait for a lock: for the event loop's point lookups."""
        self._local.impatient = True
        try:
            yield
        finally:
            self._local.impatient = False

    @staticmethod
    def is_busy(exc: Exception) -> bool:
        return isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc)

    def insert(self, record: AttachmentRecord, limits: Limits = NO_LIMITS) -> AttachmentRecord:
        with self._writing() as db:
            first = self._first_with_key(db, record)
            if first is not None:
                return first
            self._check(db, limits, [record])
            self._insert(db, record)
        return record

    def insert_with_renditions(
        self,
        record: AttachmentRecord,
        renditions: Sequence[AttachmentRecord],
        limits: Limits = NO_LIMITS,
        voice_details: dict[str, Any] | None = None,
    ) -> AttachmentRecord:
        with self._writing() as db:
            first = self._first_with_key(db, record)
            if first is not None:
                return first
            self._check(db, limits, [record, *renditions])
            for row in (record, *renditions):
                self._insert(db, row)
            if voice_details is not None:
                db.execute(
                    "INSERT INTO voice_messages (attachment_id, tenant, details) VALUES (?, ?, ?)",
                    (record.id, record.tenant, json.dumps(voice_details)),
                )
        return record

    def usage(self, tenant: str) -> Usage:
        return _usage(self._reader(), tenant)

    def usage_by_tenant(self) -> tuple[dict[str, Usage], int]:
        """Every tenant's logical usage, and the server's physical bytes (for metrics)."""
        db = self._reader()
        tenants = {
            str(tenant): Usage(int(size), int(count))
            for tenant, size, count in db.execute(
                "SELECT tenant, bytes, attachments FROM tenant_usage WHERE attachments > 0"
            )
        }
        (stored,) = db.execute("SELECT COALESCE(SUM(bytes), 0) FROM storage_usage").fetchone()
        return tenants, int(stored)

    def tenant_usages(self) -> dict[str, Usage]:
        db = self._reader()
        (stored,) = db.execute("SELECT bytes FROM storage_usage WHERE id = 0").fetchone() or (0,)
        rows = db.execute(
            "SELECT tenant, bytes, attachments FROM tenant_usage WHERE attachments > 0 "
            "ORDER BY tenant"
        )
        return {str(t): Usage(int(b), int(n), int(stored or 0)) for t, b, n in rows}

    def is_stored(self, sha256: str) -> bool:
        row = self._reader().execute("SELECT 1 FROM attachments WHERE sha256 = ?", (sha256,))
        return row.fetchone() is not None

    def _check(self, db: sqlite3.Connection, limits: Limits, rows: list[AttachmentRecord]) -> None:
        """Inside the inserting transaction: raises when the rows do not fit the limits."""
        if not limits.any:
            return
        new_blobs = {
            r.sha256: r.size_bytes
            for r in rows
            if db.execute("SELECT 1 FROM attachments WHERE sha256 = ?", (r.sha256,)).fetchone()
            is None
        }
        adding = Usage(
            tenant_bytes=sum(r.size_bytes for r in rows),
            tenant_attachments=len(rows),
            stored_bytes=sum(new_blobs.values()),
        )
        error = exceeded(limits, _usage(db, rows[0].tenant), adding)
        if error is not None:
            raise error

    def _first_with_key(
        self, db: sqlite3.Connection, record: AttachmentRecord
    ) -> AttachmentRecord | None:
        if not record.idempotency_key:
            return None
        return self._one(
            db,
            "WHERE tenant = ? AND idempotency_key = ?",
            (record.tenant, record.idempotency_key),
        )

    def voice_details(self, tenant: str, attachment_id: str) -> dict[str, Any] | None:
        row = (
            self._reader()
            .execute(
                "SELECT details FROM voice_messages WHERE tenant = ? AND attachment_id = ?",
                (tenant, attachment_id),
            )
            .fetchone()
        )
        return json.loads(row[0]) if row else None

    def _insert(self, db: sqlite3.Connection, record: AttachmentRecord) -> None:
        """Inserts a row (in a transaction that has checked its idempotency key)."""
        row = (
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
            json.dumps(record.labels, sort_keys=True),
            json.dumps(record.media, sort_keys=True),
            record.idempotency_key or None,
            details_json(record),
        )
        db.execute(f"INSERT INTO attachments ({_COLUMNS}) VALUES ({_marks(15)})", row)

    def get(self, tenant: str, attachment_id: str) -> AttachmentRecord | None:
        return self._one(self._reader(), "WHERE tenant = ? AND id = ?", (tenant, attachment_id))

    def find_by_idempotency_key(self, tenant: str, key: str) -> AttachmentRecord | None:
        return self._one(self._reader(), "WHERE tenant = ? AND idempotency_key = ?", (tenant, key))

    def list_page(
        self, tenant: str, conversation_id: str, before_id: str, limit: int
    ) -> list[AttachmentRecord]:
        filters = {"tenant": tenant, "conversation_id": conversation_id}
        sql, args = newest_first("attachments", _COLUMNS, filters, before_id, limit)
        return [_record(row) for row in self._reader().execute(sql, args)]

    def delete(self, tenant: str, attachment_id: str) -> AttachmentRecord | None:
        with self._writing() as db:
            found = self._one(db, "WHERE tenant = ? AND id = ?", (tenant, attachment_id))
            if found is not None:
                db.execute("DELETE FROM attachments WHERE id = ?", (attachment_id,))
            return found

    def blob_guard(self) -> AbstractContextManager[None]:
        return nullcontext()

    def references(self, sha256: str) -> int:
        with self._locked() as db:
            (count,) = db.execute(
                "SELECT COUNT(*) FROM attachments WHERE sha256 = ?", (sha256,)
            ).fetchone()
            return int(count)

    def expired(self, now: float, limit: int) -> list[AttachmentRecord]:
        with self._locked() as db:
            rows = db.execute(
                f"SELECT {_COLUMNS} FROM attachments WHERE expire_time <= ? "
                "ORDER BY expire_time LIMIT ?",
                (now, limit),
            )
            return [_record(row) for row in rows]

    def digests(self) -> set[str]:
        with self._locked() as db:
            return {row[0] for row in db.execute("SELECT DISTINCT sha256 FROM attachments")}

    def close(self) -> None:
        with self._readers_lock:
            for reader in self._readers:
                reader.close()
            self._readers.clear()
        with self._locked() as db:
            db.close()

    @staticmethod
    def _one(
        db: sqlite3.Connection, where: str, args: tuple[object, ...]
    ) -> AttachmentRecord | None:
        row = db.execute(f"SELECT {_COLUMNS} FROM attachments {where}", args).fetchone()
        return _record(row) if row else None


def _marks(n: int) -> str:
    return ", ".join("?" * n)


def _usage(db: sqlite3.Connection, tenant: str) -> Usage:
    row = db.execute(
        "SELECT (SELECT bytes FROM tenant_usage WHERE tenant = ?), "
        "(SELECT attachments FROM tenant_usage WHERE tenant = ?), "
        "(SELECT bytes FROM storage_usage WHERE id = 0)",
        (tenant, tenant),
    ).fetchone()
    return Usage(*(int(value or 0) for value in row))


@contextmanager
def _no_space(what: str) -> Iterator[None]:
    """SQLite's "database or disk is full" as the store's NoSpace."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        if exc.sqlite_errorcode & 0xFF == sqlite3.SQLITE_FULL:
            raise NoSpace(what) from exc
        raise


def _record(row: tuple[object, ...]) -> AttachmentRecord:
    return record_from_row(row, str)
