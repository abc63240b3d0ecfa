"""BlobStore: content-addressed bytes. The embedded default keeps them on the local filesystem."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import secrets
import shutil
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from mediagate.store.cache_index import CacheIndex
from mediagate.store.file_info import FileInfo, file_info
from mediagate.store.staging import StagingDir

__all__ = ["BlobStore", "BlobUsage", "FileBlobStore", "FileInfo"]

log = logging.getLogger(__name__)

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_KEY = re.compile(r"^[A-Za-z0-9._-]{1,128}$")


@dataclass(frozen=True)
class BlobUsage:
    """What the store's files take on disk, by kind (a walk of every folder: for operators)."""

    blob_count: int = 0
    blob_bytes: int = 0
    cache_entries: int = 0
    cache_bytes: int = 0
    cache_budget_bytes: int = 0  # 0: unbounded
    derived_bytes: int = 0  # derived files that are not cache entries (voice results)
    staging_files: int = 0
    staging_bytes: int = 0


class BlobStore(Protocol):
    """Bytes addressed by their sha256. Writers stage a file, then adopt it in one atomic step."""

    @property
    def staging_dir(self) -> Path: ...

    def prepare(self, staged: Path, sha256: str) -> None:
        """The slow part of adopting, done before the caller takes its lock: a backend that
        copies the bytes elsewhere (S3) sends them now. adopt must still follow."""

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

    # Derived blobs (previews, voice results) belong to a source blob: keyed by the source's
    # digest and a name, and deleted with it. Keys with a cache prefix (previews) are a cache
    # under a byte budget: a put may evict the least recently used of them, and a get may miss
    # one that was there before. The others stay as long as their source.
    def get_derived(self, source_sha256: str, key: str) -> bytes | None: ...

    def put_derived(self, source_sha256: str, key: str, data: bytes) -> None:
        """Writes the entry atomically (never a torn file). A cache entry is not kept when its
        source is gone or when it is larger than the whole budget. Raises OSError (ENOSPC on a
        full disk), leaving no partial entry."""

    def derived_sources(self) -> Iterator[str]: ...

    def drop_derived(self, source_sha256: str) -> None: ...

    # For operators (usecases/admin.py): what is on disk, to find and remove what nothing
    # references. None: the file is gone.
    def blob_info(self, sha256: str) -> FileInfo | None: ...

    def derived_info(self, source_sha256: str) -> FileInfo | None: ...

    def staged_files(self) -> Iterator[FileInfo]: ...

    def remove_staged(self, name: str, written_before: float) -> int | None:
        """Removes a staged file if it was last written before `written_before`; returns its
        size, or None when it is gone or was written since."""

    def unfinished_uploads(self) -> Iterator[FileInfo]:
        """Uploads an object store began and nobody finished (a replica died mid-upload)."""

    def abort_upload(self, name: str, written_before: float) -> int | None:
        """Aborts one of them (its FileInfo.path) begun before `written_before`; returns 0,
        or None when it is gone or younger."""

    def usage(self) -> BlobUsage: ...


