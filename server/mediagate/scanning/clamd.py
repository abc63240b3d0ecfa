"""An asyncio client for clamd's INSTREAM command, over a unix socket or TCP.

    zINSTREAM\\0, then the file in chunks (a 4-byte big-endian length, then that many bytes),
    then a zero-length chunk; clamd answers one NUL-terminated line:
    "stream: OK", "stream: <Signature> FOUND", or "... ERROR"
    (e.g. "INSTREAM size limit exceeded. ERROR" past clamd's StreamMaxLength).

Threat model. clamd is trusted: it is ours, on loopback or a unix socket, and its verdict is
taken as it comes. What is not trusted is the file: it is streamed from the spool on disk, a
chunk at a time (never whole in memory), and clamd decides. The reply is still bounded
(MAX_REPLY_BYTES) and parsed strictly, so a wrong peer at the address (not clamd) gives an
error, never a verdict of "clean".

Failure model. Anything short of a well-formed reply is a ScanFailed with `why`:
  unreachable  no connection (nothing listens, refused, the connect timeout passed)
  timeout      connected, but no reply within the overall timeout (a stuck or overloaded clamd)
  error        clamd answered ERROR (size limit, a database problem), closed without a reply,
               or said something this client does not understand
The client never decides what a failure means for the file: the caller does (the upload
pipeline fails closed unless told to fail open, pipeline/scan_step.py). A failed scan must
never read as a clean one.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

CHUNK_BYTES = 64 * 1024
# The longest reply taken: a signature name is well under 200 bytes.
MAX_REPLY_BYTES = 4096
DEFAULT_CONNECT_TIMEOUT_SECONDS = 2.0

_END = struct.pack("!I", 0)


class Why(enum.StrEnum):
    UNREACHABLE = "unreachable"
    TIMEOUT = "timeout"
    ERROR = "error"


class ScanFailed(Exception):
    """No verdict: `why` says which way it failed, the message says what happened."""

    def __init__(self, why: Why, message: str) -> None:
        super().__init__(message)
        self.why = why
        self.message = message


@dataclass(frozen=True)
class ClamdAddress:
    """Where clamd listens: a unix socket path, or a TCP host and port."""

    unix_path: str = ""
    host: str = ""
    port: int = 0

    def __str__(self) -> str:
        return f"unix:{self.unix_path}" if self.unix_path else f"tcp://{self.host}:{self.port}"


def parse_address(value: str) -> ClamdAddress:
    """ "unix:/path/clamd.sock", "/path/clamd.sock", "tcp://127.0.0.1:3310" or "127.0.0.1:3310"
    ("[::1]:3310" for IPv6). Raises ValueError for anything else."""
    text = value.strip()
    if text.startswith("unix:"):
        path = text.removeprefix("unix:").removeprefix("//")
        if not path.startswith("/"):
            raise ValueError(f"clamd unix socket must be an absolute path: {value!r}")
        return ClamdAddress(unix_path=path)
    if text.startswith("/"):
        return ClamdAddress(unix_path=text)
    hostport = text.removeprefix("tcp://")
    host, sep, port_text = hostport.rpartition(":")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if not sep or not host or not port_text.isdigit() or "/" in hostport:
        raise ValueError(
            f"clamd address must be unix:/path, /path, tcp://host:port or host:port: {value!r}"
        )
    port = int(port_text)
    if not 0 < port < 65536:
        raise ValueError(f"clamd port out of range: {value!r}")
    return ClamdAddress(host=host, port=port)


@dataclass(frozen=True)
class ScanResult:
    """clamd's verdict: the signature found, or "" for a clean file."""

    signature: str = ""

    @property
    def infected(self) -> bool:
        return bool(self.signature)


def parse_reply(reply: bytes) -> ScanResult:
    """One INSTREAM reply (with or without its NUL) to a verdict; raises ScanFailed(ERROR) for
    clamd's errors and for anything that is not a well-formed answer."""
    text = reply.rstrip(b"\0").decode("utf-8", "replace").strip()
    shown = text[:200]
    if text.endswith("ERROR"):
        raise ScanFailed(Why.ERROR, f"clamd: {shown}")
    if text == "stream: OK":
        return ScanResult()
    prefix, suffix = "stream: ", " FOUND"
    if len(text) > len(prefix) + len(suffix) and text.startswith(prefix) and text.endswith(suffix):
        name = text[len(prefix) : -len(suffix)]
        if name and name.isprintable() and not any(c.isspace() for c in name):
            return ScanResult(signature=name)
    raise ScanFailed(Why.ERROR, f"clamd gave an answer that is not a verdict: {shown!r}")


