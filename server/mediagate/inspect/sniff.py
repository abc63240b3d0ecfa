"""libmagic on the first bytes of a file: the first, cheap opinion of what it is."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import magic

from mediagate.inspect.heif_brands import heif_type
from mediagate.inspect.id3v2 import ID3_TAGGED, tag_length
from mediagate.media.mime import normalise

# How many leading bytes intake collects before it asks libmagic. Enough for every signature we
# act on (OOXML's first zip entries, RIFF/Ogg/EBML headers). An MP3's ID3 tag with a big cover
# fills the head: libmagic cannot see the audio, and the probe looks past the tag instead.
HEAD_BYTES = 64 * 1024

# A libmagic handle is not safe to use from two threads at once, and each handle holds its own
# copy of the compiled magic database (8 MiB), so a handle per thread would cost 16 MiB for
# every thread that ever sniffs. One pair behind a lock: a sniff of 64 KiB takes about 1 ms.
_lock = threading.Lock()
_handles_pair: tuple[magic.Magic, magic.Magic] | None = None


@dataclass(frozen=True)
class Sniffed:
    mime_type: str  # normalised
    description: str  # libmagic's human description, for logs and metadata


def _handles() -> tuple[magic.Magic, magic.Magic]:
    global _handles_pair
    if _handles_pair is None:
        _handles_pair = (magic.Magic(mime=True), magic.Magic())
    return _handles_pair


def sniff(head: bytes) -> Sniffed:
    """Identifies a file from its first bytes (pass at most HEAD_BYTES). Never raises."""
    if not head:
        return Sniffed("inode/x-empty", "empty")
    with _lock:
        by_mime, by_text = _handles()
        mime = _ask(by_mime, head, UNIDENTIFIED)
        description = _ask(by_text, head, "data (libmagic gave up on it)")
        if mime == UNIDENTIFIED and head.endswith(_EOF_MARK):
            # libmagic calls any 0x1A binary; as the last byte it is the end-of-file mark
            # DOS tools append to text. The text probe checks it is the file's last byte.
            without = _ask(by_mime, head[:-1], UNIDENTIFIED)
            if without.startswith("text/"):
                mime = without
                description = _ask(by_text, head[:-1], description)
    if mime == UNIDENTIFIED and tag_length(head) is not None:
        # An ID3v2 tag longer than the head (cover art, padding): the audio comes after it.
        return Sniffed(ID3_TAGGED, description)
    # A HEIF's kind is in its brands, which libmagic reads only in part (inspect/heif_brands.py).
    return Sniffed(heif_type(head) or normalise(mime), description)


# What libmagic answers for bytes it cannot identify; no profile accepts it.
UNIDENTIFIED = "application/octet-stream"
_EOF_MARK = b"\x1a"


def _ask(handle: magic.Magic, head: bytes, fallback: str) -> str:
    # libmagic raises instead of answering when a file drives it past one of its internal
    # limits: a JPEG head of 62 JFIF APP0 segments exceeds its "name use count" (64) in the
    # description rules (found by tests/fuzz). Raised here, that ended the upload as an
    # INTERNAL server fault; as unidentified data it is a typed refusal (UNSUPPORTED_TYPE).
    try:
        return str(handle.from_buffer(head))
    except magic.MagicException:
        return fallback
