"""libmagic on the first bytes of a file: the first, cheap opinion of what it is."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import magic

from mediagate.inspect.mime import normalise

# How many leading bytes intake collects before it asks libmagic. Enough for every signature we
# act on (OOXML's first zip entries, an MP3's ID3 tag with a small cover, RIFF/Ogg/EBML headers).
HEAD_BYTES = 64 * 1024

# A libmagic handle is not safe to share between threads; each thread gets its own pair.
_local = threading.local()


@dataclass(frozen=True)
class Sniffed:
    mime_type: str  # normalised
    description: str  # libmagic's human description, for logs and metadata


def _handles() -> tuple[magic.Magic, magic.Magic]:
    handles = getattr(_local, "handles", None)
    if handles is None:
        handles = (magic.Magic(mime=True), magic.Magic())
        _local.handles = handles
    return handles


def sniff(head: bytes) -> Sniffed:
    """Identifies a file from its first bytes (pass at most HEAD_BYTES)."""
    if not head:
        return Sniffed("inode/x-empty", "empty")
    by_mime, by_text = _handles()
    return Sniffed(normalise(by_mime.from_buffer(head)), str(by_text.from_buffer(head)))