class Clamd:
    """INSTREAM scans against one clamd; one connection per scan (clamd's own model)."""

    def __init__(
        self,
        address: ClamdAddress,
        timeout_seconds: float,
        connect_timeout_seconds: float = DEFAULT_CONNECT_TIMEOUT_SECONDS,
        chunk_bytes: int = CHUNK_BYTES,
    ) -> None:
        self.address = address
        self.timeout_seconds = timeout_seconds
        self.connect_timeout_seconds = min(connect_timeout_seconds, timeout_seconds)
        self.chunk_bytes = chunk_bytes

    async def scan_file(self, path: Path) -> ScanResult:
        """Streams the file at path to clamd and returns its verdict; raises ScanFailed.

        The connect timeout and the overall timeout (connecting included) both apply."""
        try:
            async with asyncio.timeout(self.timeout_seconds):
                reader, writer = await self._connect()
                try:
                    return await self._instream(path, reader, writer)
                finally:
                    writer.close()
                    with contextlib.suppress(OSError):
                        await writer.wait_closed()
        except TimeoutError:
            raise ScanFailed(
                Why.TIMEOUT, f"clamd at {self.address} gave no verdict in {self.timeout_seconds:g}s"
            ) from None

    async def ping(self) -> bool:
        """Whether clamd answers PING with PONG within the timeouts."""
        try:
            async with asyncio.timeout(self.timeout_seconds):
                reader, writer = await self._connect()
                try:
                    writer.write(b"zPING\0")
                    await writer.drain()
                    return await reader.readuntil(b"\0") == b"PONG\0"
                finally:
                    writer.close()
                    with contextlib.suppress(OSError):
                        await writer.wait_closed()
        except (TimeoutError, ScanFailed, OSError, asyncio.IncompleteReadError, ValueError):
            return False

    async def _connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        a = self.address
        try:
            async with asyncio.timeout(self.connect_timeout_seconds):
                if a.unix_path:
                    return await asyncio.open_unix_connection(a.unix_path, limit=MAX_REPLY_BYTES)
                return await asyncio.open_connection(a.host, a.port, limit=MAX_REPLY_BYTES)
        except TimeoutError:
            raise ScanFailed(
                Why.UNREACHABLE,
                f"clamd at {a} did not accept a connection in {self.connect_timeout_seconds:g}s",
            ) from None
        except OSError as exc:
            raise ScanFailed(
                Why.UNREACHABLE, f"clamd at {a} is unreachable: {exc.strerror or exc}"
            ) from None

    async def _instream(
        self, path: Path, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> ScanResult:
        # The reply is read while the file is still being sent: clamd answers early (a size
        # limit ERROR) and closes, and a reply read late would be lost with the connection.
        send = asyncio.ensure_future(self._send(path, writer))
        reply = asyncio.ensure_future(_read_reply(reader))
        try:
            done, _ = await asyncio.wait({send, reply}, return_when=asyncio.FIRST_COMPLETED)
            if reply not in done:
                # clamd stopped listening: what it said, if anything, is in the reply.
                with contextlib.suppress(ConnectionResetError, BrokenPipeError):
                    await send
            return parse_reply(await reply)
        finally:
            for task in (send, reply):
                task.cancel()
            await asyncio.gather(send, reply, return_exceptions=True)

    async def _send(self, path: Path, writer: asyncio.StreamWriter) -> None:
        writer.write(b"zINSTREAM\0")
        handle: BinaryIO = await asyncio.to_thread(path.open, "rb")
        try:
            while chunk := await asyncio.to_thread(handle.read, self.chunk_bytes):
                writer.write(struct.pack("!I", len(chunk)) + chunk)
                await writer.drain()  # at most a chunk or two in the socket's buffer
        finally:
            await asyncio.to_thread(handle.close)
        writer.write(_END)
        await writer.drain()


async def _read_reply(reader: asyncio.StreamReader) -> bytes:
    try:
        return await reader.readuntil(b"\0")
    except asyncio.IncompleteReadError as exc:
        # A reply cut short is no reply: "stream: OK" might have been "stream: OK..." whole.
        said = f" after {exc.partial[:64]!r}" if exc.partial else ""
        raise ScanFailed(Why.ERROR, f"clamd closed the connection without a reply{said}") from None
    except asyncio.LimitOverrunError:
        raise ScanFailed(
            Why.ERROR, f"clamd's reply is longer than {MAX_REPLY_BYTES} bytes"
        ) from None
    except (ConnectionResetError, BrokenPipeError):
        raise ScanFailed(Why.ERROR, "clamd reset the connection without a reply") from None
