"""Catalog operations per second on each backend, in one run: the embedded SQLite catalog and
the PostgreSQL one (a PostgreSQL 15 of its own on loopback, started here with its durable
defaults: fsync on, as SQLite's synchronous=FULL is).

    make bench-catalog        (or: .venv/bin/python bench/catalog_ops.py [--quick])

The calls are the catalog's own (store/catalog.py's protocol), from THREADS threads at once
as the server makes them (commits, read threads): insert (a commit, with quotas checked),
get, a page of 50, and delete. Each backend gets the same rows in the same order.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.postgres import running_postgres  # noqa: E402

from mediagate.store.catalog import Catalog, SqliteCatalog  # noqa: E402
from mediagate.store.pg_catalog import PgCatalog  # noqa: E402
from mediagate.store.records import AttachmentRecord  # noqa: E402
from mediagate.store.usage import Limits  # noqa: E402

THREADS = 8
LIMITS = Limits(quota_bytes=10**12, quota_attachments=10**9, storage_cap_bytes=10**15)


def row(i: int) -> AttachmentRecord:
    return AttachmentRecord(
        id=f"{i:032x}",
        tenant=f"tenant-{i % 4}",
        file_name=f"file-{i}.jpg",
        declared_mime_type="image/jpeg",
        detected_mime_type="image/jpeg",
        size_bytes=1000 + i,
        sha256=f"{i:064x}",
        profile="web-messaging",
        conversation_id=f"conversation-{i % 50}",
        create_time=float(i),
        expire_time=1e12,
        labels={"source": "bench"},
        media={"image": {"width": 640, "height": 480}},
        idempotency_key=f"key-{i}",
    )


def rate(count: int, call: Callable[[int], object]) -> float:
    """Calls per second of call(0..count-1), THREADS at a time."""
    with ThreadPoolExecutor(THREADS) as pool:
        start = time.perf_counter()
        list(pool.map(call, range(count)))
        return count / (time.perf_counter() - start)


def measure(catalog: Catalog, count: int) -> dict[str, float]:
    rows = [row(i) for i in range(count)]
    return {
        "insert": rate(count, lambda i: catalog.insert(rows[i], LIMITS)),
        "get": rate(count, lambda i: catalog.get(rows[i].tenant, rows[i].id)),
        "list_page(50)": rate(
            count // 4,
            lambda i: catalog.list_page(rows[i].tenant, rows[i].conversation_id, "", 50),
        ),
        "delete": rate(count, lambda i: catalog.delete(rows[i].tenant, rows[i].id)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer rows, for a smoke run")
    args = parser.parse_args()
    count = 400 if args.quick else 4000
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-catalog.") as tmp:
        sqlite = SqliteCatalog(Path(tmp) / "catalog.sqlite3")
        try:
            results["sqlite"] = measure(sqlite, count)
        finally:
            sqlite.close()
    with running_postgres(durable=True) as server:
        postgres = PgCatalog(server.fresh_database(), pool_size=THREADS)
        try:
            results["postgres"] = measure(postgres, count)
        finally:
            postgres.close()
    print(f"catalog ops/s, {count} rows, {THREADS} threads (higher is better)")
    print(f"{'operation':<16}{'sqlite':>10}{'postgres':>10}")
    for op in results["sqlite"]:
        print(f"{op:<16}{results['sqlite'][op]:>10.0f}{results['postgres'][op]:>10.0f}")


if __name__ == "__main__":
    main()
