"""A spool file in the store's staging area: bytes written and hashed as they arrive.

Memory stays bounded by the chunk in hand plus the first HEAD_BYTES kept for libmagic.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

from mediagate.inspect.sniff import HEAD_BYTES


class Spool:
    def __init__(self, staging_dir: Path) -> None:
        self.path = staging_dir / f"upload-{secrets.token_hex(12)}"
        # O_EXCL: a name collision must never let two uploads share a file.
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self._file = os.fdopen(fd, "wb", buffering=0)
        self._hash = hashlib.sha256()
        self._head = bytearray()
        self.size = 0

    @property
    def head(self) -> bytes:
        return bytes(self._head)

    @property
    def head_complete(self) -> bool:
        return len(self._head) >= HEAD_BYTES

    def write(self, chunk: bytes) -> None:
        self._file.write(chunk)
        self._hash.update(chunk)
        self.size += len(chunk)
        if len(self._head) < HEAD_BYTES:
            self._head += chunk[: HEAD_BYTES - len(self._head)]

    def finish(self) -> str:
        """Makes the bytes durable and returns their sha256."""
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        return self._hash.hexdigest()

    def discard(self) -> None:
        if not self._file.closed:
            self._file.close()
        self.path.unlink(missing_ok=True)
