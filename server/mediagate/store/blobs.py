"""BlobStore: content-addressed bytes. The embedded default keeps them on the local filesystem."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, Protocol

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class BlobStore(Protocol):
    """Bytes addressed by their sha256. Writers stage a file, then adopt it in one atomic step."""

    @property
    def staging_dir(self) -> Path: ...

    def adopt(self, staged: Path, sha256: str) -> None:
        """Makes a durable staged file the blob for sha256 (or drops it if that blob exists)."""

    def open(self, sha256: str) -> BinaryIO: ...

    def exists(self, sha256: str) -> bool: ...

    def delete(self, sha256: str) -> None: ...

    def all_digests(self) -> Iterator[str]: ...

    def clear_staging(self) -> int:
        """Removes every staged file: after a restart none of them belongs to a live upload."""


class FileBlobStore:
    """blobs/ab/cd/<sha256> under a data directory; staging/ on the same filesystem so that
    adopting a spool file is a rename, never a copy."""

    def __init__(self, root: Path) -> None:
        self._blobs = root / "blobs"
        self._staging = root / "staging"
        self._blobs.mkdir(parents=True, exist_ok=True)
        self._staging.mkdir(parents=True, exist_ok=True)

    @property
    def staging_dir(self) -> Path:
        return self._staging

    def path_of(self, sha256: str) -> Path:
        if not _SHA256.match(sha256):
            raise ValueError(f"not a sha256 digest: {sha256!r}")
        return self._blobs / sha256[:2] / sha256[2:4] / sha256

    def adopt(self, staged: Path, sha256: str) -> None:
        target = self.path_of(sha256)
        if target.exists():
            staged.unlink(missing_ok=True)
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged, target)
        # The rename is durable only once its directory entry is on disk.
        _fsync_dir(target.parent)

    def open(self, sha256: str) -> BinaryIO:
        return self.path_of(sha256).open("rb")

    def exists(self, sha256: str) -> bool:
        return self.path_of(sha256).exists()

    def delete(self, sha256: str) -> None:
        path = self.path_of(sha256)
        path.unlink(missing_ok=True)
        # Empty fan-out folders are left: they are reused and cost nothing.

    def all_digests(self) -> Iterator[str]:
        for path in self._blobs.glob("??/??/*"):
            if _SHA256.match(path.name):
                yield path.name

    def clear_staging(self) -> int:
        removed = 0
        for path in self._staging.iterdir():
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed += 1
        return removed


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
