from __future__ import annotations

import os
from pathlib import Path

import pytest

from mediagate.store.local_copies import LocalCopies


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def writer(data: bytes, fetched: list[str] | None = None):  # type: ignore[no-untyped-def]
    def fetch(temp: Path) -> None:
        if fetched is not None:
            fetched.append(temp.name)
        temp.write_bytes(data)

    return fetch


def test_a_copy_is_fetched_once_and_idle_ones_go_oldest_used_first(tmp_path: Path) -> None:
    clock = Clock()
    copies = LocalCopies(tmp_path, max_bytes=250, grace_seconds=60, clock=clock)
    fetched: list[str] = []
    a = copies.path("a", writer(b"a" * 100, fetched))
    copies.path("a", writer(b"never", fetched))
    assert len(fetched) == 1 and a.read_bytes() == b"a" * 100
    clock.now += 10
    copies.path("b", writer(b"b" * 100))
    clock.now += 100  # both idle past the grace period
    copies.path("a", writer(b"unused"))  # a hit: a is now the most recently used
    copies.path("c", writer(b"c" * 100))  # 300 > 250: b, the least recently used, goes
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "c"]
    assert copies.usage() == (2, 200)


def test_copies_in_use_are_kept_over_the_budget(tmp_path: Path) -> None:
    clock = Clock()
    copies = LocalCopies(tmp_path, max_bytes=150, grace_seconds=60, clock=clock)
    copies.path("a", writer(b"a" * 100))
    clock.now += 5  # a was handed out 5 s ago: a render may be about to open it
    copies.path("b", writer(b"b" * 100))
    assert copies.usage() == (2, 200)
    clock.now += 120
    copies.path("c", writer(b"c" * 10))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b", "c"]


def test_a_failed_fetch_leaves_nothing(tmp_path: Path) -> None:
    copies = LocalCopies(tmp_path, max_bytes=1000)

    def fail(temp: Path) -> None:
        temp.write_bytes(b"half")
        raise OSError("connection reset")

    with pytest.raises(OSError):
        copies.path("a", fail)
    assert list(tmp_path.iterdir()) == []
    assert copies.usage() == (0, 0)


def test_a_restart_finds_the_copies_and_fits_the_budget(tmp_path: Path) -> None:
    for name, age in (("old", 7200), ("new", 3600)):
        (tmp_path / name).write_bytes(b"x" * 100)
        os.utime(tmp_path / name, (1_000_000.0 - age, 1_000_000.0 - age))
    (tmp_path / ".tmp-crashed").write_bytes(b"partial")
    clock = Clock()
    copies = LocalCopies(tmp_path, max_bytes=150, grace_seconds=60, clock=clock)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new"]
    assert copies.usage() == (1, 100)
