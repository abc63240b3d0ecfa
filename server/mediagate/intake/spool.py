"""A spool file in the store's staging area: bytes written and hashed as they arrive.

Hashing and writing a chunk happen in a writer thread while the event loop receives the next
chunk (hashlib and os.write release the GIL, so the two use both cores). At most one chunk is
in the writer's hands, so memory per upload stays at two chunks plus the first HEAD_BYTES kept
for libmagic, whatever the file size.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import secrets
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from mediagate.inspect.sniff import HEAD_BYTES

# Shared by all uploads; a write takes well under a millisecond, so a few threads serve many.
_writers = ThreadPoolExecutor(max_workers=8, thread_name_prefix="spool-writer")


class Spool:
    def __init__(self, staging_dir: Path) -> None:
        self.path = staging_dir / f"upload-{secrets.token_hex(12)}"
        # O_EXCL: a name collision must never let two uploads share a file.
        self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self._hash = hashlib.sha256()
        self._head = bytearray()
        self._pending: Future[None] | None = None
        self._closed = False
        self.size = 0  # bytes handed to the spool so far

    @property
    def head(self) -> bytes:
        return bytes(self._head)

    @property
    def head_complete(self) -> bool:
        return len(self._head) >= HEAD_BYTES

    async def write(self, chunk: bytes) -> None:
        """Hands a chunk to the writer thread once the previous one is written."""
        await self.flush()
        self.size += len(chunk)
        if len(self._head) < HEAD_BYTES:
            self._head += chunk[: HEAD_BYTES - len(self._head)]
        self._pending = _writers.submit(self._write, chunk)

    async def flush(self) -> None:
        if self._pending is not None:
            pending, self._pending = self._pending, None
            await asyncio.wrap_future(pending)

    def _write(self, chunk: bytes) -> None:
        self._hash.update(chunk)
        view = memoryview(chunk)
        while view:
            written = os.write(self._fd, view)
            view = view[written:]

    async def sha256(self) -> str:
        """The digest of every byte written (waits for the last write)."""
        await self.flush()
        return self._hash.hexdigest()

    def make_durable(self) -> None:
        """fsync and close: blocking, so run it off the event loop (alongside the probe)."""
        if not self._closed:
            os.fsync(self._fd)
            self._close()

    async def discard_now(self) -> None:
        """Removes the spool file before returning, once the write in hand (if any) is done:
        when the server refuses an upload, nothing may be left by the time the caller hears."""
        pending, self._pending = self._pending, None
        if pending is not None:
            with contextlib.suppress(Exception):
                await asyncio.wrap_future(pending)
        self._remove()

    def discard(self) -> None:
        """Removes the spool file; a write still in the writer's hands finishes first. For
        paths that cannot wait (a cancelled call), so removal may follow a moment later."""
        pending, self._pending = self._pending, None
        if pending is not None and not pending.done():
            pending.add_done_callback(lambda _: self._remove())
        else:
            self._remove()

    def _remove(self) -> None:
        self._close()
        self.path.unlink(missing_ok=True)

    def _close(self) -> None:
        if not self._closed:
            self._closed = True
            os.close(self._fd)
