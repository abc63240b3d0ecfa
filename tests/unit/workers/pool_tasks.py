"""Jobs for the worker-pool tests. They live in an importable module because worker processes
receive jobs by reference (module and name), as the server's probes are."""

from __future__ import annotations

import os
import signal
import time


def add(a: int, b: int) -> int:
    return a + b


def spin_forever() -> None:
    while True:
        time.monotonic()


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def allocate(megabytes: int) -> int:
    block = bytearray(megabytes * 1024 * 1024)
    return len(block)


def fail() -> None:
    raise ValueError("bad input")


def pid() -> int:
    return os.getpid()


def wait_for_file(path: str) -> str:
    """Holds a worker busy until the test creates `path` (the test decides, not a timer)."""
    while not os.path.exists(path):
        time.sleep(0.001)
    return path
