"""Upload MB/s and previews/s with one and with two replicas against the same S3 (SeaweedFS) and
PostgreSQL, the embedded default (files + SQLite, one server) beside them, in one run.

    make bench-replicas       (or: .venv/bin/python bench/replicas.py [--quick])

Started here on loopback: a PostgreSQL 15 with its durable defaults (tests/support/postgres.py)
and SeaweedFS's `weed mini` (tests/support/seaweed.py; `make test-deps` builds it). Servers,
each a child process with the defaults but one setting: the worker lanes' sizes.
  embedded   MEDIAGATE_DATA_DIR only: files + SQLite
  one        one replica on the shared bucket and database
  two        two replicas on the same bucket and database, clients spread over both
Clients: CLIENTS threads at once, each with its own channel, the i-th on replica i % N.
  upload     each client sends one SIZE file in 1 MiB chunks (messages built before the
             clock); MB/s is all the bytes over the wall time from the first to the last
  previews   GetPreview of a 1600 x 1200 photo, every call a spec no call asked before (a
             distinct box), so no cache answers and each is a real render on a render worker
Repetitions are interleaved across the variants so drift hits all alike; medians reported,
each variant also as a ratio to embedded. Every upload's bytes are new (a salt), so content
addressing never turns one into a no-op.

On one machine the replicas share its cores (and SeaweedFS and PostgreSQL run on them too):
two replicas here measure what spreading costs, not what a second machine would add.
"""

from __future__ import annotations

import argparse
import base64
import itertools
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import grpc

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.upload_throughput import csv_bytes, requests  # noqa: E402
from tests.conftest import write_test_profiles  # noqa: E402
from tests.samples import images  # noqa: E402
from tests.support.postgres import running_postgres  # noqa: E402
from tests.support.seaweed import SeaweedS3  # noqa: E402
from tests.support.server_process import ServerProcess  # noqa: E402

from mediagate.v1 import attachment_service_pb2 as pb  # noqa: E402
from mediagate.v1 import attachment_service_pb2_grpc as pb_grpc  # noqa: E402
from mediagate.v1 import preview_pb2  # noqa: E402

MIB = 1024 * 1024
RESULTS = ROOT / "bench" / "results"
CLIENTS = 4
VARIANTS = ("embedded", "one", "two")
LAZY = '\n[profiles.lazy]\nextends = "web-messaging"\neager_previews = []\n'
_boxes = itertools.count(200)  # a box no call used before: every preview a real render


def start_servers(root: Path, shared: dict[str, str]) -> dict[str, list[ServerProcess]]:
    profiles = write_test_profiles(root)
    profiles.write_text(profiles.read_text() + LAZY)
    common = {"MEDIAGATE_PROFILES_FILE": str(profiles), "MEDIAGATE_LOG_LEVEL": "WARNING"}
    servers = {
        "embedded": [ServerProcess(root / "embedded", common)],
        "one": [ServerProcess(root / "one", {**common, **shared})],
        "two": [ServerProcess(root / f"two-{i}", {**common, **shared}) for i in range(2)],
    }
    everyone = [s for group in servers.values() for s in group]
    with ThreadPoolExecutor(len(everyone)) as starting:
        list(starting.map(ServerProcess.start, everyone))
    return servers


def spread(servers: list[ServerProcess]) -> list[grpc.Channel]:
    """A channel per client, the i-th to replica i % N (a load balancer's round robin)."""
    return [grpc.insecure_channel(servers[i % len(servers)].address) for i in range(CLIENTS)]


def at_once(
    channels: list[grpc.Channel], call: Callable[[int, pb_grpc.AttachmentServiceStub], object]
) -> float:
    """Runs call(i, stub) once per channel, all at the same time; the wall time in seconds."""
    stubs = [pb_grpc.AttachmentServiceStub(c) for c in channels]
    with ThreadPoolExecutor(len(stubs)) as clients:
        started = time.perf_counter()
        list(clients.map(call, range(len(stubs)), stubs))
        return time.perf_counter() - started


