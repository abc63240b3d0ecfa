"""Deliveries on PostgreSQL, for replicas that share one database: the rows, answers and
idempotency of SqliteDeliveries (store/deliveries.py), with a lease on every unfinished delivery
(store/pg_leases.py) so that each is worked by one replica at a time.

- A new delivery is leased to the replica that inserted it; it renews its leases while it runs
  them (renew); when it dies they expire and another replica claims them (claim_unfinished)
  and resumes each from its last confirmed step (usecases/deliveries.py).
- Fencing: a holder's save is written only while it still holds the lease and the delivery is
  unfinished. A replica that stalled past its lease (or whose delivery was cancelled from
  another replica) finds its save refused and stops, instead of writing over the new holder.
- Saves from replicas that do not run the delivery (a cancel, a media fetch counted) are not
  fenced: they write the state, history and fetch count, never the progress (theirs may be
  stale), and never change a final delivery's state.
"""

from __future__ import annotations

import json
from typing import Any

from mediagate.store.deliveries import (
    COLUMNS,
    FINAL,
    DeliveryRecord,
    DeliveryState,
    from_row,
    to_row,
)
from mediagate.store.pages import newest_first
from mediagate.store.pg_leases import DB_NOW, Lease, LedgerPool, pg_query

_SELECT = f"SELECT {COLUMNS} FROM deliveries "
_MARKS = ", ".join(["%s"] * len(COLUMNS.split(",")))
_UNFINISHED = "state NOT IN ({})".format(", ".join(f"'{state}'" for state in FINAL))
# How many expired deliveries one claim takes: replicas claiming at once share a backlog.
CLAIM_BATCH = 100


