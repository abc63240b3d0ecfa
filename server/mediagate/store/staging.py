"""The local folder uploads spool into before a BlobStore adopts them: listing, aging out and
clearing its files. Every backend has one on local disk, the object store's included (a spool
must be a local file: it is written as bytes arrive, fsynced, probed by worker processes)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from mediagate.store.file_info import FileInfo, file_info


class StagingDir:
    def __init__(self, folder: Path, root: Path) -> None:
        self.folder = folder
        self._root = root  # FileInfo paths are relative to it
        folder.mkdir(parents=True, exist_ok=True)

    def files(self) -> Iterator[FileInfo]:
        for path in self.folder.iterdir():
            info = file_info(path, self._root) if path.is_file() else None  # files only
            if info is not None:
                yield info

    def remove(self, name: str, written_before: float) -> int | None:
        path = self.folder / Path(name).name  # a staged file's name, never a path elsewhere
        info = file_info(path, self._root) if path.is_file() else None
        if info is None or info.modify_time >= written_before:
            return None
        try:
            path.unlink()
        except FileNotFoundError:
            return None
        return info.size_bytes

    def clear(self) -> int:
        removed = 0
        for path in self.folder.iterdir():
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed += 1
        return removed
