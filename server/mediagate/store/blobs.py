"""BlobStore: content-addressed bytes. The embedded default keeps them on the local filesystem."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, Protocol

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_KEY = re.compile(r"^[A-Za-z0-9._-]{1,128}$")


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

    def local_path(self, sha256: str) -> Path:
        """A path worker processes can read the blob from (a backend without local files would
        fetch it into a cache first)."""

    # Derived blobs (previews, renditions) belong to a source blob: keyed by the source's digest
    # and a name, and deleted with it.
    def get_derived(self, source_sha256: str, key: str) -> bytes | None: ...

    def put_derived(self, source_sha256: str, key: str, data: bytes) -> None:
        """Raises OSError (ENOSPC on a full disk), leaving no partial entry."""

    def derived_sources(self) -> Iterator[str]: ...

    def drop_derived(self, source_sha256: str) -> None: ...


class FileBlobStore:
    """blobs/ab/cd/<sha256> under a data directory; staging/ on the same filesystem so that
    adopting a spool file is a rename, never a copy."""

    def __init__(self, root: Path) -> None:
        self._blobs = root / "blobs"
        self._staging = root / "staging"
        self._derived = root / "derived"
        for folder in (self._blobs, self._staging, self._derived):
            folder.mkdir(parents=True, exist_ok=True)

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
        shutil.rmtree(self._derived_dir(sha256), ignore_errors=True)

    def local_path(self, sha256: str) -> Path:
        return self.path_of(sha256)

    def _derived_dir(self, source_sha256: str) -> Path:
        self.path_of(source_sha256)  # validates the digest: it becomes a path
        return self._derived / source_sha256[:2] / source_sha256

    def get_derived(self, source_sha256: str, key: str) -> bytes | None:
        try:
            return (self._derived_dir(source_sha256) / _safe_key(key)).read_bytes()
        except FileNotFoundError:
            return None

    def put_derived(self, source_sha256: str, key: str, data: bytes) -> None:
        # A cache entry needs atomicity (never a torn file), not durability: a lost entry is
        # rendered again. So: temp file and rename, no fsync. The temp file sits beside its
        # target, not in staging, which belongs to uploads (and is cleared at start-up).
        folder = self._derived_dir(source_sha256)
        folder.mkdir(parents=True, exist_ok=True)
        temp = folder / f".tmp-{secrets.token_hex(8)}"
        try:
            temp.write_bytes(data)
            os.replace(temp, folder / _safe_key(key))
        except BaseException:
            temp.unlink(missing_ok=True)  # a full disk leaves no torn temp file behind
            raise

    def derived_sources(self) -> Iterator[str]:
        for path in self._derived.glob("??/*"):
            if _SHA256.match(path.name):
                yield path.name

    def drop_derived(self, source_sha256: str) -> None:
        shutil.rmtree(self._derived_dir(source_sha256), ignore_errors=True)

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


def _safe_key(key: str) -> str:
    if not _KEY.match(key):
        raise ValueError(f"not a derived-blob key: {key!r}")
    return key


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
