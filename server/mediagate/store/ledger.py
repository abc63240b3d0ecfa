"""A small SQLite file of its own for one kind of durable record (deliveries, the inbox): one
connection and a lock, WAL, synchronous=FULL (what a ledger confirms survives power loss), and
write transactions that take the write lock at once."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class SqliteLedger:
    """Calls are short and run in a thread of the caller's choosing (the use cases use
    asyncio.to_thread); the lock serialises them, which is plenty for a table written a few
    times per record."""

    def __init__(self, path: Path, schema: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.executescript(schema)

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
                self._db.execute("COMMIT")
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise

    def close(self) -> None:
        with self._lock:
            self._db.close()


def marks(n: int) -> str:
    """n SQL parameter placeholders."""
    return ", ".join("?" * n)
