"""Free disk space: the reserve uploads stop at, what a full disk is answered with, and the
file kept so that deleting works even on a disk filled to the last byte.

Two amounts, both settings:
- `min_free_bytes`: uploads are refused (STORAGE_FULL, with RetryInfo) when they would leave
  less free space than this on the data directory's filesystem. Reads and deletes go on.
- `delete_reserve_bytes`: a file of this size (`reserved-space` in the data directory) is
  kept allocated. Deleting an attachment must write to the catalog (SQLite appends to its WAL
  even for a DELETE), and on a disk something else has filled that write fails. Then the store
  removes this file, deletes again into the space it freed, and re-creates the file from the
  space the deleted blob gave back. Measured on a 16 MiB tmpfs filled to the last byte: a
  DELETE on a freshly opened catalog failed with SQLITE_FULL; after removing a 1 MiB reserve
  it succeeded, and each further delete appended about 25 KiB to the WAL.

Any write that finds no space (ENOSPC, EDQUOT, SQLite's SQLITE_FULL) is NoSpace below the
store, and STORAGE_FULL to a caller: never an internal error.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
from pathlib import Path

from mediagate.errors import ErrorReason, MediagateError
from mediagate.store.usage import STORAGE_RETRY_SECONDS

log = logging.getLogger(__name__)

RESERVE_FILE = "reserved-space"
_WRITE_STEP = 1024 * 1024


class NoSpace(OSError):
    """A write found no space left (SQLite's SQLITE_FULL, as an OSError with ENOSPC)."""

    def __init__(self, what: str) -> None:
        super().__init__(errno.ENOSPC, f"no space left for {what}")


def is_no_space(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)


class DiskSpace:
    """The data directory's filesystem: its free space, the reserve uploads stop at, and the
    file kept for deletes."""

    def __init__(self, path: Path, min_free_bytes: int = 0, delete_reserve_bytes: int = 0) -> None:
        self.path = path
        self.min_free_bytes = min_free_bytes
        self.delete_reserve_bytes = delete_reserve_bytes
        self._reserve = path / RESERVE_FILE

    def free_bytes(self) -> int:
        """Bytes an unprivileged writer may still use (root's own reserve not counted)."""
        stat = os.statvfs(self.path)
        return stat.f_bavail * stat.f_frsize

    def full(self, free: int | None = None, incoming: int = 0) -> MediagateError:
        """STORAGE_FULL for free disk space down to the reserve: `free` measured now unless
        given; `incoming` the bytes an upload would add."""
        free = self.free_bytes() if free is None else free
        left = max(0, free - incoming)
        needs = f"this upload needs {incoming} bytes, " if incoming > 1 else ""
        return MediagateError(
            ErrorReason.STORAGE_FULL,
            f"The server's disk is full: {needs}{free} bytes are free, and "
            f"{self.min_free_bytes} are kept free for reads and deletes. Retry later.",
            {
                "limit": str(self.min_free_bytes),
                "actual": str(left),
                "unit": "bytes",
                "scope": "disk",
            },
            retry_after_seconds=STORAGE_RETRY_SECONDS,
        )

    def check(self, free: int, incoming: int) -> MediagateError | None:
        """STORAGE_FULL if taking `incoming` more bytes would leave less than the reserve."""
        if free - incoming < self.min_free_bytes:
            return self.full(free, incoming)
        return None

    # The delete reserve.

    def reserve_size(self) -> int:
        try:
            return self._reserve.stat().st_size
        except FileNotFoundError:
            return 0

    def release_reserve(self) -> bool:
        """Removes the reserve file; False when there was none to remove."""
        size = self.reserve_size()
        self._reserve.unlink(missing_ok=True)
        if size:
            log.warning("disk full: released the %d-byte delete reserve", size)
        return size > 0

    def restore_reserve(self) -> None:
        """Grows the reserve file back towards its size, with what space there is. Written
        bytes, not a sparse file or fallocate: those reserve nothing on filesystems that
        compress, deduplicate or copy on write. Never raises."""
        missing = self.delete_reserve_bytes - self.reserve_size()
        if missing <= 0:
            return
        try:
            fd = os.open(self._reserve, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        except OSError as exc:
            log.warning("could not create the delete reserve: %s", exc)
            return
        try:
            while missing > 0:
                step = os.urandom(min(_WRITE_STEP, missing))
                try:
                    written = os.write(fd, step)
                except OSError as exc:
                    if not is_no_space(exc):
                        log.warning("could not grow the delete reserve: %s", exc)
                    break
                missing -= written
            with contextlib.suppress(OSError):
                os.fsync(fd)
        finally:
            os.close(fd)
        if missing > 0:
            log.warning("the delete reserve is %d bytes short: the disk is full", missing)
