#!/usr/bin/env python3
"""Back up a mediagate data directory while the server runs, and restore it (docs/operations.md).

    python3 scripts/data_backup.py backup  DATA_DIR BACKUP_DIR   # server running or not
    python3 scripts/data_backup.py restore BACKUP_DIR DATA_DIR   # server stopped, DATA_DIR empty

Standard library only, so it runs with any Python 3 beside the data volume (or inside the
image, whose python has sqlite3).

backup, in this order:
1. each SQLite file (catalog.sqlite3, deliveries.sqlite3, inbox.sqlite3) through SQLite's online
   backup API: a consistent snapshot while the server keeps writing (the same as the sqlite3
   shell's `.backup`); a plain copy of a WAL database in use can be torn;
2. then blobs/ (content-addressed, never rewritten), derived/ (voice results, previews) and the
   URL signing key file. Catalog first: an upload writes its blob before its row, so every row
   in the snapshot has its blob unless the attachment was deleted while the backup ran. Blobs
   written after the snapshot are copied too and are harmless orphans.
staging/ (uploads in flight) and reserved-space (made again at start) are left out.

restore copies a backup into an empty data directory, checks each database
(PRAGMA integrity_check) and reports catalog rows whose blob is missing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import sys
from pathlib import Path

DATABASES = ("catalog.sqlite3", "deliveries.sqlite3", "inbox.sqlite3")
TREES = ("blobs", "derived")
FILES = ("url-signing-keys",)


def backup(data: Path, target: Path) -> None:
    if not (data / "catalog.sqlite3").exists():
        raise SystemExit(f"{data} has no catalog.sqlite3: not a mediagate data directory")
    target.mkdir(parents=True, exist_ok=False)
    for name in DATABASES:
        if (data / name).exists():
            _snapshot(data / name, target / name)
            print(f"{name}: snapshot taken")
    for tree in TREES:
        if (data / tree).is_dir():
            shutil.copytree(data / tree, target / tree, copy_function=shutil.copy2)
    for name in FILES:
        if (data / name).exists():
            shutil.copy2(data / name, target / name)
    missing = missing_blobs(target)
    print(f"backup of {data} in {target}: {len(list((target / 'blobs').rglob('*')))} blob paths")
    if missing:
        print(f"{len(missing)} attachments deleted while the backup ran have no bytes: {missing}")


def _snapshot(source: Path, target: Path) -> None:
    # The backup API only reads the source; it copies pages, starting over if the server writes
    # meanwhile, so the snapshot is one consistent moment, WAL contents included.
    live, copy = sqlite3.connect(source), sqlite3.connect(target)
    try:
        live.backup(copy)
    finally:
        copy.close()
        live.close()


def restore(source: Path, data: Path, owner: tuple[int, int] | None = None) -> None:
    if data.exists() and any(data.iterdir()):
        raise SystemExit(f"{data} is not empty: restore into an empty data directory")
    if not (source / "catalog.sqlite3").exists():
        raise SystemExit(f"{source} has no catalog.sqlite3: not a backup")
    data.mkdir(parents=True, exist_ok=True)
    for name in DATABASES:
        if (source / name).exists():
            shutil.copy2(source / name, data / name)
            db = sqlite3.connect(data / name)
            try:
                (verdict,) = db.execute("PRAGMA integrity_check").fetchone()
            finally:
                db.close()
            if verdict != "ok":
                raise SystemExit(f"{name}: integrity check failed: {verdict}")
    for tree in TREES:
        if (source / tree).is_dir():
            shutil.copytree(source / tree, data / tree, copy_function=shutil.copy2)
    for name in FILES:
        if (source / name).exists():
            shutil.copy2(source / name, data / name)
    if owner is not None:
        # The image's server runs as uid 10001 and must own what it writes to.
        for path in [data, *data.rglob("*")]:
            os.chown(path, *owner, follow_symlinks=False)
    missing = missing_blobs(data)
    print(f"restored {source} into {data}; databases pass integrity_check")
    if missing:
        print(f"{len(missing)} attachments have no bytes (deleted during the backup): {missing}")


def missing_blobs(data: Path) -> list[str]:
    """Attachment ids whose blob (blobs/ab/cd/<sha256>) is not in data."""
    db = sqlite3.connect(data / "catalog.sqlite3")
    try:
        rows = db.execute("SELECT id, sha256 FROM attachments").fetchall()
    finally:
        db.close()
    return [
        row_id for row_id, sha in rows if not (data / "blobs" / sha[:2] / sha[2:4] / sha).exists()
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("backup", help="snapshot a data directory (the server may be running)")
    p.add_argument("data", type=Path)
    p.add_argument("target", type=Path, help="a new directory")
    p = sub.add_parser("restore", help="restore a backup into an empty data directory")
    p.add_argument("source", type=Path)
    p.add_argument("data", type=Path)
    p.add_argument("--owner", metavar="UID:GID", help="chown what is restored (image: 10001:10001)")
    args = parser.parse_args(argv)
    if args.command == "backup":
        backup(args.data, args.target)
    else:
        owner = tuple(int(n) for n in args.owner.split(":")) if args.owner else None
        restore(args.source, args.data, (owner[0], owner[-1]) if owner else None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
