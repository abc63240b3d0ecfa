"""Catalog: attachment metadata. The embedded default is SQLite in WAL mode."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from mediagate.store.records import AttachmentRecord


class Catalog(Protocol):
    def insert(self, record: AttachmentRecord) -> AttachmentRecord:
        """Stores a record; if its idempotency key is taken, returns the first record instead."""

    def get(self, tenant: str, attachment_id: str) -> AttachmentRecord | None: ...

    def find_by_idempotency_key(self, tenant: str, key: str) -> AttachmentRecord | None: ...

    def list_page(
        self, tenant: str, conversation_id: str, before_id: str, limit: int
    ) -> list[AttachmentRecord]:
        """Newest first: ids below before_id ("" = from the newest)."""

    def delete(self, tenant: str, attachment_id: str) -> AttachmentRecord | None: ...

    def references(self, sha256: str) -> int: ...

    def expired(self, now: float, limit: int) -> list[AttachmentRecord]: ...

    def digests(self) -> set[str]: ...

    def insert_voice_message(
        self,
        recording: AttachmentRecord,
        renditions: list[AttachmentRecord],
        details: dict[str, Any],
    ) -> AttachmentRecord:
        """The recording, its renditions and the voice details in one transaction. A repeated
        idempotency key returns the first recording and inserts nothing."""

    def voice_details(self, tenant: str, attachment_id: str) -> dict[str, Any] | None: ...

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

_COLUMNS = (
    "id, tenant, file_name, declared_mime_type, detected_mime_type, size_bytes, sha256, "
    "profile, conversation_id, create_time, expire_time, labels, media, idempotency_key"
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
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()

    @contextmanager
    def _locked(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            yield self._db

    def _reader(self) -> sqlite3.Connection:
        """This thread's read-only connection, opened on first use."""
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self._path, check_same_thread=False, isolation_level=None)
            db.execute("PRAGMA query_only=ON")
            db.execute("PRAGMA busy_timeout=5000")
            self._local.db = db
            with self._readers_lock:
                self._readers.append(db)
        return db

    def insert(self, record: AttachmentRecord) -> AttachmentRecord:
        with self._locked() as db:
            first = self._insert(db, record)
        return first or record

    def insert_voice_message(
        self,
        recording: AttachmentRecord,
        renditions: list[AttachmentRecord],
        details: dict[str, Any],
    ) -> AttachmentRecord:
        with self._locked() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                first = self._insert(db, recording)
                if first is None:
                    for rendition in renditions:
                        self._insert(db, rendition)
                    db.execute(
                        "INSERT INTO voice_messages (attachment_id, tenant, details) "
                        "VALUES (?, ?, ?)",
                        (recording.id, recording.tenant, json.dumps(details)),
                    )
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        return first or recording

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

    def _insert(self, db: sqlite3.Connection, record: AttachmentRecord) -> AttachmentRecord | None:
        """Inserts a row; on an idempotency-key conflict returns the first row instead."""
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
        )
        try:
            db.execute(f"INSERT INTO attachments ({_COLUMNS}) VALUES ({_marks(14)})", row)
        except sqlite3.IntegrityError:
            if not record.idempotency_key:
                raise
            first = self._one(
                db,
                "WHERE tenant = ? AND idempotency_key = ?",
                (record.tenant, record.idempotency_key),
            )
            if first is None:
                raise
            return first
        return None

    def get(self, tenant: str, attachment_id: str) -> AttachmentRecord | None:
        return self._one(self._reader(), "WHERE tenant = ? AND id = ?", (tenant, attachment_id))

    def find_by_idempotency_key(self, tenant: str, key: str) -> AttachmentRecord | None:
        return self._one(self._reader(), "WHERE tenant = ? AND idempotency_key = ?", (tenant, key))

    def list_page(
        self, tenant: str, conversation_id: str, before_id: str, limit: int
    ) -> list[AttachmentRecord]:
        where = ["tenant = ?"]
        args: list[object] = [tenant]
        if conversation_id:
            where.append("conversation_id = ?")
            args.append(conversation_id)
        if before_id:
            where.append("id < ?")
            args.append(before_id)
        sql = (
            f"SELECT {_COLUMNS} FROM attachments WHERE {' AND '.join(where)} "
            "ORDER BY id DESC LIMIT ?"
        )
        args.append(limit)
        return [_record(row) for row in self._reader().execute(sql, args)]

    def delete(self, tenant: str, attachment_id: str) -> AttachmentRecord | None:
        with self._locked() as db:
            found = self._one(db, "WHERE tenant = ? AND id = ?", (tenant, attachment_id))
            if found is not None:
                db.execute("DELETE FROM attachments WHERE id = ?", (attachment_id,))
            return found

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


def _record(row: tuple[object, ...]) -> AttachmentRecord:
    (
        id_,
        tenant,
        file_name,
        declared,
        detected,
        size,
        sha,
        profile,
        conv,
        ctime,
        etime,
        labels,
        media,
        key,
    ) = row
    return AttachmentRecord(
        id=str(id_),
        tenant=str(tenant),
        file_name=str(file_name),
        declared_mime_type=str(declared),
        detected_mime_type=str(detected),
        size_bytes=int(size),  # type: ignore[call-overload]
        sha256=str(sha),
        profile=str(profile),
        conversation_id=str(conv),
        create_time=float(ctime),  # type: ignore[arg-type]
        expire_time=float(etime),  # type: ignore[arg-type]
        labels=json.loads(str(labels)),
        media=json.loads(str(media)),
        idempotency_key=str(key) if key else "",
    )
