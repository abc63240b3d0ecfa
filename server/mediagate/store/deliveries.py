"""Deliveries: each attachment's way into a Genesys Cloud conversation, kept durably so that one
in flight when the server stops resumes at the next start from its last confirmed step.

A delivery's row holds its state, its history, and its progress: the platform ids learned so
far and the one platform call it is about to make that may not be repeated blindly (an
"intent", written before the call and cleared with its result). The embedded default is a
SQLite file of its own beside the catalog (deliveries.sqlite3): delivery writes never wait on
an upload's commit, and the attachment catalog's schema stays as it is.
"""

from __future__ import annotations

import enum
import json
import sqlite3
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from mediagate.store.ids import time_sorted_id
from mediagate.store.ledger import SqliteLedger, marks
from mediagate.store.pages import newest_first

NAME_PREFIX = "deliveries/"


class DeliveryState(enum.StrEnum):
    """As delivery.proto's DeliveryState (names without the prefix)."""

    PENDING = "PENDING"
    UPLOADING = "UPLOADING"
    SUBMITTED = "SUBMITTED"
    FETCHING = "FETCHING"
    VALIDATED = "VALIDATED"
    DELIVERED = "DELIVERED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"

    @property
    def final(self) -> bool:
        return self in (DeliveryState.DELIVERED, DeliveryState.FAILED, DeliveryState.CANCELLED)


# Each state's place on the way; a delivery only ever moves to a later one.
ORDER = {state: rank for rank, state in enumerate(DeliveryState)}


class DeliveryMethod(enum.StrEnum):
    UPLOAD = "UPLOAD"
    OPEN_MESSAGING = "OPEN_MESSAGING"


class FailureReason(enum.StrEnum):
    """As delivery.proto's DeliveryFailureReason (names without the prefix)."""

    PLATFORM_REJECTED = "PLATFORM_REJECTED"
    MEDIA_INVALID = "MEDIA_INVALID"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    CONVERSATION_NOT_FOUND = "CONVERSATION_NOT_FOUND"
    ATTACHMENT_DELETED = "ATTACHMENT_DELETED"
    RETRIES_EXHAUSTED = "RETRIES_EXHAUSTED"
    TIMED_OUT = "TIMED_OUT"
    AUTHENTICATION_FAILED = "AUTHENTICATION_FAILED"
    INTERRUPTED = "INTERRUPTED"


@dataclass(frozen=True)
class Failure:
    reason: FailureReason
    message: str
    platform_reason: str = ""
    http_status: int = 0
    missing_permission: str = ""


@dataclass(frozen=True)
class Sender:
    """Open Messaging's channel.from: the guest the message is from."""

    id: str
    id_type: str = "Opaque"
    nickname: str = ""


@dataclass(frozen=True)
class DeliveryRecord:
    id: str
    tenant: str
    attachment_id: str
    conversation_id: str
    method: DeliveryMethod
    text: str
    idempotency_key: str
    state: DeliveryState
    create_time: float
    update_time: float
    # [(state, unix time)], oldest first.
    history: tuple[tuple[DeliveryState, float], ...]
    sender: Sender | None = None
    failure: Failure | None = None
    # Platform ids and the step in progress (usecases/deliveries.py says what each key means).
    progress: dict[str, Any] = field(default_factory=dict)
    fetch_count: int = 0

    @property
    def name(self) -> str:
        return NAME_PREFIX + self.id

    def moved_to(self, state: DeliveryState, now: float, **changes: Any) -> DeliveryRecord:
        """This delivery in a later state (or the same one, with other changes)."""
        history = self.history if state == self.state else (*self.history, (state, now))
        return replace(self, state=state, update_time=now, history=history, **changes)

    def with_progress(self, now: float, **values: Any) -> DeliveryRecord:
        """Progress with these keys set (a None value removes the key)."""
        progress = {**self.progress, **values}
        progress = {k: v for k, v in progress.items() if v is not None}
        return replace(self, progress=progress, update_time=now)


def new_delivery_id(now: float) -> str:
    return time_sorted_id(now)


