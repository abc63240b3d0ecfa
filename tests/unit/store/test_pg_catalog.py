"""What only a shared PostgreSQL catalog must do: stay right when several replicas (here,
catalogs with pools of their own on one database) write, sweep and migrate at the same time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

import psycopg
import pytest

import mediagate
from mediagate.errors import ErrorReason, MediagateError
from mediagate.store.attachments import AttachmentStore, Swept
from mediagate.store.blobs import FileBlobStore
from mediagate.store.pg_catalog import PgCatalog
from mediagate.store.pg_migrations import migrations
from mediagate.store.records import AttachmentRecord
from mediagate.store.usage import Limits, Usage
from tests.support.waiting import eventually
from tests.unit.store.test_store import record, stage

T = TypeVar("T")


@pytest.fixture
def replicas(postgres_dsn: str) -> Iterator[tuple[PgCatalog, PgCatalog]]:
    """Two catalogs on one database, as two replicas have."""
    first, second = PgCatalog(postgres_dsn, pool_size=4), PgCatalog(postgres_dsn, pool_size=4)
    yield first, second
    first.close()
    second.close()


def at_once(*calls: Callable[[], T]) -> list[T | BaseException]:
    """Runs the calls in threads released together; each one's result or exception."""
    gate = threading.Barrier(len(calls))

    def run(call: Callable[[], T]) -> T | BaseException:
        gate.wait()
        try:
            return call()
        except BaseException as exc:  # returned, so the test can say which call failed how
            return exc

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def test_one_idempotency_key_committed_on_two_replicas_at_once_is_one_row(
    replicas: tuple[PgCatalog, PgCatalog], postgres_dsn: str
) -> None:
    first, second = replicas
    for i in range(20):
        key = f"key-{i}"
        a = record(f"a{i:031x}", "a" * 64, key=key)
        b = record(f"b{i:031x}", "b" * 64, key=key)
        results = at_once(lambda a=a: first.insert(a), lambda b=b: second.insert(b))
        assert all(isinstance(r, AttachmentRecord) for r in results), results
        assert results[0] == results[1]  # both callers get the one stored record
    with psycopg.connect(postgres_dsn) as conn:
        rows = conn.execute(
            "SELECT idempotency_key, COUNT(*) FROM attachments GROUP BY idempotency_key"
        ).fetchall()
    assert len(rows) == 20 and all(count == 1 for _, count in rows)
    # The usage totals counted each stored row once, and each distinct blob once.
    assert first.usage("t").tenant_attachments == 20
    stored = {r.sha256 for r in first.list_page("t", "", "", 100)}
    assert second.usage("t").stored_bytes == 3 * len(stored)


def test_two_replicas_racing_for_the_last_of_a_quota_cannot_both_win(
    replicas: tuple[PgCatalog, PgCatalog],
) -> None:
    first, second = replicas
    limits = Limits(quota_bytes=10)
    for i in range(20):
        tenant = f"tenant-{i}"
        a = replace(record(f"a{i:031x}", "a" * 64, tenant=tenant), size_bytes=6)
        b = replace(record(f"b{i:031x}", "b" * 64, tenant=tenant), size_bytes=6)
        results = at_once(lambda a=a: first.insert(a, limits), lambda b=b: second.insert(b, limits))
        won = [r for r in results if isinstance(r, AttachmentRecord)]
        refused = [r for r in results if isinstance(r, MediagateError)]
        assert len(won) == 1 and len(refused) == 1, results
        assert refused[0].reason is ErrorReason.QUOTA_EXCEEDED
        assert first.usage(tenant) == Usage(6, 1, second.usage(tenant).stored_bytes)


def test_replicas_sweeping_at_once_delete_each_expired_row_once(
    tmp_path: Path, postgres_dsn: str
) -> None:
    # Two replicas: catalogs of their own, one shared blob store (as S3 would be).
    blobs = FileBlobStore(tmp_path)
    stores = [AttachmentStore(blobs, PgCatalog(postgres_dsn, pool_size=2)) for _ in range(2)]
    try:
        expiring = 120
        for i in range(expiring):
            path, sha = stage(stores[0], f"expiring {i}".encode())
            stores[0].commit(path, replace(record(f"{i:032x}", sha, expire=10.0), size_bytes=11))
        path, kept_sha = stage(stores[0], b"kept")
        stores[0].commit(path, record("f" * 32, kept_sha, expire=1e12))

        def sweep(store: AttachmentStore) -> Callable[[], Swept]:
            return lambda: store.sweep(now=100.0, batch=7)

        results = at_once(sweep(stores[0]), sweep(stores[1]))
        swept = [r for r in results if isinstance(r, Swept)]
        assert len(swept) == 2, results
        assert sum(s.attachments for s in swept) == expiring
        assert sum(s.logical_bytes for s in swept) == 11 * expiring
        assert sum(s.freed_bytes for s in swept) == 11 * expiring
        assert list(blobs.all_digests()) == [kept_sha]
        assert stores[1].catalog.usage("t") == Usage(3, 1, 3)
    finally:
        for store in stores:
            store.close()


