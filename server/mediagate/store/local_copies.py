"""Local copies of blobs kept in an object store, for the worker processes that need a path
(the preview renderer opens the source file itself): fetched on first use, verified by sha256,
kept under a byte budget, least recently used out first.

A copy handed out is not evicted for grace_seconds after its last use, so a render waiting in
its lane still finds its file (once opened, an unlinked file stays readable on POSIX). The
budget can therefore be passed by copies in use: it is a bound on what sits idle.
Copies are content addressed, so one found at start is still right: the index is rebuilt from
the folder, the oldest used (modification time, which each use sets) first.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)

_TEMP_PREFIX = ".tmp-"


class LocalCopies:
    def __init__(
        self,
        folder: Path,
        max_bytes: int,
        grace_seconds: float = 300.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.folder = folder
        self.max_bytes = max_bytes
        self._grace = grace_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._copies: OrderedDict[str, tuple[int, float]] = OrderedDict()  # name: size, last use
        self._total = 0
        folder.mkdir(parents=True, exist_ok=True)
        self._index()

    def path(self, name: str, fetch: Callable[[Path], None]) -> Path:
        """The local copy of name, fetched with fetch(temp_path) when there is none."""
        target = self.folder / name
        now = self._clock()
        with self._lock:
            if name in self._copies and target.exists():
                size, _ = self._copies[name]
                self._copies[name] = (size, now)
                self._copies.move_to_end(name)
                with contextlib.suppress(FileNotFoundError):
                    os.utime(target, (now, now))
                return target
        temp = self.folder / f"{_TEMP_PREFIX}{secrets.token_hex(8)}"
        try:
            fetch(temp)
            os.replace(temp, target)
        finally:
            temp.unlink(missing_ok=True)
        size = target.stat().st_size
        with self._lock:
            self._remove(name)
            self._copies[name] = (size, now)
            self._total += size
            victims = self._victims(keep=name)
        for victim in victims:
            (self.folder / victim).unlink(missing_ok=True)
        return target

    def drop(self, name: str) -> None:
        with self._lock:
            self._remove(name)
        (self.folder / name).unlink(missing_ok=True)

    def usage(self) -> tuple[int, int]:
        """Copies held and their bytes."""
        with self._lock:
            return len(self._copies), self._total

    def _remove(self, name: str) -> None:
        entry = self._copies.pop(name, None)
        if entry is not None:
            self._total -= entry[0]

    def _victims(self, keep: str) -> list[str]:
        """Under the lock: the copies to unlink, oldest used first, until the total fits the
        budget, passing over those used within the grace period."""
        victims: list[str] = []
        recent = self._clock() - self._grace
        for name, (size, used) in list(self._copies.items()):
            if self._total <= self.max_bytes:
                break
            if name == keep or used > recent:
                continue
            del self._copies[name]
            self._total -= size
            victims.append(name)
        return victims

    def _index(self) -> None:
        found: list[tuple[float, str, int]] = []
        with os.scandir(self.folder) as files:
            for file in files:
                if file.name.startswith(_TEMP_PREFIX):  # a fetch a crash interrupted
                    Path(file.path).unlink(missing_ok=True)
                elif file.is_file():
                    info = file.stat()
                    found.append((info.st_mtime, file.name, info.st_size))
        for used, name, size in sorted(found):
            self._copies[name] = (size, used)
            self._total += size
        for victim in self._victims(keep=""):
            (self.folder / victim).unlink(missing_ok=True)
