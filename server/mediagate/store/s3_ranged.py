"""An S3 object read as a seekable file, by ranged GETs: Download and the media endpoint read a
range of an object without the object store sending the rest.

Each GET asks for a window from the current position and is streamed from, a read at a time,
so memory is what one read asks for. The first window is the first read's size (a small range
costs a small GET); each next window doubles, up to max_window, so a long sequential read
takes few requests. A seek elsewhere closes the open GET; the next read starts another.
"""

from __future__ import annotations

import io
from typing import Any

from mediagate.store.s3_client import ObjectStoreError, translated

MAX_WINDOW_BYTES = 16 * 1024 * 1024


class RangedObject(io.RawIOBase):
    def __init__(
        self, client: Any, bucket: str, key: str, size: int, max_window: int = MAX_WINDOW_BYTES
    ) -> None:
        super().__init__()
        self._client = client
        self._bucket = bucket
        self._key = key
        self._size = size
        self._max_window = max_window
        self._pos = 0
        self._body: Any = None  # the open GET's streaming body, positioned at self._pos
        self._body_end = 0  # where the open GET's range ends (exclusive)
        self._window = 0
        self.requests = 0  # GETs made (tests check ranges are read, not whole objects)

    @property
    def size(self) -> int:
        return self._size

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        position = base + offset
        if position < 0:
            raise ValueError(f"negative seek position {position}")
        if position != self._pos:
            self._drop_body()
            self._pos = position
        return position

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        wanted = min(len(view), self._size - self._pos)
        if wanted <= 0:
            return 0
        if self._body is None or self._pos >= self._body_end:
            self._open_window(wanted)
        with translated(f"reading {self._key}"):
            data = self._body.read(min(wanted, self._body_end - self._pos))
        if not data:
            self._drop_body()
            raise ObjectStoreError(f"{self._key} ended early at byte {self._pos} of {self._size}")
        view[: len(data)] = data
        self._pos += len(data)
        return len(data)

    def close(self) -> None:
        self._drop_body()
        super().close()

    def _open_window(self, wanted: int) -> None:
        self._drop_body()
        self._window = min(self._max_window, max(wanted, 2 * self._window))
        end = min(self._size, self._pos + self._window)
        with translated(f"reading {self._key}"):
            answer = self._client.get_object(
                Bucket=self._bucket, Key=self._key, Range=f"bytes={self._pos}-{end - 1}"
            )
        self.requests += 1
        self._body = answer["Body"]
        self._body_end = end

    def _drop_body(self) -> None:
        if self._body is not None:
            self._body.close()  # a GET not read to its end: its connection is not reused
            self._body = None
