"""A real mediagate server in a child process on an ephemeral loopback port.

Readiness comes from the server's own "listening on HOST:PORT media=http://HOST:PORT" log line
(the gRPC address, then the media endpoint's), read from its stderr by a thread that keeps
draining the pipe (so the server never blocks on a full pipe).
"""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Mapping
from pathlib import Path

import grpc

from mediagate.v1 import attachment_service_pb2_grpc as pb_grpc

_LISTENING = re.compile(r"listening on ([\d.]+):(\d+)")
_MEDIA = re.compile(r" media=(https?://\S+)")
_METRICS = re.compile(r" metrics=(http://\S+)")


class ServerProcess:
    def __init__(self, data_dir: Path, env: Mapping[str, str] | None = None) -> None:
        self.data_dir = data_dir
        self.extra_env = dict(env or {})
        self.process: subprocess.Popen[str] | None = None
        self.address = ""
        self.media_url = ""  # the media endpoint, http://HOST:PORT, from the ready line
        self.metrics_url = ""  # http://HOST:PORT/metrics, from the ready line
        self.log: list[str] = []
        self._logged = threading.Condition()
        self._channel: grpc.Channel | None = None

    def start(self, timeout: float = 60.0) -> ServerProcess:
        env = {
            **os.environ,
            "MEDIAGATE_HOST": "127.0.0.1",
            "MEDIAGATE_PORT": "0",
            "MEDIAGATE_MEDIA_PORT": "0",
            "MEDIAGATE_METRICS_PORT": "0",
            "MEDIAGATE_DATA_DIR": str(self.data_dir),
            "MEDIAGATE_WORKERS": "2",
            "PYTHONUNBUFFERED": "1",
            **self.extra_env,
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mediagate", "serve"],
            env=env,
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
        )
        found: queue.Queue[tuple[str, str, str] | None] = queue.Queue()
        threading.Thread(target=self._drain, args=(found,), daemon=True).start()
        try:
            address = found.get(timeout=timeout)
        except queue.Empty:
            self.kill()
            raise RuntimeError("server did not start:\n" + "".join(self.log)) from None
        if address is None:
            raise RuntimeError("server exited during start:\n" + "".join(self.log))
        self.address, self.media_url, self.metrics_url = address
        return self

    def _drain(self, found: queue.Queue[tuple[str, str, str] | None]) -> None:
        assert self.process and self.process.stderr
        announced = False
        for line in self.process.stderr:
            with self._logged:
                self.log.append(line)
                self._logged.notify_all()
            match = _LISTENING.search(line)
            if match and not announced:
                announced = True
                media = _MEDIA.search(line)
                metrics = _METRICS.search(line)
                found.put(
                    (
                        f"{match.group(1)}:{match.group(2)}",
                        media.group(1) if media else "",
                        metrics.group(1) if metrics else "",
                    )
                )
        if not announced:
            found.put(None)

    def wait_for_log(self, pattern: str, timeout: float = 30.0, after: int = 0) -> str:
        """Blocks until the server logs a line matching pattern (woken by each new line) and
        returns the first such line; `after` skips the lines logged before that index."""
        regex = re.compile(pattern)
        with self._logged:
            matched = self._logged.wait_for(
                lambda: any(regex.search(line) for line in self.log[after:]), timeout
            )
            if not matched:
                raise TimeoutError(f"server never logged {pattern!r}:\n" + "".join(self.log))
            return next(line for line in self.log[after:] if regex.search(line))

    def peak_rss_bytes(self) -> int:
        """The server process's high-water resident set (VmHWM), workers not included."""
        status = Path(f"/proc/{self.pid}/status").read_text()
        kib = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM"))
        return kib * 1024

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def channel(self) -> grpc.Channel:
        if self._channel is None:
            self._channel = grpc.insecure_channel(
                self.address,
                options=[("grpc.max_receive_message_length", 8 * 1024 * 1024)],
            )
        return self._channel

    def stub(self) -> pb_grpc.AttachmentServiceStub:
        return pb_grpc.AttachmentServiceStub(self.channel())

    def terminate(self, timeout: float = 30.0) -> int:
        """SIGTERM, then wait for the graceful exit; returns the exit code."""
        assert self.process is not None
        self._close_channel()
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=timeout)

    def kill(self) -> None:
        """SIGKILL: no chance to clean up, as in a crash."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)
        self._close_channel()

    def _close_channel(self) -> None:
        if self._channel is not None:
            self._channel.close()
            self._channel = None

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.terminate()
