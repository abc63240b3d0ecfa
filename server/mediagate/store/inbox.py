"""The inbox: every file taken in from a URL, kept durably from the moment it is announced until
its outcome is recorded (and, for announced media, written back to the conversation).

Announced media (a conversation event, an Open Messaging webhook) is added QUEUED and
acknowledged at once; workers claim items one at a time (QUEUED -> IMPORTING), so a burst of
announcements waits here, on disk, not in memory. An item is unique per (tenant,
platform_media_id): a duplicate event, a webhook redelivery, or the same item announced again
after a reconnect or restart adds nothing. An item IMPORTING when the server stopped goes back
to QUEUED at the next start (requeue_interrupted); the import's idempotency key makes the
second attempt return the attachment the first one may have stored.

ImportFromUrl calls are recorded here too (source API, no platform media id), so ListImports
shows everything that arrived from a URL.

The URL a worker fetches (it may carry a signature in its query) is kept only while the item
is unfinished and cleared when it ends; what is listed is the URL without its query.

The embedded default is a SQLite file of its own beside the catalog (inbox.sqlite3), written
with synchronous=FULL: an acknowledged announcement survives power loss.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from mediagate.store.ledger import SqliteLedger, marks
from mediagate.store.pages import newest_first

NAME_PREFIX = "imports/"


class ImportSource(enum.StrEnum):
    """As imports.proto's ImportSource (names without the prefix)."""

    API = "API"
    CONVERSATION_EVENT = "CONVERSATION_EVENT"
    OPEN_MESSAGING_WEBHOOK = "OPEN_MESSAGING_WEBHOOK"


class ImportState(enum.StrEnum):
    """As imports.proto's ImportState (names without the prefix)."""

    QUEUED = "QUEUED"
    IMPORTING = "IMPORTING"
    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"
    FAILED = "FAILED"

    @property
    def final(self) -> bool:
        return self in (ImportState.ACCEPTED, ImportState.REJECTED, ImportState.FAILED)


@dataclass(frozen=True)
class ImportRecord:
    id: str
    tenant: str
    source: ImportSource
    state: ImportState
    # Shown: without query, fragment or userinfo.
    url: str
    conversation_id: str = ""
    participant_id: str = ""
    message_id: str = ""
    platform_media_id: str = ""
    file_name: str = ""
    declared_mime_type: str = ""
    declared_size_bytes: int = 0
    # Expected (an Open Messaging attachment's sha256): CHECKSUM_MISMATCH when the bytes differ.
    sha256: str = ""
    attachment_id: str = ""
    reason: str = ""
    message: str = ""
    attempts: int = 0
    attributes_written: bool = False
    create_time: float = 0.0
    update_time: float = 0.0
    # When a QUEUED item may next be claimed (a retry waits its backoff).
    due_time: float = 0.0
    # What a worker fetches; "" once the item is final.
    fetch_url: str = ""

    @property
    def name(self) -> str:
        return NAME_PREFIX + self.id

    def ended(
        self,
        state: ImportState,
        now: float,
        *,
        attachment_id: str = "",
        reason: str = "",
        message: str = "",
    ) -> ImportRecord:
        """This item in a final state; its fetch URL forgotten."""
        return replace(
            self,
            state=state,
            update_time=now,
            attachment_id=attachment_id,
            reason=reason,
            message=message,
            fetch_url="",
        )


COLUMNS = (
    "id, tenant, source, state, url, conversation_id, participant_id, message_id, "
    "platform_media_id, file_name, declared_mime_type, declared_size_bytes, sha256, attachment_id, "
    "reason, message, attempts, attributes_written, create_time, update_time, due_time, fetch_url"
)
N_COLUMNS = len(COLUMNS.split(","))

_SCHEMA = """
CREATE TABLE IF NOT EXISTS imports (
    id TEXT PRIMARY KEY,
    tenant TEXT NOT NULL,
    source TEXT NOT NULL,
    state TEXT NOT NULL,
    url TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    platform_media_id TEXT NOT NULL,
    file_name TEXT NOT NULL,
    declared_mime_type TEXT NOT NULL,
    declared_size_bytes INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    attachment_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    message TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    attributes_written INTEGER NOT NULL,
    create_time REAL NOT NULL,
    update_time REAL NOT NULL,
    due_time REAL NOT NULL,
    fetch_url TEXT NOT NULL
);
-- One item per announced media id (duplicates, redeliveries, reconnects, restarts).
CREATE UNIQUE INDEX IF NOT EXISTS import_by_media ON imports (tenant, platform_media_id)
    WHERE platform_media_id != '';
CREATE INDEX IF NOT EXISTS import_by_conversation ON imports (tenant, conversation_id, id);
CREATE INDEX IF NOT EXISTS import_queue ON imports (state, due_time, id);
"""