class PgDeliveries:
    shared = True

    def __init__(self, pool: LedgerPool, lease: Lease) -> None:
        self._pool = pool
        self._lease = lease
        self.renew_seconds = lease.renew_seconds

    def insert(self, record: DeliveryRecord) -> tuple[DeliveryRecord, bool]:
        """Stores a new delivery, leased to this replica; if its idempotency key is taken
        (here or on another replica), returns the first delivery instead."""
        with self._pool.connection() as conn:
            inserted = conn.execute(
                f"INSERT INTO deliveries ({COLUMNS}, lease_owner, lease_until) "
                f"VALUES ({_MARKS}, %s, {DB_NOW} + %s) "
                "ON CONFLICT (tenant, idempotency_key) DO NOTHING RETURNING id",
                (*to_row(record), self._lease.owner, self._lease.seconds),
            ).fetchone()
            if inserted is not None:
                return record, True
            # A conflicting insert waited for the first one's commit: it is visible now.
            row = conn.execute(
                _SELECT + "WHERE tenant = %s AND idempotency_key = %s",
                (record.tenant, record.idempotency_key),
            ).fetchone()
        assert row is not None, "a delivery key's conflict names a committed row"
        return from_row(row), False

    def save(self, record: DeliveryRecord, fenced: bool = True) -> bool:
        """Writes the delivery's mutable fields; False when it was not written. Fenced (the
        replica running it): only while this replica holds its lease and it is unfinished; the
        lease is extended by the same statement, and let go once the delivery is final. Not
        fenced: state, history and fetch count, unless the delivery is final in another
        state."""
        if fenced:
            lease = (
                "lease_owner = NULL, lease_until = NULL"
                if record.state.final
                else f"lease_until = {DB_NOW} + %(seconds)s"
            )
            sql = (
                "UPDATE deliveries SET state = %(state)s, update_time = %(time)s, "
                "history = %(history)s, failure = %(failure)s, progress = %(progress)s, "
                f"fetch_count = %(fetches)s, conversation_id = %(conversation)s, {lease} "
                f"WHERE id = %(id)s AND {_UNFINISHED} AND lease_owner = %(owner)s"
            )
        else:
            # Never the progress: this replica read it earlier and may hold it stale, while
            # the holder's writes since are what a takeover must resume from.
            sql = (
                "UPDATE deliveries SET state = %(state)s, update_time = %(time)s, "
                "history = %(history)s, fetch_count = %(fetches)s"
                + (", lease_owner = NULL, lease_until = NULL" if record.state.final else "")
                + f" WHERE id = %(id)s AND ({_UNFINISHED} OR state = %(state)s)"
            )
        with self._pool.connection() as conn:
            cursor = conn.execute(
                sql, _changes(record) | {"owner": self._lease.owner, "seconds": self._lease.seconds}
            )
            return cursor.rowcount == 1

    def get(self, tenant: str, delivery_id: str) -> DeliveryRecord | None:
        return self._one("WHERE tenant = %s AND id = %s", (tenant, delivery_id))

    def find_by_key(self, tenant: str, key: str) -> DeliveryRecord | None:
        return self._one("WHERE tenant = %s AND idempotency_key = %s", (tenant, key))

    def get_any(self, delivery_id: str) -> DeliveryRecord | None:
        return self._one("WHERE id = %s", (delivery_id,))

    def list_page(
        self, tenant: str, attachment_id: str, conversation_id: str, before_id: str, limit: int
    ) -> list[DeliveryRecord]:
        filters = {
            "tenant": tenant,
            "attachment_id": attachment_id,
            "conversation_id": conversation_id,
        }
        sql, args = newest_first("deliveries", COLUMNS, filters, before_id, limit)
        with self._pool.connection() as conn:
            return [from_row(row) for row in conn.execute(pg_query(sql), args)]

    def counts(self) -> dict[DeliveryState, int]:
        with self._pool.connection() as conn:
            rows = conn.execute("SELECT state, COUNT(*) FROM deliveries GROUP BY state")
            return {DeliveryState(state): int(n) for state, n in rows}

    def unfinished(self) -> list[DeliveryRecord]:
        """Every unfinished delivery, whoever holds it, oldest first."""
        with self._pool.connection() as conn:
            rows = conn.execute(_SELECT + f"WHERE {_UNFINISHED} ORDER BY id").fetchall()
        return [from_row(row) for row in rows]

    def claim_unfinished(self, limit: int = CLAIM_BATCH) -> list[DeliveryRecord]:
        """Unfinished deliveries nobody holds (their replica died, or stopped and let them
        go), leased to this replica now, oldest first. Rows another replica is claiming at
        this moment are skipped (SKIP LOCKED): each is claimed by one replica."""
        with self._pool.connection() as conn:
            rows = conn.execute(
                "WITH chosen AS ("
                f" SELECT id FROM deliveries WHERE {_UNFINISHED}"
                f" AND (lease_owner IS NULL OR lease_until < {DB_NOW})"
                " ORDER BY id LIMIT %(limit)s FOR UPDATE SKIP LOCKED) "
                f"UPDATE deliveries SET lease_owner = %(owner)s, "
                f"lease_until = {DB_NOW} + %(seconds)s "
                "FROM chosen WHERE deliveries.id = chosen.id "
                "RETURNING " + ", ".join(f"deliveries.{c.strip()}" for c in COLUMNS.split(",")),
                {"limit": limit, "owner": self._lease.owner, "seconds": self._lease.seconds},
            ).fetchall()
        return sorted((from_row(row) for row in rows), key=lambda r: r.id)

    def renew(self) -> set[str]:
        """Extends this replica's leases on its unfinished deliveries; returns their ids (a
        delivery it runs that is not among them is no longer its own)."""
        with self._pool.connection() as conn:
            rows = conn.execute(
                f"UPDATE deliveries SET lease_until = {DB_NOW} + %s "
                f"WHERE lease_owner = %s AND {_UNFINISHED} RETURNING id",
                (self._lease.seconds, self._lease.owner),
            ).fetchall()
        return {str(row[0]) for row in rows}

    def release(self) -> None:
        """At a graceful stop: lets go of this replica's deliveries, so another replica claims
        them at its next look instead of a lease later."""
        with self._pool.connection() as conn:
            conn.execute(
                "UPDATE deliveries SET lease_owner = NULL, lease_until = NULL "
                "WHERE lease_owner = %s",
                (self._lease.owner,),
            )

    def close(self) -> None:
        """The pool is the inbox's too: app.py closes it."""

    def _one(self, where: str, args: tuple[object, ...]) -> DeliveryRecord | None:
        with self._pool.connection() as conn:
            row = conn.execute(_SELECT + where, args).fetchone()
        return from_row(row) if row else None


def _changes(record: DeliveryRecord) -> dict[str, Any]:
    row = to_row(record)
    return {
        "id": record.id,
        "state": record.state.value,
        "time": record.update_time,
        "history": row[10],
        "failure": row[12],
        "progress": json.dumps(record.progress, sort_keys=True),
        "fetches": record.fetch_count,
        "conversation": record.conversation_id,
    }
