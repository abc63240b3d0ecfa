"""Leases on the PostgreSQL ledgers (store/pg_deliveries.py, store/pg_inbox.py): two
"replicas" (ledgers with ids and leases of their own) on one real database. A delivery or an
item being imported is worked by one replica at a time; when its replica stops renewing (it
died), another takes it over; while it renews, nobody does.

Leases here last a second or less, so these tests wait for real time to pass: that passing is
what they test."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest

from mediagate.store.deliveries import DeliveryState
from mediagate.store.inbox import ImportSource, ImportState
from mediagate.store.pg_deliveries import PgDeliveries
from mediagate.store.pg_inbox import PgInbox
from mediagate.store.pg_leases import Lease, LedgerPool, open_pool
from mediagate.store.pg_migrations import migrate
from tests.support.waiting import eventually
from tests.unit.store.test_deliveries import delivery
from tests.unit.store.test_inbox import _item as item


@pytest.fixture
def pool(postgres_dsn: str) -> Iterator[LedgerPool]:
    migrate(postgres_dsn)
    with open_pool(postgres_dsn, 8, 10.0, "test-leases") as opened:
        yield opened


def test_a_new_delivery_is_its_inserters_and_nobody_else_claims_it(pool: LedgerPool) -> None:
    a, b = PgDeliveries(pool, Lease(30.0)), PgDeliveries(pool, Lease(30.0))
    record, created = a.insert(delivery("k"))
    assert created
    assert b.claim_unfinished() == []
    assert a.renew() == {record.id}
    assert b.renew() == set()
    # B's writes as the holder are refused: A holds it.
    assert not b.save(record.moved_to(DeliveryState.UPLOADING, 2.0))
    assert a.save(record.moved_to(DeliveryState.UPLOADING, 2.0))


def test_replicas_claiming_at_once_split_the_unheld_deliveries(pool: LedgerPool) -> None:
    stopping = PgDeliveries(pool, Lease(30.0))
    ids = {stopping.insert(delivery(f"k{i}", at=float(i)))[0].id for i in range(60)}
    stopping.release()  # a graceful stop: every one is up for grabs at once
    replicas = [PgDeliveries(pool, Lease(30.0)) for _ in range(3)]

    def claim_all(ledger: PgDeliveries) -> list[str]:
        got: list[str] = []
        while batch := ledger.claim_unfinished(limit=4):
            got += [r.id for r in batch]
        return got

    with ThreadPoolExecutor(3) as threads:
        claimed = list(threads.map(claim_all, replicas))
    everything = [i for got in claimed for i in got]
    assert sorted(everything) == sorted(ids)  # each claimed once, by exactly one replica
    for ledger, got in zip(replicas, claimed, strict=True):
        assert ledger.renew() == set(got)


def test_an_expired_lease_is_taken_over_and_fences_the_old_holder(pool: LedgerPool) -> None:
    dying, survivor = PgDeliveries(pool, Lease(0.5)), PgDeliveries(pool, Lease(30.0))
    record, _ = dying.insert(delivery("k"))
    done, _ = dying.insert(delivery("done", at=2.0))
    assert dying.save(done.moved_to(DeliveryState.DELIVERED, 3.0))
    started = time.monotonic()
    taken: list[str] = []

    def claimed() -> bool:
        taken.extend(r.id for r in survivor.claim_unfinished())
        return bool(taken)

    eventually(claimed)
    assert taken == [record.id]  # the unfinished one only, after its lease
    assert time.monotonic() - started >= 0.4
    # The old holder (stalled, not dead) finds its writes refused and its lease gone.
    assert not dying.save(record.moved_to(DeliveryState.UPLOADING, 4.0))
    assert dying.renew() == set()
    assert survivor.save(record.moved_to(DeliveryState.UPLOADING, 4.0))
    held = survivor.get("t", record.id)
    assert held is not None and held.state is DeliveryState.UPLOADING


def test_renewing_keeps_a_delivery_past_its_lease(pool: LedgerPool) -> None:
    holder, other = PgDeliveries(pool, Lease(0.6)), PgDeliveries(pool, Lease(30.0))
    record, _ = holder.insert(delivery("k"))
    deadline = time.monotonic() + 2.0  # over three leases
    while time.monotonic() < deadline:
        assert holder.renew() == {record.id}
        assert other.claim_unfinished() == []
        time.sleep(holder.renew_seconds)
    # It stops renewing (dies): taken over within a lease.
    eventually(lambda: [r.id for r in other.claim_unfinished()] == [record.id], within=5.0)


def test_a_cancel_from_another_replica_stops_the_holder(pool: LedgerPool) -> None:
    holder, other = PgDeliveries(pool, Lease(30.0)), PgDeliveries(pool, Lease(30.0))
    record, _ = holder.insert(delivery("k"))
    stale = other.get("t", record.id)
    assert stale is not None
    assert holder.save(record.with_progress(1.5, intent="inbound"))
    # Another replica cancels from what it read before the holder's last write.
    assert other.save(stale.moved_to(DeliveryState.CANCELLED, 2.0), fenced=False)
    assert not holder.save(record.moved_to(DeliveryState.UPLOADING, 3.0))
    cancelled = other.get("t", record.id)
    assert cancelled is not None and cancelled.progress == {"intent": "inbound"}
    assert holder.renew() == set()
    # An unfenced write never changes a final delivery's state (a late fetch counted).
    assert not other.save(record.moved_to(DeliveryState.FETCHING, 4.0), fenced=False)
    final = other.get("t", record.id)
    assert final is not None and final.state is DeliveryState.CANCELLED


def test_two_replicas_workers_never_claim_the_same_item(pool: LedgerPool) -> None:
    a, b = PgInbox(pool, Lease(30.0)), PgInbox(pool, Lease(30.0))
    a.add([item(f"{i:02d}") for i in range(40)])

    def drain(inbox: PgInbox) -> list[str]:
        got = []
        while (claimed := inbox.claim(now=200.0)) is not None:
            got.append(claimed.id)
        return got

    with ThreadPoolExecutor(4) as threads:
        claimed = list(threads.map(drain, [a, b, a, b]))
    everything = [i for got in claimed for i in got]
    assert sorted(everything) == [f"{i:02d}" for i in range(40)]
    assert a.renew() + b.renew() == 40
    # Nothing expired: a look for dead replicas' items finds none.
    assert b.requeue_interrupted(now=300.0) == 0


def test_a_dead_replicas_imports_are_queued_again_and_its_api_calls_fail(
    pool: LedgerPool,
) -> None:
    dying, survivor = PgInbox(pool, Lease(0.5)), PgInbox(pool, Lease(30.0))
    api = replace(item("09"), source=ImportSource.API, platform_media_id="",
                  state=ImportState.IMPORTING)  # fmt: skip
    dying.add([item("01"), item("02"), api])
    assert dying.claim(now=200.0) is not None
    held = survivor.claim(now=200.0)
    assert held is not None and held.id == "02"
    eventually(lambda: survivor.requeue_interrupted(now=300.0) == 1, within=5.0)
    again = survivor.claim(now=300.0)
    assert again is not None and (again.id, again.attempts) == ("01", 2)
    failed = survivor.get("t", "09")
    assert failed is not None and (failed.state, failed.reason) == (
        ImportState.FAILED,
        "INTERRUPTED",
    )
    # The dead replica's late save is dropped: the survivor holds the item now.
    dying.save(again.ended(ImportState.FAILED, 301.0, reason="LATE"))
    current = survivor.get("t", "01")
    assert current is not None and current.state is ImportState.IMPORTING
    # The survivor's own item kept its lease throughout.
    kept = survivor.get("t", "02")
    assert kept is not None and kept.state is ImportState.IMPORTING


def test_renewing_keeps_an_item_being_imported(pool: LedgerPool) -> None:
    holder, other = PgInbox(pool, Lease(0.6)), PgInbox(pool, Lease(30.0))
    holder.add([item("01")])
    assert holder.claim(now=200.0) is not None
    deadline = time.monotonic() + 2.0
    while time.monotonic() < deadline:
        assert holder.renew() == 1
        assert other.requeue_interrupted(now=300.0) == 0
        time.sleep(holder.renew_seconds)


def test_a_graceful_stop_hands_its_imports_back_at_once(pool: LedgerPool) -> None:
    stopping, other = PgInbox(pool, Lease(30.0)), PgInbox(pool, Lease(30.0))
    stopping.add([item("01")])
    assert stopping.claim(now=200.0) is not None
    stopping.release()
    taken = other.claim(now=200.0)
    assert taken is not None and (taken.id, taken.attempts) == ("01", 2)
