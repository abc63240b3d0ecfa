"""A real clamd (Debian's clamav-daemon, `make test-deps`) with only the tests' own signatures.

No database is ever downloaded: the temp directory holds two signatures for the EICAR test
string, an .hdb (the exact 68 bytes) and an .ndb (the string anywhere inside a file). clamd
listens on a unix socket and on a free loopback TCP port; readiness is its PONG to PING. It runs
as the clamav user (setpriv execs, so the pid is clamd's own) when the tests run as root.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

# The EICAR anti-virus test file: harmless, and every scanner's agreed test signature.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
HDB = "44d88612fea8a8f36de82e1278abb02f:68:Custom.Test.EICAR.HDB\n"
NDB = "Custom.Test.EICAR.NDB:0:*:" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE".hex() + "\n"
# What clamd reports for a file holding the string (it appends .UNOFFICIAL to custom names).
NDB_SIGNATURE = "Custom.Test.EICAR.NDB.UNOFFICIAL"

CLAMD = shutil.which("clamd") or "/usr/sbin/clamd"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def ping(address: str | tuple[str, int], timeout: float = 1.0) -> bool:
    """Whether clamd at a unix path or (host, port) answers PING with PONG."""
    family = socket.AF_UNIX if isinstance(address, str) else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as s:
            s.settimeout(timeout)
            s.connect(address)
            s.sendall(b"zPING\0")
            reply = b""
            while not reply.endswith(b"\0"):
                got = s.recv(16)
                if not got:
                    break
                reply += got
            return reply == b"PONG\0"
    except OSError:
        return False


class ClamdProcess:
    """clamd in a temp directory; `with ClamdProcess() as clamd:` waits for its PONG."""

    def __init__(self, stream_max_length: str = "25M") -> None:
        if not os.path.exists(CLAMD):
            raise RuntimeError("clamd is not installed: run `make test-deps`")
        # Not pytest's tmp_path: its parents are 0700 root, and clamd runs as clamav.
        self.dir = Path(tempfile.mkdtemp(prefix="clamd."))
        self.socket_path = str(self.dir / "clamd.sock")
        self.port = free_port()
        self.stream_max_length = stream_max_length
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def unix_address(self) -> str:
        return f"unix:{self.socket_path}"

    @property
    def tcp_address(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> ClamdProcess:
        db = self.dir / "db"
        db.mkdir()
        (db / "custom.hdb").write_text(HDB)
        (db / "custom.ndb").write_text(NDB)
        conf = self.dir / "clamd.conf"
        conf.write_text(
            f"Foreground yes\nDatabaseDirectory {db}\nLocalSocket {self.socket_path}\n"
            f"TCPSocket {self.port}\nTCPAddr 127.0.0.1\nLogFile {self.dir / 'clamd.log'}\n"
            f"StreamMaxLength {self.stream_max_length}\nBytecode no\n"
        )
        command = [CLAMD, "-c", str(conf)]
        if os.geteuid() == 0:
            user = pwd.getpwnam("clamav")
            for path in [self.dir, *self.dir.rglob("*")]:
                os.chown(path, user.pw_uid, user.pw_gid)
            command = ["setpriv", "--reuid=clamav", "--regid=clamav", "--init-groups", *command]
        out = (self.dir / "out.log").open("wb")
        self.process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        out.close()
        self._wait_for_pong(timeout)
        return self

    def _wait_for_pong(self, timeout: float) -> None:
        """Asks PING until PONG (each attempt waits on clamd's socket, not on a clock)."""
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while not (ping(("127.0.0.1", self.port)) and ping(self.socket_path)):
            if self.process.poll() is not None:
                raise RuntimeError(f"clamd exited {self.process.returncode}:\n{self.output()}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"clamd never answered PING:\n{self.output()}")
            # Between attempts: a refused connect returns at once, so pace the retries.
            time.sleep(0.05)

    def output(self) -> str:
        texts = []
        for name in ("out.log", "clamd.log"):
            with contextlib.suppress(OSError):
                texts.append((self.dir / name).read_text(errors="replace"))
        return "\n".join(texts)

    def stop(self) -> int:
        """SIGTERM and wait: clamd exits 0 and removes its socket."""
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else 0
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=30)

    def __enter__(self) -> ClamdProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


@contextlib.contextmanager
def silent_server() -> Iterator[tuple[str, int]]:
    """A TCP server that accepts and reads but never answers: a clamd too slow to give a verdict.
    Yields its (host, port)."""
    listener = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            held.append(conn)
            threading.Thread(target=_drain, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[:2]
    finally:
        stop.set()
        with contextlib.suppress(OSError):
            listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        listener.close()
        for conn in held:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()
        thread.join(timeout=5)


def _drain(conn: socket.socket) -> None:
    with contextlib.suppress(OSError):
        while conn.recv(65536):
            pass
