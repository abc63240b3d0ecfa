#!/usr/bin/env python3
"""The settings table of docs/operations.md, made from Settings.model_fields (config.py).

    python scripts/settings_table.py           # print the table
    python scripts/settings_table.py --write   # replace it in docs/operations.md
    python scripts/settings_table.py --check   # exit 1 when the doc's table is stale
    python scripts/settings_table.py --names   # every variable name, one a line (make check-k8s)

The table sits between the markers below; tests/unit/test_operations_doc.py fails when a
setting is missing from the doc or the table differs from what this prints.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path
from typing import Literal, get_args, get_origin

from pydantic import AliasChoices, SecretStr
from pydantic.fields import FieldInfo

from mediagate.config import Settings

DOC = Path(__file__).resolve().parent.parent / "docs" / "operations.md"
START = "<!-- settings-table:start (scripts/settings_table.py --write) -->"
END = "<!-- settings-table:end -->"
MIB = 1024 * 1024

# Defaults computed at start from the machine, said in words (the number differs per host).
COMPUTED = {
    "probe_workers": "CPU cores",
    "render_workers": "CPU cores",
    "voice_workers": "half the CPU cores, at least 1",
}


def variables(name: str, field: FieldInfo) -> list[str]:
    """The environment variables a setting is read from, the preferred one first."""
    alias = field.validation_alias
    if isinstance(alias, AliasChoices):
        return [str(choice) for choice in alias.choices]
    if isinstance(alias, str):
        return [alias]
    return [f"MEDIAGATE_{name.upper()}"]


def default_text(name: str, field: FieldInfo) -> str:
    if field.default_factory is not None:
        return COMPUTED.get(name, "computed at start")
    value = field.default
    if value is None:
        return "unset"
    if isinstance(value, SecretStr):
        value = value.get_secret_value()
    if isinstance(value, Path) and not value.is_absolute():
        return f"`./{value}`"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and value >= MIB and value % MIB == 0:
        return f"`{value}` ({value // MIB} MiB)"
    if value == "":
        return '`""`'
    return f"`{value}`"


def type_text(field: FieldInfo) -> str:
    choices = get_args(field.annotation) if get_origin(field.annotation) is Literal else ()
    if choices:  # a choice of words: name them
        return " or ".join(f"`{choice}`" for choice in choices)
    text = str(field.annotation).replace("<class '", "").replace("'>", "")
    text = text.replace("pathlib.", "").replace("pydantic.types.", "").replace(" | None", "")
    return {"Path": "path", "SecretStr": "secret"}.get(text, text)


def table() -> str:
    lines = ["| variable | type | default |", "| --- | --- | --- |"]
    for name, field in Settings.model_fields.items():
        first, *others = variables(name, field)
        also = f" (or {', '.join(f'`{o}`' for o in others)})" if others else ""
        lines.append(f"| `{first}`{also} | {type_text(field)} | {default_text(name, field)} |")
    return "\n".join(lines)


def in_doc(text: str) -> str:
    if START not in text or END not in text:
        raise SystemExit(f"{DOC} has no settings-table markers")
    return text.split(START, 1)[1].split(END, 1)[0].strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--names", action="store_true")
    args = parser.parse_args()
    if args.names:
        for name, field in Settings.model_fields.items():
            sys.stdout.write("".join(f"{v}\n" for v in variables(name, field)))
        return 0
    made = table()
    if not (args.write or args.check):
        sys.stdout.write(made + "\n")
        return 0
    text = DOC.read_text()
    current = in_doc(text)
    if args.check:
        if current == made:
            return 0
        diff = difflib.unified_diff(
            current.splitlines(), made.splitlines(), "docs/operations.md", "Settings", lineterm=""
        )
        print("\n".join(diff))
        print("the settings table is stale: python scripts/settings_table.py --write")
        return 1
    before, rest = text.split(START, 1)
    after = rest.split(END, 1)[1]
    DOC.write_text(f"{before}{START}\n{made}\n{END}{after}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
