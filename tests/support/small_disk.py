"""A small filesystem of its own for tests that fill a disk: a tmpfs, mounted at a folder.

Needs root (mount). Where a tmpfs cannot be mounted, an ext4 image on a loop device is tried
(with no blocks reserved for root, so that "full" means the same for root as for anyone); where
neither works the test fails, saying why: full-disk behaviour is a requirement, not an extra.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

MIB = 1024 * 1024


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, check=False)


@contextlib.contextmanager
def small_disk(mount_point: Path, size_bytes: int) -> Iterator[Path]:
    """Mounts a filesystem of size_bytes at mount_point; unmounts it afterwards."""
    mount_point.mkdir(parents=True, exist_ok=True)
    tmpfs = _run(
        "mount", "-t", "tmpfs", "-o", f"size={size_bytes},mode=0755", "tmpfs", str(mount_point)
    )
    if tmpfs.returncode == 0:
        try:
            yield mount_point
        finally:
            _run("umount", "-l", str(mount_point))
        return
    image = mount_point.parent / f"{mount_point.name}.ext4"
    with image.open("wb") as fh:
        fh.truncate(size_bytes)
    made = _run("mkfs.ext4", "-q", "-F", "-m", "0", str(image))
    loop = (
        _run("mount", "-o", "loop", str(image), str(mount_point)) if made.returncode == 0 else made
    )
    if loop.returncode != 0:
        image.unlink(missing_ok=True)
        pytest.fail(
            "cannot mount a small filesystem: tmpfs said "
            f"{tmpfs.stderr.strip()!r}, an ext4 loop image said {loop.stderr.strip()!r}"
        )
    try:
        yield mount_point
    finally:
        _run("umount", "-l", str(mount_point))
        image.unlink(missing_ok=True)


def fill(folder: Path, name: str = "filler") -> Path:
    """Fills the filesystem under folder to the last byte with one file (written bytes, so it
    takes real space) and returns its path."""
    path = folder / name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        for step in (MIB, 64 * 1024, 4096, 512, 1):
            block = b"\xa5" * step
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, block)
        os.fsync(fd)
    finally:
        os.close(fd)
    return path


def free_bytes(folder: Path) -> int:
    stat = os.statvfs(folder)
    return stat.f_bavail * stat.f_frsize
