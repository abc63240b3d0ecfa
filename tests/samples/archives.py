"""ZIP archives: a plain one, and the writer that OOXML files and polyglot images build on."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping


def zip_of(parts: Mapping[str, bytes]) -> bytes:
    """A deflated ZIP holding these parts, in this order."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return out.getvalue()


def zip_archive() -> bytes:
    return zip_of({"readme.txt": b"just a zip\n", "data/values.csv": b"a,b\n1,2\n"})