class InboxLedger(Protocol):
    """Where the inbox is kept: SqliteInbox (one process works every item) or
    store/pg_inbox.py's PgInbox (replicas share it; an item being imported is leased to the
    replica importing it, and taken back when that replica dies)."""

    # True when other replicas share the inbox: leases are renewed every renew_seconds and
    # expired ones queued again, and workers look for work that other replicas queued.
    shared: bool
    renew_seconds: float

    def add(self, records: list[ImportRecord]) -> list[ImportRecord]: ...
    def save(self, record: ImportRecord) -> None: ...
    def claim(self, now: float) -> ImportRecord | None: ...
    def next_due(self) -> float | None: ...
    def requeue_interrupted(self, now: float) -> int: ...
    def renew(self) -> int: ...
    def release(self) -> None: ...
    def unwritten(self) -> list[ImportRecord]: ...
    def of_participant(
        self, tenant: str, conversation_id: str, participant_id: str
    ) -> list[ImportRecord]: ...
    def recent_conversations(self, tenant: str, since: float, limit: int) -> list[str]: ...
    def get(self, tenant: str, import_id: str) -> ImportRecord | None: ...
    def list_page(
        self, tenant: str, conversation_id: str, before_id: str, limit: int
    ) -> list[ImportRecord]: ...
    def counts(self) -> dict[ImportState, int]: ...
    def close(self) -> None: ...


