"""The fuzzers' session: the Hypothesis profile, the worker lanes, the spool file.

Everything here is session-scoped: Hypothesis runs many examples per test function, and the
lanes (two worker processes and a forkserver) start once.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fuzz import profiles
from tests.fuzz.lanes import Lanes

profiles.load()

_started: list[Lanes] = []


@pytest.fixture(scope="session")
def lanes() -> Iterator[Lanes]:
    started = Lanes(profiles.WORKER_FAILURES_DIR)
    started.start()
    _started.append(started)
    try:
        yield started
    finally:
        started.close()


@pytest.fixture(scope="session")
def spool(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where each example's bytes are written, named like intake's spool files, so the
    fuzzers can tell if a message gives the location away."""
    return tmp_path_factory.mktemp("staging") / f"upload-{secrets.token_hex(12)}"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Outside the ci profile a property runs for as long as its examples take: pyproject's
    per-test timeout (300 s) is a guard for CI, not a budget for runs by hand."""
    if profiles.PROFILE != "ci":
        for item in items:
            item.add_marker(pytest.mark.timeout(0))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """How the worker jobs ended; timeouts and crashes are refusals, but worth a look."""
    for started in _started:
        counts = ", ".join(f"{n} {what}" for what, n in sorted(started.outcomes.items()))
        terminalreporter.write_line(f"fuzz (profile {profiles.PROFILE}) worker jobs: {counts}")
        if any(not what.endswith("answered") for what in started.outcomes):
            terminalreporter.write_line(f"  inputs kept in {profiles.WORKER_FAILURES_DIR}")