class FileBlobStore:
    """blobs/ab/cd/<sha256> under a data directory; staging/ on the same filesystem so that
    adopting a spool file is a rename, never a copy; derived/ab/<sha256>/<key> beside them.

    Derived keys starting with one of cache_prefixes (previews) are a cache; with cache_bytes
    it is bounded. An in-memory index (store/cache_index.py), rebuilt here from the files
    (oldest written first), holds each entry's charge in least-recently-used order: a get
    moves the entry to the end, a put adds it there and evicts from the front until the total
    fits. Recency lives in memory only; after a restart the order is the files' modification
    times (when each entry was written).

    One lock keeps the index and the files in step, so that against any mix of concurrent
    puts, gets and deletes the index never charges less than the cache files hold (they never
    pass the budget) and no cache entry outlives its source: a put renames its file into place
    and indexes it under the lock, and only while the source blob exists; a delete removes the
    source blob first, then (under the lock) the index entries of every file in its folder,
    then the folder. A reader whose entry is evicted meanwhile reads it whole or misses.
    """

    def __init__(
        self,
        root: Path,
        cache_bytes: int | None = None,
        cache_prefixes: Iterable[str] = (),
    ) -> None:
        self._root = root
        self._blobs = root / "blobs"
        self._staging = StagingDir(root / "staging", root)
        self._derived = root / "derived"
        for folder in (self._blobs, self._derived):
            folder.mkdir(parents=True, exist_ok=True)
        self._cache_prefixes = tuple(cache_prefixes)
        self._cache_lock = threading.Lock()
        self._cache: CacheIndex | None = None
        if cache_bytes is not None and self._cache_prefixes:
            self._cache = CacheIndex(cache_bytes)
            self._index_cache()

    @property
    def staging_dir(self) -> Path:
        return self._staging.folder

    def path_of(self, sha256: str) -> Path:
        if not _SHA256.match(sha256):
            raise ValueError(f"not a sha256 digest: {sha256!r}")
        return self._blobs / sha256[:2] / sha256[2:4] / sha256

    def prepare(self, staged: Path, sha256: str) -> None:
        """Nothing to do ahead: adopting is a rename."""

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
        self.drop_derived(sha256)

    def local_path(self, sha256: str) -> Path:
        return self.path_of(sha256)

    def _derived_dir(self, source_sha256: str) -> Path:
        self.path_of(source_sha256)  # validates the digest: it becomes a path
        return self._derived / source_sha256[:2] / source_sha256

    def get_derived(self, source_sha256: str, key: str) -> bytes | None:
        try:
            data = (self._derived_dir(source_sha256) / _safe_key(key)).read_bytes()
        except FileNotFoundError:
            return None
        if self._cache is not None and self._is_cache_key(key):
            with self._cache_lock:
                self._cache.touch(_entry(source_sha256, key))
        return data

    def put_derived(self, source_sha256: str, key: str, data: bytes) -> None:
        # A derived entry needs atomicity (never a torn file), not durability: a lost entry is
        # made again. So: temp file and rename, no fsync. The temp file sits beside its
        # target, not in staging, which belongs to uploads (and is cleared at start-up).
        folder = self._derived_dir(source_sha256)
        target = folder / _safe_key(key)
        cache = self._cache if self._is_cache_key(key) else None
        if cache is not None and not cache.admits(len(data)):
            return
        temp = folder / f"{_TEMP_PREFIX}{secrets.token_hex(8)}"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            temp.write_bytes(data)
            if cache is None:
                os.replace(temp, target)
                return
            with self._cache_lock:
                # A delete removes the source blob before it takes this lock: an entry indexed
                # here is in the folder when that delete lists it, or is never written.
                if not self.path_of(source_sha256).exists():
                    return
                os.replace(temp, target)
                for victim in cache.add(_entry(source_sha256, key), len(data)):
                    self._unlink_entry(victim)
        except (FileNotFoundError, FileExistsError):
            # The folder went between the mkdir and the rename (or, FileExistsError, while
            # Path.mkdir looked at it): the source was deleted, and perhaps stored again,
            # meanwhile. The entry goes with that folder: a miss later.
            log.info("derived %s of %s not kept: its source was deleted", key, source_sha256[:16])
        finally:
            temp.unlink(missing_ok=True)

    def derived_sources(self) -> Iterator[str]:
        for path in self._derived.glob("??/*"):
            if _SHA256.match(path.name):
                yield path.name

    def drop_derived(self, source_sha256: str) -> None:
        folder = self._derived_dir(source_sha256)
        if self._cache is not None:
            with (
                self._cache_lock,
                contextlib.suppress(FileNotFoundError),
                os.scandir(folder) as files,
            ):
                for file in files:
                    self._cache.remove(_entry(source_sha256, file.name))
        shutil.rmtree(folder, ignore_errors=True)

    def cache_usage(self) -> tuple[int, int, int]:
        """The cache's entries, the bytes they are charged and its budget (all 0: unbounded)."""
        if self._cache is None:
            return 0, 0, 0
        with self._cache_lock:
            return len(self._cache), self._cache.charged_bytes, self._cache.max_bytes

    def _is_cache_key(self, key: str) -> bool:
        return bool(self._cache_prefixes) and key.startswith(self._cache_prefixes)

    def _unlink_entry(self, entry: str) -> None:
        source, key = entry.split("/", 1)
        (self._derived_dir(source) / key).unlink(missing_ok=True)

    def _index_cache(self) -> None:
        """At start, before any put: every cache file into the index, the oldest written
        first, evicting down to the budget (which may be lower than the last run's). Temp
        files of puts that a crash interrupted are removed."""
        assert self._cache is not None
        found: list[tuple[float, str, int]] = []
        for source in self.derived_sources():
            folder = self._derived_dir(source)
            with (
                contextlib.suppress(FileNotFoundError, NotADirectoryError),
                os.scandir(folder) as files,
            ):
                for file in files:
                    if file.name.startswith(_TEMP_PREFIX):
                        Path(file.path).unlink(missing_ok=True)
                    elif self._is_cache_key(file.name) and file.is_file():
                        info = file.stat()
                        found.append((info.st_mtime, _entry(source, file.name), info.st_size))
        found.sort()
        evicted = 0
        for _, entry, size in found:
            for victim in self._cache.add(entry, size):
                self._unlink_entry(victim)
                evicted += 1
        log.info(
            "preview cache: %d entries, %d of %d bytes%s",
            len(self._cache),
            self._cache.charged_bytes,
            self._cache.max_bytes,
            f" ({evicted} evicted to fit the budget)" if evicted else "",
        )

    def all_digests(self) -> Iterator[str]:
        for path in self._blobs.glob("??/??/*"):
            if _SHA256.match(path.name):
                yield path.name

    def blob_info(self, sha256: str) -> FileInfo | None:
        return file_info(self.path_of(sha256), self._root)

    def derived_info(self, source_sha256: str) -> FileInfo | None:
        folder = self._derived_dir(source_sha256)
        size, newest = 0, 0.0
        try:
            with os.scandir(folder) as files:
                for file in files:
                    with contextlib.suppress(FileNotFoundError):
                        info = file.stat()
                        size += info.st_size
                        newest = max(newest, info.st_mtime)
        except FileNotFoundError:
            return None
        if newest == 0.0:  # an empty folder: as old as the folder itself
            try:
                newest = folder.stat().st_mtime
            except FileNotFoundError:
                return None
        return FileInfo(str(folder.relative_to(self._root)), size, newest)

    def staged_files(self) -> Iterator[FileInfo]:
        return self._staging.files()

    def unfinished_uploads(self) -> Iterator[FileInfo]:
        return iter(())  # files are renamed into place whole: nothing is ever half-uploaded

    def abort_upload(self, name: str, written_before: float) -> int | None:
        return None

    def remove_staged(self, name: str, written_before: float) -> int | None:
        return self._staging.remove(name, written_before)

    def usage(self) -> BlobUsage:
        blobs = [i for d in self.all_digests() if (i := self.blob_info(d)) is not None]
        staged = list(self.staged_files())
        cache_entries = cache_bytes = derived_bytes = 0
        for source in self.derived_sources():
            with (
                contextlib.suppress(FileNotFoundError, NotADirectoryError),
                os.scandir(self._derived_dir(source)) as files,
            ):
                for file in files:
                    with contextlib.suppress(FileNotFoundError):
                        size = file.stat().st_size
                        if self._is_cache_key(file.name):
                            cache_entries += 1
                            cache_bytes += size
                        else:
                            derived_bytes += size
        return BlobUsage(
            blob_count=len(blobs),
            blob_bytes=sum(i.size_bytes for i in blobs),
            cache_entries=cache_entries,
            cache_bytes=cache_bytes,
            cache_budget_bytes=self._cache.max_bytes if self._cache is not None else 0,
            derived_bytes=derived_bytes,
            staging_files=len(staged),
            staging_bytes=sum(i.size_bytes for i in staged),
        )

    def clear_staging(self) -> int:
        return self._staging.clear()


_TEMP_PREFIX = ".tmp-"


def _entry(source_sha256: str, key: str) -> str:
    """A cache entry's name in the index."""
    return f"{source_sha256}/{key}"


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
