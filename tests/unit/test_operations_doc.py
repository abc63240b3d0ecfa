"""docs/operations.md names every setting, and its table is what scripts/settings_table.py makes
from Settings (so a new setting, or a changed default, cannot go undocumented)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from mediagate.config import Settings

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "operations.md"


def test_every_setting_is_in_the_operations_doc() -> None:
    text = DOC.read_text()
    missing = [
        f"MEDIAGATE_{name.upper()}"
        for name in Settings.model_fields
        if f"`MEDIAGATE_{name.upper()}`" not in text
    ]
    assert not missing, f"not in docs/operations.md: {missing}"


def test_the_settings_table_is_current() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "settings_table.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert done.returncode == 0, done.stdout + done.stderr
