"""A cached preview as bytes: a small JSON head (what is known about the image) and the image.

    b"MGPV1\n" | head length (4 bytes, big-endian) | head (JSON) | image bytes

Anything that does not read back whole (a torn file, or an entry from an older mediagate, which
kept serialised Preview messages under the same keys) is a miss: the preview is rendered again
and the entry rewritten.
"""

from __future__ import annotations

import dataclasses
import json
import struct

from mediagate.preview.result import RenderedPreview

_MAGIC = b"MGPV1\n"
_LENGTH = struct.Struct(">I")
_FIELDS = tuple(f.name for f in dataclasses.fields(RenderedPreview) if f.name != "data")


def pack(preview: RenderedPreview) -> bytes:
    head = json.dumps({name: getattr(preview, name) for name in _FIELDS}).encode()
    return b"".join((_MAGIC, _LENGTH.pack(len(head)), head, preview.data))


def unpack(entry: bytes) -> RenderedPreview | None:
    if not entry.startswith(_MAGIC):
        return None
    start = len(_MAGIC) + _LENGTH.size
    try:
        (length,) = _LENGTH.unpack_from(entry, len(_MAGIC))
        head = json.loads(entry[start : start + length])
        if set(head) != set(_FIELDS):
            return None
        return RenderedPreview(data=entry[start + length :], **head)
    except (struct.error, ValueError, TypeError):
        return None
