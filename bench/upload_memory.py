"""Server memory under a burst of uploads: 250 concurrent 9 MiB uploads, as an abusive (or just
busy) set of callers would send them.

    make bench-upload-memory          (or: .venv/bin/python bench/upload_memory.py [--tree DIR])

Reports the server's peak RSS (VmHWM, workers not included), its RSS at rest before the burst,
how many uploads were in flight at most (the server-wide admission limit, or all 250 for a
server without one), and so the RSS each upload in flight costs. Uploads refused with
RESOURCE_EXHAUSTED are retried after the delay RetryInfo gives, as a well-behaved client does,
so every one of the 250 is stored in the end. --tree runs another checkout's server (e.g. the
previous commit's, for a before/after in one session).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import grpc

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mediagate.client import error_details  # noqa: E402
from mediagate.v1 import attachment_service_pb2 as pb  # noqa: E402
from mediagate.v1 import attachment_service_pb2_grpc as pb_grpc  # noqa: E402

MIB = 1024 * 1024
UPLOADS = 250
SIZE = 9 * MIB
CONNECTIONS = 10


def start(tree: Path, data: Path) -> tuple[subprocess.Popen[str], str]:
    env = {
        **os.environ,
        "MEDIAGATE_HOST": "127.0.0.1",
        "MEDIAGATE_PORT": "0",
        "MEDIAGATE_DATA_DIR": str(data),
        "MEDIAGATE_WORKERS": "2",
        "MEDIAGATE_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(tree / "server"),
    }
    process = subprocess.Popen(
        [str(tree / ".venv" / "bin" / "python"), "-m", "mediagate", "serve"],
        env=env,
        cwd=tree,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    for line in process.stderr:
        match = re.search(r"listening on ([\d.]+):(\d+)", line)
        if match:
            threading.Thread(target=lambda: [None for _ in process.stderr], daemon=True).start()  # type: ignore[union-attr]
            return process, f"{match.group(1)}:{match.group(2)}"
    raise SystemExit(f"{tree}: the server did not start")


def status_kib(pid: int, field: str) -> int:
    text = Path(f"/proc/{pid}/status").read_text()
    return next(int(line.split()[1]) for line in text.splitlines() if line.startswith(field))


def requests(data: bytes, i: int) -> list[pb.UploadRequest]:
    head = pb.UploadHeader(
        file_name=f"burst-{i}.txt",
        declared_mime_type="text/plain",
        declared_size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    return [pb.UploadRequest(header=head)] + [
        pb.UploadRequest(chunk=data[o : o + MIB]) for o in range(0, len(data), MIB)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tree", type=Path, default=ROOT, help="the checkout whose server runs")
    args = parser.parse_args()
    line = b"burst " + os.urandom(20).hex().encode() + b"\n"
    base = (line * (SIZE // len(line) + 1))[:SIZE]
    with tempfile.TemporaryDirectory() as tmp:
        process, address = start(args.tree.resolve(), Path(tmp) / "data")
        channels = [
            grpc.insecure_channel(address, options=[("grpc.use_local_subchannel_pool", 1)])
            for _ in range(CONNECTIONS)
        ]
        stubs = [pb_grpc.AttachmentServiceStub(c) for c in channels]
        rest = status_kib(process.pid, "VmRSS")
        in_flight = 0
        most_in_flight = 0
        retries = 0
        lock = threading.Lock()

        start_together = threading.Barrier(UPLOADS)

        def send(i: int) -> str:
            nonlocal in_flight, most_in_flight, retries
            data = f"{i:08d}".encode() + base[8:]  # distinct bytes: no dedupe
            start_together.wait()  # a burst: all 250 open their streams at once
            while True:
                with lock:
                    in_flight += 1
                    most_in_flight = max(most_in_flight, in_flight)
                try:
                    return stubs[i % CONNECTIONS].Upload(iter(requests(data, i)), timeout=600).name
                except grpc.RpcError as error:
                    if error.code() != grpc.StatusCode.RESOURCE_EXHAUSTED:  # type: ignore[attr-defined]
                        raise
                    retries += 1
                    reasons = [d.reason for d in error_details(error)]  # type: ignore[arg-type]
                    assert reasons and reasons[0] in ("OVERLOADED", "TOO_MANY_UPLOADS"), reasons
                    time.sleep(0.5)
                finally:
                    with lock:
                        in_flight -= 1

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=UPLOADS) as pool:
            names = list(pool.map(send, range(UPLOADS)))
        seconds = time.perf_counter() - started
        peak = status_kib(process.pid, "VmHWM")
        process.terminate()
        process.wait(timeout=60)
        for channel in channels:
            channel.close()
    admitted = re.search(
        r"max_uploads: int = (\d+)", (args.tree / "server/mediagate/config.py").read_text()
    )
    limit = int(admitted.group(1)) if admitted else UPLOADS
    result = {
        "tree": str(args.tree),
        "uploads": len(names),
        "size_MiB": SIZE // MIB,
        "seconds": round(seconds, 1),
        "rss_at_rest_MiB": round(rest / 1024),
        "peak_rss_MiB": round(peak / 1024),
        "uploads_in_flight_at_most": min(limit, most_in_flight),
        "rss_per_upload_in_flight_MiB": round((peak - rest) / 1024 / min(limit, most_in_flight), 2),
        "client_calls_open_at_most": most_in_flight,
        "retries_after_resource_exhausted": retries,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
