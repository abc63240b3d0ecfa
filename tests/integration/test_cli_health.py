"""`mediagate health`, what the container image's HEALTHCHECK runs, against a live server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

from mediagate.cli import local_server_address
from tests.support.server_process import ServerProcess


def health(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mediagate", *args],
        capture_output=True,
        text=True,
        timeout=30,
        env={
            "PATH": "/usr/bin:/bin",
            **{k: v for k, v in os.environ.items() if k == "PYTHONPATH"},
            **env,
        },
    )


def test_serving_server_is_healthy(server: ServerProcess) -> None:
    done = health("--server", server.address, "health")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{server.address}: SERVING"


def test_without_server_it_asks_the_servers_own_host_and_port_on_loopback(
    server: ServerProcess,
) -> None:
    # As in the image: the server binds every interface, the check runs beside it.
    port = server.address.rsplit(":", 1)[1]
    done = health("health", MEDIAGATE_HOST="0.0.0.0", MEDIAGATE_PORT=port)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"127.0.0.1:{port}: SERVING"


def test_unknown_service_is_unhealthy(server: ServerProcess) -> None:
    done = health("--server", server.address, "health", "--service", "no.such.Service")
    assert done.returncode == 1
    assert "NOT_FOUND" in done.stderr


def test_nothing_listening_fails_within_the_timeout() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    started = time.monotonic()
    done = health("health", "--timeout", "1", MEDIAGATE_HOST="127.0.0.1", MEDIAGATE_PORT=str(port))
    assert done.returncode == 1
    assert "UNAVAILABLE" in done.stderr
    assert time.monotonic() - started < 15


def test_wildcard_hosts_are_reached_on_loopback() -> None:
    assert local_server_address("0.0.0.0", "50051") == "127.0.0.1:50051"
    assert local_server_address("::", "50051") == "[::1]:50051"
    assert local_server_address("10.1.2.3", "7") == "10.1.2.3:7"
    assert local_server_address("::1", "7") == "[::1]:7"