class SqliteInbox(SqliteLedger):
    """The embedded inbox (store/ledger.py: one SQLite file, synchronous=FULL). One process
    works every item: its leases are trivially its own."""

    shared = False
    renew_seconds = 0.0

    def __init__(self, path: Path) -> None:
        super().__init__(path, _SCHEMA)

    def add(self, records: list[ImportRecord]) -> list[ImportRecord]:
        """Stores the items in one transaction; returns those that were new (an item whose
        platform media id the tenant already has is left out)."""
        added = []
        with self._writing() as db:
            for record in records:
                cursor = db.execute(
                    f"INSERT OR IGNORE INTO imports ({COLUMNS}) VALUES ({marks(N_COLUMNS)})",
                    to_row(record),
                )
                if cursor.rowcount:
                    added.append(record)
        return added

    def save(self, record: ImportRecord) -> None:
        with self._writing() as db:
            db.execute(
                f"REPLACE INTO imports ({COLUMNS}) VALUES ({marks(N_COLUMNS)})", to_row(record)
            )

    def claim(self, now: float) -> ImportRecord | None:
        """The oldest QUEUED item that is due, moved to IMPORTING with one more attempt."""
        with self._writing() as db:
            row = db.execute(
                f"SELECT {COLUMNS} FROM imports WHERE state = ? AND due_time <= ? "
                "ORDER BY due_time, id LIMIT 1",
                (ImportState.QUEUED.value, now),
            ).fetchone()
            if row is None:
                return None
            record = from_row(row)
            claimed = replace(
                record, state=ImportState.IMPORTING, attempts=record.attempts + 1, update_time=now
            )
            db.execute(
                "UPDATE imports SET state = ?, attempts = ?, update_time = ? WHERE id = ?",
                (claimed.state.value, claimed.attempts, now, claimed.id),
            )
        return claimed

    def next_due(self) -> float | None:
        """When the soonest QUEUED item becomes due (None: nothing is queued)."""
        with self._lock:
            row = self._db.execute(
                "SELECT MIN(due_time) FROM imports WHERE state = ?", (ImportState.QUEUED.value,)
            ).fetchone()
        return None if row is None or row[0] is None else float(row[0])

    def requeue_interrupted(self, now: float) -> int:
        """At start: items IMPORTING when the last process stopped go back to QUEUED (their
        attempt counted); ImportFromUrl calls, whose callers are gone, end FAILED."""
        with self._writing() as db:
            db.execute(
                "UPDATE imports SET state = ?, reason = 'INTERRUPTED', "
                "message = 'The server stopped during the import; its caller got no answer.', "
                "fetch_url = '', update_time = ? WHERE state IN (?, ?) AND source = ?",
                (
                    ImportState.FAILED.value,
                    now,
                    ImportState.QUEUED.value,
                    ImportState.IMPORTING.value,
                    ImportSource.API.value,
                ),
            )
            cursor = db.execute(
                "UPDATE imports SET state = ?, due_time = ?, update_time = ? WHERE state = ?",
                (ImportState.QUEUED.value, now, now, ImportState.IMPORTING.value),
            )
            return cursor.rowcount

    def renew(self) -> int:
        return 0  # never called: the inbox is not shared

    def release(self) -> None:
        pass  # items left IMPORTING are queued again by this process's next start

    def unwritten(self) -> list[ImportRecord]:
        """Final items from conversation events whose outcome is not yet on the conversation
        (webhook items name no conversation), oldest first."""
        with self._lock:
            rows = self._db.execute(
                f"SELECT {COLUMNS} FROM imports WHERE attributes_written = 0 AND source = ? "
                f"AND state IN (?, ?, ?) ORDER BY id",
                (
                    ImportSource.CONVERSATION_EVENT.value,
                    ImportState.ACCEPTED.value,
                    ImportState.REJECTED.value,
                    ImportState.FAILED.value,
                ),
            )
            return [from_row(row) for row in rows]

    def of_participant(
        self, tenant: str, conversation_id: str, participant_id: str
    ) -> list[ImportRecord]:
        """A guest's items in one conversation, oldest first (what the attributes summarise)."""
        with self._lock:
            rows = self._db.execute(
                f"SELECT {COLUMNS} FROM imports WHERE tenant = ? AND conversation_id = ? "
                "AND participant_id = ? ORDER BY id",
                (tenant, conversation_id, participant_id),
            )
            return [from_row(row) for row in rows]

    def recent_conversations(self, tenant: str, since: float, limit: int) -> list[str]:
        """Conversations media was announced in since `since`, most recent first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT conversation_id, MAX(create_time) AS latest FROM imports "
                "WHERE tenant = ? AND source = ? AND create_time >= ? AND conversation_id != '' "
                "GROUP BY conversation_id ORDER BY latest DESC LIMIT ?",
                (tenant, ImportSource.CONVERSATION_EVENT.value, since, limit),
            )
            return [str(row[0]) for row in rows]

    def get(self, tenant: str, import_id: str) -> ImportRecord | None:
        with self._lock:
            row = self._db.execute(
                f"SELECT {COLUMNS} FROM imports WHERE tenant = ? AND id = ?", (tenant, import_id)
            ).fetchone()
        return from_row(row) if row else None

    def list_page(
        self, tenant: str, conversation_id: str, before_id: str, limit: int
    ) -> list[ImportRecord]:
        filters = {"tenant": tenant, "conversation_id": conversation_id}
        sql, args = newest_first("imports", COLUMNS, filters, before_id, limit)
        with self._lock:
            return [from_row(row) for row in self._db.execute(sql, args)]

    def counts(self) -> dict[ImportState, int]:
        with self._lock:
            rows = self._db.execute("SELECT state, COUNT(*) FROM imports GROUP BY state")
            return {ImportState(state): int(n) for state, n in rows}


def to_row(r: ImportRecord) -> tuple[object, ...]:
    return (
        r.id,
        r.tenant,
        r.source.value,
        r.state.value,
        r.url,
        r.conversation_id,
        r.participant_id,
        r.message_id,
        r.platform_media_id,
        r.file_name,
        r.declared_mime_type,
        r.declared_size_bytes,
        r.sha256,
        r.attachment_id,
        r.reason,
        r.message,
        r.attempts,
        int(r.attributes_written),
        r.create_time,
        r.update_time,
        r.due_time,
        r.fetch_url,
    )


def from_row(row: tuple[Any, ...]) -> ImportRecord:
    (
        id_,
        tenant,
        source,
        state,
        url,
        conversation_id,
        participant_id,
        message_id,
        media_id,
        file_name,
        mime,
        size,
        sha256,
        attachment_id,
        reason,
        message,
        attempts,
        written,
        ctime,
        utime,
        due,
        fetch_url,
    ) = row
    return ImportRecord(
        id=str(id_),
        tenant=str(tenant),
        source=ImportSource(source),
        state=ImportState(state),
        url=str(url),
        conversation_id=str(conversation_id),
        participant_id=str(participant_id),
        message_id=str(message_id),
        platform_media_id=str(media_id),
        file_name=str(file_name),
        declared_mime_type=str(mime),
        declared_size_bytes=int(size),
        sha256=str(sha256),
        attachment_id=str(attachment_id),
        reason=str(reason),
        message=str(message),
        attempts=int(attempts),
        attributes_written=bool(written),
        create_time=float(ctime),
        update_time=float(utime),
        due_time=float(due),
        fetch_url=str(fetch_url),
    )
