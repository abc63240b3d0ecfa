"""What operators see of a stored file (usecases/admin.py): where, how big, written when."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class FileInfo:
    """A stored file (or a derived folder: its files' total size and the newest one's time)."""

    path: str  # relative to the store's data directory, or the object's key
    size_bytes: int
    modify_time: float  # unix time it was last written


def file_info(path: Path, root: Path) -> FileInfo | None:
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    return FileInfo(str(path.relative_to(root)), info.st_size, info.st_mtime)
