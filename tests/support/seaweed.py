"""A real S3-compatible server for the tests: SeaweedFS's `weed mini` (built by `make test-deps`,
scripts/install_seaweedfs.sh) in a temp directory, every port on 127.0.0.1.

Every port is explicit: weed binds 0.0.0.0 unless told, puts its gRPC ports at HTTP + 10000,
and has fixed defaults for the rest (admin, iceberg, lance, webdav), any of which another test
run may hold. -logdir keeps glog's files in the temp directory. Ready is an anonymous GET of
the S3 port answering 403 (S3 up, auth on). weed makes unix sockets at fixed names under /tmp
(/tmp/seaweedfs-<kind>-<port>.sock); SIGTERM removes them, and stop() removes any left.

One server per test session (start ~4 s, stop ~2 s); each test gets a bucket of its own.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mediagate.store.s3_client import S3Location, make_client

WEED = os.environ.get("WEED_BIN", "/opt/weed/weed")
ACCESS_KEY = "mediagate-test"
SECRET_KEY = "mediagate-test-secret"
REGION = "us-east-1"
_SOCKET_KINDS = ("master-grpc", "volume-grpc", "filer", "filer-grpc", "s3", "s3-grpc")


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


class SeaweedS3:
    def __init__(self) -> None:
        if not os.access(WEED, os.X_OK):
            raise RuntimeError(f"{WEED} is missing: run `make test-deps`")
        self.dir = Path(tempfile.mkdtemp(prefix="seaweed."))
        ports = _free_ports(10)
        self.ports = dict(
            zip(
                (
                    "master",
                    "master_grpc",
                    "volume",
                    "volume_grpc",
                    "filer",
                    "filer_grpc",
                    "s3",
                    "s3_grpc",
                    "admin",
                    "admin_grpc",
                ),
                ports,
                strict=True,
            )
        )
        self.endpoint = f"http://127.0.0.1:{self.ports['s3']}"
        self.process: subprocess.Popen[bytes] | None = None
        self._shared_bucket = ""

    @property
    def shared_bucket(self) -> str:
        """One bucket for the tests that each take a key prefix of their own: creating a bucket
        costs SeaweedFS ~0.5 s (it grows volumes for it), a prefix nothing."""
        if not self._shared_bucket:
            self._shared_bucket = self.new_bucket()
        return self._shared_bucket

    def start(self, timeout: float = 60.0) -> SeaweedS3:
        data = self.dir / "data"
        data.mkdir()
        identities = {
            "identities": [
                {
                    "name": "tester",
                    "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
                    "actions": ["Admin", "Read", "List", "Tagging", "Write"],
                }
            ]
        }
        (self.dir / "s3.json").write_text(json.dumps(identities))
        p = self.ports
        command = [
            WEED, f"-logdir={self.dir}", "mini", f"-dir={data}",
            "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            f"-master.port={p['master']}", f"-master.port.grpc={p['master_grpc']}",
            f"-volume.port={p['volume']}", f"-volume.port.grpc={p['volume_grpc']}",
            f"-filer.port={p['filer']}", f"-filer.port.grpc={p['filer_grpc']}",
            f"-s3.port={p['s3']}", f"-s3.port.grpc={p['s3_grpc']}",
            f"-s3.config={self.dir / 's3.json'}", "-s3.port.iceberg=0", "-s3.port.lance=0",
            "-webdav=false", "-admin.ui=false",
            f"-admin.port={p['admin']}", f"-admin.port.grpc={p['admin_grpc']}",
            "-admin.port.legacy=0",
        ]  # fmt: skip
        out = (self.dir / "weed.log").open("wb")
        self.process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=self.dir)
        out.close()
        self._wait_ready(timeout)
        return self

    def _wait_ready(self, timeout: float) -> None:
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while self._status() != 403:
            if self.process.poll() is not None:
                raise RuntimeError(f"weed exited {self.process.returncode}:\n{self.output()}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"weed's S3 never answered:\n{self.output()}")
            time.sleep(0.1)  # a refused connect returns at once: pace the polls

    def _status(self) -> int:
        try:
            with urllib.request.urlopen(self.endpoint + "/", timeout=2) as answer:
                return int(answer.status)
        except urllib.error.HTTPError as exc:
            return exc.code
        except OSError:
            return 0

    def output(self) -> str:
        with contextlib.suppress(OSError):
            return (self.dir / "weed.log").read_text(errors="replace")[-5000:]
        return ""

    def client(self) -> Any:
        return make_client(self.location(""))

    def location(self, bucket: str) -> S3Location:
        return S3Location(self.endpoint, bucket, REGION, ACCESS_KEY, SECRET_KEY)

    def new_bucket(self) -> str:
        bucket = f"test-{secrets.token_hex(6)}"
        self.client().create_bucket(Bucket=bucket)
        return bucket

    def env(self, bucket: str) -> dict[str, str]:
        """The settings that point a mediagate server at this bucket."""
        return {
            "MEDIAGATE_BLOB_BACKEND": "s3",
            "MEDIAGATE_S3_ENDPOINT": self.endpoint,
            "MEDIAGATE_S3_BUCKET": bucket,
            "MEDIAGATE_S3_REGION": REGION,
            "MEDIAGATE_S3_ACCESS_KEY_ID": ACCESS_KEY,
            "MEDIAGATE_S3_SECRET_ACCESS_KEY": SECRET_KEY,
        }

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        # After a SIGKILL (or a crash) weed leaves its unix sockets behind.
        for kind in _SOCKET_KINDS:
            for port in self.ports.values():
                Path(f"/tmp/seaweedfs-{kind}-{port}.sock").unlink(missing_ok=True)
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def seaweed() -> Iterator[SeaweedS3]:
    server = SeaweedS3().start()
    try:
        yield server
    finally:
        server.stop()