def test_a_sweep_skips_rows_another_replica_claimed_until_the_claim_lapses(
    postgres_dsn: str,
) -> None:
    first = PgCatalog(postgres_dsn, pool_size=2)
    second = PgCatalog(postgres_dsn, pool_size=2)
    try:
        for i in range(15):
            first.insert(record(f"{i:032x}", f"{i:064x}", expire=float(i)))
        mine = first.expired(now=100.0, limit=10)
        theirs = second.expired(now=100.0, limit=10)
        assert [r.expire_time for r in mine] == [float(i) for i in range(10)]  # oldest first
        assert [r.expire_time for r in theirs] == [float(i) for i in range(10, 15)]
        assert first.expired(now=100.0, limit=10) == []  # all claimed, for a while
        assert second.expired(now=100.0, limit=10) == []
    finally:
        first.close()
        second.close()


def test_a_lapsed_claim_is_taken_over(postgres_dsn: str) -> None:
    dead = PgCatalog(postgres_dsn, pool_size=2, sweep_claim_seconds=0.0)
    survivor = PgCatalog(postgres_dsn, pool_size=2)
    try:
        dead.insert(record("1" * 32, "a" * 64, expire=1.0))
        assert [r.id for r in dead.expired(now=5.0, limit=10)] == ["1" * 32]
        # The claiming replica never deleted it; its claim has lapsed, so the survivor sweeps.
        assert [r.id for r in survivor.expired(now=5.0, limit=10)] == ["1" * 32]
    finally:
        dead.close()
        survivor.close()


_MIGRATE = """
import json, sys
import psycopg
from mediagate.store.pg_migrations import migrate
dsn, gate = sys.argv[1], int(sys.argv[2])
with psycopg.connect(dsn, autocommit=True) as conn:
    conn.execute("SELECT pg_advisory_lock_shared(%s)", (gate,))  # waits for the start signal
    print(json.dumps(migrate(dsn)))
"""


def test_replicas_starting_together_migrate_the_schema_once(postgres_dsn: str) -> None:
    gate = 4242
    # The child processes import this checkout's mediagate, whatever the venv points at.
    source_root = str(Path(mediagate.__file__).resolve().parents[1])
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([source_root, os.environ.get("PYTHONPATH", "")]),
    }
    with psycopg.connect(postgres_dsn, autocommit=True) as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", (gate,))
        children = [
            subprocess.Popen(
                [sys.executable, "-c", _MIGRATE, postgres_dsn, str(gate)],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(3)
        ]

        def waiting_at_the_gate() -> bool:
            row = holder.execute(
                "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                "AND objid = %s",
                (gate,),
            ).fetchone()
            return row is not None and row[0] == len(children)

        eventually(waiting_at_the_gate, within=30)
        holder.execute("SELECT pg_advisory_unlock(%s)", (gate,))  # all three go at once
        outputs = [child.communicate(timeout=60) for child in children]
    for child, (_, err) in zip(children, outputs, strict=True):
        assert child.returncode == 0, err
    applied = [json.loads(out) for out, _ in outputs]
    every = [m.version for m in migrations()]
    assert sorted(applied, key=len) == [[], [], every]  # one applied all, the others nothing
    with psycopg.connect(postgres_dsn) as conn:
        versions = [v for (v,) in conn.execute("SELECT version FROM schema_migrations")]
    assert sorted(versions) == every


def test_a_replica_deleting_bytes_another_is_committing_never_loses_them(
    tmp_path: Path, postgres_dsn: str
) -> None:
    """Replica A deletes the last attachment with some bytes while replica B commits a new
    attachment with the same bytes, over and over: B's attachment must always keep its blob.
    Each replica's own lock cannot see the other's; the catalog's blob guard does."""
    blobs = FileBlobStore(tmp_path)  # shared, as one S3 bucket is
    a, b = (AttachmentStore(blobs, PgCatalog(postgres_dsn, pool_size=3)) for _ in range(2))
    try:
        for round_ in range(40):
            data = f"round {round_}".encode()
            path, sha = stage(a, data)
            a.commit(path, record(f"a{round_:031x}", sha))
            again, _ = stage(b, data)
            kept = record(f"b{round_:031x}", sha)
            results = at_once(
                lambda r=round_: a.delete("t", f"a{r:031x}"),
                lambda p=again, k=kept: b.commit(p, k),
            )
            assert not any(isinstance(r, BaseException) for r in results), results
            assert blobs.exists(sha), f"round {round_}: a committed attachment lost its bytes"
    finally:
        a.close()
        b.close()
