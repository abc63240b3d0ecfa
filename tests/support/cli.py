"""Runs the `mediagate` command as a person would, against a server address."""

from __future__ import annotations

import os
import subprocess
import sys


def mediagate(address: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mediagate", "--server", address, *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={
            "COLUMNS": "200",
            "PATH": "/usr/bin:/bin",
            # The package under test, where a checkout runs it from its own tree.
            **{k: v for k, v in os.environ.items() if k == "PYTHONPATH"},
        },
    )
