"""The inbox on PostgreSQL, for replicas that share one database: the rows, uniqueness and
answers of SqliteInbox (store/inbox.py), with a lease on every item being imported
(store/pg_leases.py).

- claim() leases the item it moves to IMPORTING to this replica (FOR UPDATE SKIP LOCKED: two
  replicas' workers never get the same item); the replica renews its leases while it imports.
- requeue_interrupted() (at start, and every renewal on every replica) puts items whose lease
  expired back in the queue: their replica died mid-import. The import's idempotency key makes
  the next attempt return the attachment the dead one may have stored. ImportFromUrl items
  whose replica died end FAILED, as after a restart: their caller is gone.
- A save by a replica that no longer holds the item (it stalled past its lease and another
  replica took it) is dropped; imports and attribute writes are idempotent, so the worst a
  stalled replica does is the same work twice.
"""

from __future__ import annotations

from mediagate.store.inbox import (
    COLUMNS,
    N_COLUMNS,
    ImportRecord,
    ImportSource,
    ImportState,
    from_row,
    to_row,
)
from mediagate.store.pages import newest_first
from mediagate.store.pg_leases import DB_NOW, Lease, LedgerPool, pg_query

_SELECT = f"SELECT {COLUMNS} FROM imports "
_MARKS = ", ".join(["%s"] * N_COLUMNS)
_SET_ALL = ", ".join(f"{c.strip()} = %s" for c in COLUMNS.split(",")[1:])
_EXPIRED = f"(lease_owner IS NULL OR lease_until < {DB_NOW})"
_IMPORTING = ImportState.IMPORTING.value
_QUEUED = ImportState.QUEUED.value
_API = ImportSource.API.value