_SCHEMA = """
CREATE TABLE IF NOT EXISTS deliveries (
    id TEXT PRIMARY KEY,
    tenant TEXT NOT NULL,
    attachment_id TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    method TEXT NOT NULL,
    text TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    state TEXT NOT NULL,
    create_time REAL NOT NULL,
    update_time REAL NOT NULL,
    history TEXT NOT NULL,
    sender TEXT,
    failure TEXT,
    progress TEXT NOT NULL,
    fetch_count INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX IF NOT EXISTS delivery_by_key ON deliveries (tenant, idempotency_key);
CREATE INDEX IF NOT EXISTS delivery_by_attachment ON deliveries (tenant, attachment_id, id);
CREATE INDEX IF NOT EXISTS delivery_by_conversation ON deliveries (tenant, conversation_id, id);
CREATE INDEX IF NOT EXISTS delivery_by_state ON deliveries (state);
"""

COLUMNS = (
    "id, tenant, attachment_id, conversation_id, method, text, idempotency_key, state, "
    "create_time, update_time, history, sender, failure, progress, fetch_count"
)
FINAL = tuple(s.value for s in DeliveryState if s.final)


class DeliveryLedger(Protocol):
    """Where deliveries are kept: SqliteDeliveries (one process owns every delivery) or
    store/pg_deliveries.py's PgDeliveries (replicas share them; each delivery is worked by the
    replica holding its lease)."""

    # True when other replicas share the ledger: then leases are renewed every renew_seconds,
    # expired ones claimed, and watchers poll (another replica's changes wake no one here).
    shared: bool
    renew_seconds: float

    def insert(self, record: DeliveryRecord) -> tuple[DeliveryRecord, bool]: ...
    def save(self, record: DeliveryRecord, fenced: bool = True) -> bool: ...
    def get(self, tenant: str, delivery_id: str) -> DeliveryRecord | None: ...
    def find_by_key(self, tenant: str, key: str) -> DeliveryRecord | None: ...
    def get_any(self, delivery_id: str) -> DeliveryRecord | None: ...
    def list_page(
        self, tenant: str, attachment_id: str, conversation_id: str, before_id: str, limit: int
    ) -> list[DeliveryRecord]: ...
    def counts(self) -> dict[DeliveryState, int]: ...
    def unfinished(self) -> list[DeliveryRecord]: ...
    def claim_unfinished(self) -> list[DeliveryRecord]: ...
    def renew(self) -> set[str]: ...
    def release(self) -> None: ...
    def close(self) -> None: ...


class SqliteDeliveries(SqliteLedger):
    """The embedded delivery ledger (store/ledger.py: one SQLite file, synchronous=FULL, so a
    step confirmed here survives power loss and a resumed delivery never repeats it). One
    process owns the file and so every delivery in it: its leases are always its own."""

    shared = False
    renew_seconds = 0.0

    def __init__(self, path: Path) -> None:
        super().__init__(path, _SCHEMA)

    def insert(self, record: DeliveryRecord) -> tuple[DeliveryRecord, bool]:
        """Stores a new delivery; if its idempotency key is taken, returns the first delivery
        instead. The flag says whether this call created it."""
        with self._writing() as db:
            first = _one(
                db,
                "WHERE tenant = ? AND idempotency_key = ?",
                (record.tenant, record.idempotency_key),
            )
            if first is not None:
                return first, False
            db.execute(f"INSERT INTO deliveries ({COLUMNS}) VALUES ({marks(15)})", to_row(record))
        return record, True

    def save(self, record: DeliveryRecord, fenced: bool = True) -> bool:
        """Writes the delivery's mutable fields (state, history, failure, progress, counts).
        Always written (True): no other process works on this file's deliveries."""
        with self._writing() as db:
            db.execute(
                "UPDATE deliveries SET state = ?, update_time = ?, history = ?, failure = ?, "
                "progress = ?, fetch_count = ?, conversation_id = ? WHERE id = ?",
                (
                    record.state.value,
                    record.update_time,
                    _history_json(record),
                    _failure_json(record.failure),
                    json.dumps(record.progress, sort_keys=True),
                    record.fetch_count,
                    record.conversation_id,
                    record.id,
                ),
            )
        return True

    def get(self, tenant: str, delivery_id: str) -> DeliveryRecord | None:
        with self._lock:
            return _one(self._db, "WHERE tenant = ? AND id = ?", (tenant, delivery_id))

    def find_by_key(self, tenant: str, key: str) -> DeliveryRecord | None:
        with self._lock:
            return _one(self._db, "WHERE tenant = ? AND idempotency_key = ?", (tenant, key))

    def get_any(self, delivery_id: str) -> DeliveryRecord | None:
        """By id alone: for the media endpoint, whose signed URL names the delivery."""
        with self._lock:
            return _one(self._db, "WHERE id = ?", (delivery_id,))

    def list_page(
        self, tenant: str, attachment_id: str, conversation_id: str, before_id: str, limit: int
    ) -> list[DeliveryRecord]:
        """Newest first, of one attachment or one conversation; ids below before_id."""
        filters = {
            "tenant": tenant,
            "attachment_id": attachment_id,
            "conversation_id": conversation_id,
        }
        sql, args = newest_first("deliveries", COLUMNS, filters, before_id, limit)
        with self._lock:
            return [from_row(row) for row in self._db.execute(sql, args)]

    def counts(self) -> dict[DeliveryState, int]:
        """Every tenant's deliveries, by state (states with none left out)."""
        with self._lock:
            rows = self._db.execute("SELECT state, COUNT(*) FROM deliveries GROUP BY state")
            return {DeliveryState(state): int(n) for state, n in rows}

    def unfinished(self) -> list[DeliveryRecord]:
        """Every delivery not in a final state, oldest first: what a starting server resumes."""
        with self._lock:
            rows = self._db.execute(
                f"SELECT {COLUMNS} FROM deliveries WHERE state NOT IN ({marks(len(FINAL))}) "
                "ORDER BY id",
                FINAL,
            )
            return [from_row(row) for row in rows]

    def claim_unfinished(self) -> list[DeliveryRecord]:
        """At start, every unfinished delivery is this process's to resume."""
        return self.unfinished()

    def renew(self) -> set[str]:
        return set()  # never called: the ledger is not shared

    def release(self) -> None:
        pass  # nothing to hand over: the next start of this process resumes them


