"""What authentication and metrics cost: GetAttachment req/s and Upload MB/s with each on and
off, in one run, as ratios to the same server with both off.

    make bench-auth-metrics     (or: .venv/bin/python bench/auth_metrics_cost.py [--quick])

Five servers run side by side as child processes on loopback, all with the same settings but:
  quiet    metrics off, auth off, log level WARNING (no line per RPC): the floor
  bare     metrics off, auth off, one JSON log line per RPC (the default logging)
  metrics  the Prometheus metrics on (the default)
  auth     a callers file; every call carries a bearer token (hash lookup, scope check)
  both     metrics and auth, as production runs
Repetitions are interleaved across the servers (bare, metrics, auth, ..., bare, ...) so drift
on this 2-core machine hits all alike; medians are reported. Uploads change per repetition so
content-addressed dedupe never flatters one server.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import grpc

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.upload_throughput import requests  # noqa: E402
from tests.conftest import write_test_profiles  # noqa: E402
from tests.support.server_process import ServerProcess  # noqa: E402

from mediagate.auth.tokens import new_token, token_hash  # noqa: E402
from mediagate.client import Credentials, open_channel  # noqa: E402
from mediagate.v1 import attachment_service_pb2 as pb  # noqa: E402
from mediagate.v1 import attachment_service_pb2_grpc as pb_grpc  # noqa: E402

MIB = 1024 * 1024
RESULTS = ROOT / "bench" / "results"
TOKEN = new_token()
Stub = pb_grpc.AttachmentServiceStub
VARIANTS = {
    "quiet": {"MEDIAGATE_METRICS_ENABLED": "false", "MEDIAGATE_LOG_LEVEL": "WARNING"},
    "bare": {"MEDIAGATE_METRICS_ENABLED": "false"},
    "metrics": {},
    "auth": {"MEDIAGATE_METRICS_ENABLED": "false", "auth": "on"},
    "both": {"auth": "on"},
}


def csv_bytes(size: int, salt: int) -> bytes:
    row = f"{salt},2026-12-07T10:00:00Z,guest message attachment,42.5,ok\n".encode()
    return (row * (size // len(row) + 1))[:size]


def start(root: Path, name: str, variant: dict[str, str], callers: Path) -> ServerProcess:
    env = {k: v for k, v in variant.items() if k != "auth"}
    env["MEDIAGATE_PROFILES_FILE"] = str(write_test_profiles(root))
    env.setdefault("MEDIAGATE_LOG_LEVEL", "INFO")
    if variant.get("auth"):
        env["MEDIAGATE_AUTH_CALLERS_FILE"] = str(callers)
    return ServerProcess(root / name, env).start()


def token_for(variant: dict[str, str]) -> str:
    return TOKEN if variant.get("auth") else ""


def upload_mb_per_s(address: str, token: str, size: int, salt: int) -> float:
    with open_channel(address, Credentials(token=token)) as channel:
        stub = Stub(channel)
        messages = list(requests(csv_bytes(size, salt), MIB, "export.csv"))
        started = time.perf_counter()
        reply = stub.Upload(iter(messages), timeout=300)
        elapsed = time.perf_counter() - started
    assert reply.size_bytes == size, reply
    return size / MIB / elapsed


async def get_rps(address: str, token: str, name: str, seconds: float, callers: int) -> float:
    metadata = (("authorization", f"Bearer {token}"),) if token else ()
    async with grpc.aio.insecure_channel(address) as channel:
        stub = Stub(channel)
        request = pb.GetAttachmentRequest(name=name)
        done = 0
        deadline = time.perf_counter() + seconds

        async def caller() -> None:
            nonlocal done
            while time.perf_counter() < deadline:
                await stub.GetAttachment(request, metadata=metadata)
                done += 1

        started = time.perf_counter()
        await asyncio.gather(*(caller() for _ in range(callers)))
        return done / (time.perf_counter() - started)


def run(args: argparse.Namespace, root: Path) -> dict[str, object]:
    reps = 3 if args.quick else 5
    seconds = 2.0 if args.quick else 4.0
    size = (16 if args.quick else 32) * MIB
    callers = root / "callers.toml"
    callers.write_text(
        '[callers.bench]\ntenant = "bench"\n'
        'scopes = ["attachments.read", "attachments.write"]\n'
        f'tokens = ["{token_hash(TOKEN)}"]\n'
    )
    servers = {name: start(root, name, v, callers) for name, v in VARIANTS.items()}
    try:
        stored = {}
        for name, server in servers.items():
            with open_channel(server.address, Credentials(token=token_for(VARIANTS[name]))) as ch:
                messages = list(requests(csv_bytes(10 * 1024, 1), MIB, "small.csv"))
                stored[name] = Stub(ch).Upload(iter(messages), timeout=60).name
        gets: dict[str, list[float]] = {name: [] for name in servers}
        uploads: dict[str, list[float]] = {name: [] for name in servers}
        for rep in range(reps):
            for i, (name, server) in enumerate(servers.items()):
                token = token_for(VARIANTS[name])
                gets[name].append(
                    asyncio.run(get_rps(server.address, token, stored[name], seconds, 50))
                )
                uploads[name].append(upload_mb_per_s(server.address, token, size, rep * 10 + i))
            print(f"rep {rep + 1}/{reps} done", file=sys.stderr, flush=True)
    finally:
        for server in servers.values():
            server.kill()
    get_median = {name: statistics.median(v) for name, v in gets.items()}
    up_median = {name: statistics.median(v) for name, v in uploads.items()}
    return {
        "machine_cores": os.cpu_count(),
        "repetitions": reps,
        "get_attachment_rps_50_callers": {
            **{name: round(v) for name, v in get_median.items()},
            "ratio_to_bare": {
                name: round(v / get_median["bare"], 3) for name, v in get_median.items()
            },
        },
        f"upload_{size // MIB}MiB_MBps": {
            **{name: round(v, 1) for name, v in up_median.items()},
            "ratio_to_bare": {
                name: round(v / up_median["bare"], 3) for name, v in up_median.items()
            },
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer, shorter repetitions")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mediagate-auth-metrics-") as tmp:
        results = run(args, Path(tmp))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "auth_metrics.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