def upload_mb_per_s(servers: list[ServerProcess], size: int, salt: int) -> float:
    channels = spread(servers)
    try:
        batches = [
            list(requests(csv_bytes(size, salt * 100 + i), MIB, "export.csv"))
            for i in range(CLIENTS)
        ]

        def one(i: int, stub: pb_grpc.AttachmentServiceStub) -> None:
            reply = stub.Upload(iter(batches[i]), timeout=600)
            assert reply.size_bytes == size, reply

        seconds = at_once(channels, one)
    finally:
        for channel in channels:
            channel.close()
    return CLIENTS * size / MIB / seconds


def previews_per_s(servers: list[ServerProcess], source: str, per_client: int) -> float:
    channels = spread(servers)

    def many(_: int, stub: pb_grpc.AttachmentServiceStub) -> None:
        for _ in range(per_client):
            box = next(_boxes)
            spec = preview_pb2.PreviewSpec(max_width=box, max_height=box)
            answer = stub.GetPreview(pb.GetPreviewRequest(name=source, spec=spec), timeout=120)
            assert answer.content

    try:
        seconds = at_once(channels, many)
    finally:
        for channel in channels:
            channel.close()
    return CLIENTS * per_client / seconds


def upload_photo(server: ServerProcess, photo: bytes) -> str:
    head = pb.UploadHeader(file_name="photo.jpg", declared_size_bytes=len(photo), profile="lazy")
    messages = [pb.UploadRequest(header=head), pb.UploadRequest(chunk=photo)]
    return str(server.stub().Upload(iter(messages), timeout=60).name)


def run(args: argparse.Namespace, root: Path) -> dict[str, object]:
    reps = 2 if args.quick else 3
    size = (8 if args.quick else 16) * MIB
    per_client = 4 if args.quick else 8
    with running_postgres(durable=True) as postgres:
        seaweed = SeaweedS3().start()
        try:
            shared = {
                **seaweed.env(seaweed.new_bucket()),
                "MEDIAGATE_CATALOG_BACKEND": "postgres",
                "MEDIAGATE_POSTGRES_DSN": postgres.fresh_database(),
                # Replicas sign URLs with one key, as deployed.
                "MEDIAGATE_URL_SIGNING_KEYS": f"k1:{base64.b64encode(bytes(range(32))).decode()}",
            }
            servers = start_servers(root, shared)
            try:
                photo = images.jpeg_textured(1600, 1200, exif_orientation=0)
                # The photo's attachment in each variant's catalog (one and two share theirs).
                sources = {name: upload_photo(group[0], photo) for name, group in servers.items()}
                uploads: dict[str, list[float]] = {name: [] for name in VARIANTS}
                renders: dict[str, list[float]] = {name: [] for name in VARIANTS}
                salt = itertools.count(1)
                for rep in range(reps):
                    for name in VARIANTS:
                        group = servers[name]
                        uploads[name].append(upload_mb_per_s(group, size, next(salt)))
                        renders[name].append(previews_per_s(group, sources[name], per_client))
                    print(f"rep {rep + 1}/{reps} done", file=sys.stderr, flush=True)
            finally:
                for group in servers.values():
                    for server in group:
                        server.kill()
        finally:
            seaweed.stop()
    up = {name: statistics.median(v) for name, v in uploads.items()}
    pv = {name: statistics.median(v) for name, v in renders.items()}
    return {
        "machine_cores": os.cpu_count(),
        "repetitions": reps,
        "clients": CLIENTS,
        f"upload_{size // MIB}MiB_x{CLIENTS}_MBps": {
            **{name: round(v, 1) for name, v in up.items()},
            "ratio_to_embedded": {name: round(v / up["embedded"], 3) for name, v in up.items()},
        },
        "previews_per_s_1600x1200_jpeg": {
            **{name: round(v, 2) for name, v in pv.items()},
            "ratio_to_embedded": {name: round(v / pv["embedded"], 3) for name, v in pv.items()},
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer, smaller repetitions")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mediagate-replicas-") as tmp:
        results = run(args, Path(tmp))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "replicas.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