class PgInbox:
    shared = True

    def __init__(self, pool: LedgerPool, lease: Lease) -> None:
        self._pool = pool
        self._lease = lease
        self.renew_seconds = lease.renew_seconds

    def add(self, records: list[ImportRecord]) -> list[ImportRecord]:
        """Stores the items in one transaction; returns those that were new. An item added
        IMPORTING (an ImportFromUrl call in progress here) is leased to this replica."""
        added = []
        with self._pool.connection() as conn, conn.transaction():
            for record in records:
                importing = record.state is ImportState.IMPORTING
                row = conn.execute(
                    f"INSERT INTO imports ({COLUMNS}, lease_owner, lease_until) "
                    f"VALUES ({_MARKS}, %s, {DB_NOW} + %s) ON CONFLICT DO NOTHING RETURNING id",
                    (
                        *to_row(record),
                        self._lease.owner if importing else None,
                        self._lease.seconds if importing else None,
                    ),
                ).fetchone()
                if row is not None:
                    added.append(record)
        return added

    def save(self, record: ImportRecord) -> None:
        """Writes the item, unless another replica holds it now. Still IMPORTING: the lease is
        extended; otherwise let go (QUEUED for a retry, or final)."""
        lease_args: tuple[object, ...] = ()
        lease = "lease_owner = NULL, lease_until = NULL"
        if record.state is ImportState.IMPORTING:
            lease = f"lease_owner = %s, lease_until = {DB_NOW} + %s"
            lease_args = (self._lease.owner, self._lease.seconds)
        with self._pool.connection() as conn:
            conn.execute(
                f"UPDATE imports SET {_SET_ALL}, {lease} "
                "WHERE id = %s AND (lease_owner IS NULL OR lease_owner = %s)",
                (*to_row(record)[1:], *lease_args, record.id, self._lease.owner),
            )

    def claim(self, now: float) -> ImportRecord | None:
        """The oldest QUEUED item that is due, moved to IMPORTING with one more attempt and
        leased to this replica; items another replica is claiming at once are skipped."""
        with self._pool.connection() as conn:
            row = conn.execute(
                "WITH chosen AS ("
                " SELECT id FROM imports WHERE state = %(queued)s AND due_time <= %(now)s"
                " ORDER BY due_time, id LIMIT 1 FOR UPDATE SKIP LOCKED) "
                "UPDATE imports SET state = %(importing)s, attempts = attempts + 1, "
                "update_time = %(now)s, lease_owner = %(owner)s, "
                f"lease_until = {DB_NOW} + %(seconds)s "
                "FROM chosen WHERE imports.id = chosen.id RETURNING "
                + ", ".join(f"imports.{c.strip()}" for c in COLUMNS.split(",")),
                {
                    "queued": _QUEUED,
                    "importing": _IMPORTING,
                    "now": now,
                    "owner": self._lease.owner,
                    "seconds": self._lease.seconds,
                },
            ).fetchone()
        return from_row(row) if row else None

    def next_due(self) -> float | None:
        with self._pool.connection() as conn:
            row = conn.execute(
                "SELECT MIN(due_time) FROM imports WHERE state = %s", (_QUEUED,)
            ).fetchone()
        return None if row is None or row[0] is None else float(row[0])

    def requeue_interrupted(self, now: float) -> int:
        """Items whose replica died mid-import (their lease expired) go back to QUEUED (their
        attempt counted); ImportFromUrl calls, whose callers are gone, end FAILED. Items other
        replicas are importing now keep their leases."""
        with self._pool.connection() as conn, conn.transaction():
            conn.execute(
                "UPDATE imports SET state = %s, reason = 'INTERRUPTED', "
                "message = 'The server stopped during the import; its caller got no answer.', "
                "fetch_url = '', update_time = %s, lease_owner = NULL, lease_until = NULL "
                f"WHERE state IN (%s, %s) AND source = %s AND {_EXPIRED}",
                (ImportState.FAILED.value, now, _QUEUED, _IMPORTING, _API),
            )
            cursor = conn.execute(
                "UPDATE imports SET state = %s, due_time = %s, update_time = %s, "
                f"lease_owner = NULL, lease_until = NULL WHERE state = %s AND {_EXPIRED}",
                (_QUEUED, now, now, _IMPORTING),
            )
            return cursor.rowcount

    def renew(self) -> int:
        """Extends this replica's leases on the items it is importing; returns how many."""
        with self._pool.connection() as conn:
            cursor = conn.execute(
                f"UPDATE imports SET lease_until = {DB_NOW} + %s "
                "WHERE lease_owner = %s AND state = %s",
                (self._lease.seconds, self._lease.owner, _IMPORTING),
            )
            return cursor.rowcount

    def release(self) -> None:
        """At a graceful stop, after the workers stopped: the announced items they were
        importing go back to the queue at once (ImportFromUrl items were ended by their
        calls)."""
        with self._pool.connection() as conn:
            conn.execute(
                "UPDATE imports SET state = %s, due_time = update_time, lease_owner = NULL, "
                "lease_until = NULL WHERE lease_owner = %s AND state = %s AND source <> %s",
                (_QUEUED, self._lease.owner, _IMPORTING, _API),
            )

    def unwritten(self) -> list[ImportRecord]:
        with self._pool.connection() as conn:
            rows = conn.execute(
                _SELECT + "WHERE attributes_written = 0 AND source = %s "
                "AND state IN (%s, %s, %s) ORDER BY id",
                (
                    ImportSource.CONVERSATION_EVENT.value,
                    ImportState.ACCEPTED.value,
                    ImportState.REJECTED.value,
                    ImportState.FAILED.value,
                ),
            ).fetchall()
        return [from_row(row) for row in rows]

    def of_participant(
        self, tenant: str, conversation_id: str, participant_id: str
    ) -> list[ImportRecord]:
        with self._pool.connection() as conn:
            rows = conn.execute(
                _SELECT + "WHERE tenant = %s AND conversation_id = %s AND participant_id = %s "
                "ORDER BY id",
                (tenant, conversation_id, participant_id),
            ).fetchall()
        return [from_row(row) for row in rows]

    def recent_conversations(self, tenant: str, since: float, limit: int) -> list[str]:
        with self._pool.connection() as conn:
            rows = conn.execute(
                "SELECT conversation_id, MAX(create_time) AS latest FROM imports "
                "WHERE tenant = %s AND source = %s AND create_time >= %s "
                "AND conversation_id <> '' "
                "GROUP BY conversation_id ORDER BY latest DESC LIMIT %s",
                (tenant, ImportSource.CONVERSATION_EVENT.value, since, limit),
            ).fetchall()
        return [str(row[0]) for row in rows]

    def get(self, tenant: str, import_id: str) -> ImportRecord | None:
        with self._pool.connection() as conn:
            row = conn.execute(
                _SELECT + "WHERE tenant = %s AND id = %s", (tenant, import_id)
            ).fetchone()
        return from_row(row) if row else None

    def list_page(
        self, tenant: str, conversation_id: str, before_id: str, limit: int
    ) -> list[ImportRecord]:
        filters = {"tenant": tenant, "conversation_id": conversation_id}
        sql, args = newest_first("imports", COLUMNS, filters, before_id, limit)
        with self._pool.connection() as conn:
            return [from_row(row) for row in conn.execute(pg_query(sql), args)]

    def counts(self) -> dict[ImportState, int]:
        with self._pool.connection() as conn:
            rows = conn.execute("SELECT state, COUNT(*) FROM imports GROUP BY state")
            return {ImportState(state): int(n) for state, n in rows}

    def close(self) -> None:
        """The pool is the deliveries' too: app.py closes it."""