def _history_json(record: DeliveryRecord) -> str:
    return json.dumps([[state.value, at] for state, at in record.history])


def _failure_json(failure: Failure | None) -> str | None:
    if failure is None:
        return None
    return json.dumps(
        {
            "reason": failure.reason.value,
            "message": failure.message,
            "platform_reason": failure.platform_reason,
            "http_status": failure.http_status,
            "missing_permission": failure.missing_permission,
        }
    )


def to_row(record: DeliveryRecord) -> tuple[object, ...]:
    sender = record.sender
    return (
        record.id,
        record.tenant,
        record.attachment_id,
        record.conversation_id,
        record.method.value,
        record.text,
        record.idempotency_key,
        record.state.value,
        record.create_time,
        record.update_time,
        _history_json(record),
        json.dumps([sender.id, sender.id_type, sender.nickname]) if sender else None,
        _failure_json(record.failure),
        json.dumps(record.progress, sort_keys=True),
        record.fetch_count,
    )


def _one(db: sqlite3.Connection, where: str, args: tuple[object, ...]) -> DeliveryRecord | None:
    row = db.execute(f"SELECT {COLUMNS} FROM deliveries {where}", args).fetchone()
    return from_row(row) if row else None


def from_row(row: tuple[Any, ...]) -> DeliveryRecord:
    (
        id_,
        tenant,
        attachment_id,
        conversation_id,
        method,
        text,
        key,
        state,
        ctime,
        utime,
        history,
        sender,
        failure,
        progress,
        fetch_count,
    ) = row
    failure_data = json.loads(failure) if failure else None
    sender_data = json.loads(sender) if sender else None
    return DeliveryRecord(
        id=str(id_),
        tenant=str(tenant),
        attachment_id=str(attachment_id),
        conversation_id=str(conversation_id),
        method=DeliveryMethod(method),
        text=str(text),
        idempotency_key=str(key),
        state=DeliveryState(state),
        create_time=float(ctime),
        update_time=float(utime),
        history=tuple((DeliveryState(s), float(t)) for s, t in json.loads(history)),
        sender=Sender(*sender_data) if sender_data else None,
        failure=(
            Failure(
                reason=FailureReason(failure_data["reason"]),
                message=failure_data["message"],
                platform_reason=failure_data["platform_reason"],
                http_status=int(failure_data["http_status"]),
                missing_permission=failure_data["missing_permission"],
            )
            if failure_data
            else None
        ),
        progress=json.loads(progress),
        fetch_count=int(fetch_count),
    )
