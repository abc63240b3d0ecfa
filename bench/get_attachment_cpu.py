"""GetAttachment with 50 callers against one or more checkouts' servers, interleaved rounds:
requests per second and, less noisy on a shared VM, the server's CPU time per call.

    .venv/bin/python bench/get_attachment_cpu.py [TREE ...]     (default: this checkout)

Each TREE is a checkout with its own .venv (e.g. the previous commit in a git worktree), so a
before/after is measured in one run. ROUNDS (env, default 4) rounds of 5 s per server.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import grpc

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "server"))

from mediagate.v1 import attachment_service_pb2 as pb  # noqa: E402
from mediagate.v1 import attachment_service_pb2_grpc as pb_grpc  # noqa: E402

SECONDS = 5.0
CALLERS = 50


def start(tree: Path, data: str) -> tuple[subprocess.Popen[str], str]:
    env = {
        **os.environ,
        "MEDIAGATE_HOST": "127.0.0.1",
        "MEDIAGATE_PORT": "0",
        "MEDIAGATE_DATA_DIR": data,
        "MEDIAGATE_WORKERS": "2",
        "MEDIAGATE_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(tree / "server"),
    }
    process = subprocess.Popen(
        [str(tree / ".venv/bin/python"), "-m", "mediagate", "serve"],
        env=env,
        cwd=tree,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    for line in process.stderr:
        match = re.search(r"listening on ([\d.]+):(\d+)", line)
        if match:
            return process, f"{match.group(1)}:{match.group(2)}"
    raise SystemExit(f"{tree}: the server did not start")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def rate(address: str, name: str) -> float:
    async with grpc.aio.insecure_channel(address) as channel:
        stub = pb_grpc.AttachmentServiceStub(channel)
        done = 0
        deadline = time.perf_counter() + SECONDS

        async def caller() -> None:
            nonlocal done
            while time.perf_counter() < deadline:
                await stub.GetAttachment(pb.GetAttachmentRequest(name=name))
                done += 1

        started = time.perf_counter()
        await asyncio.gather(*(caller() for _ in range(CALLERS)))
        return done / (time.perf_counter() - started)


def upload(address: str) -> str:
    with grpc.insecure_channel(address) as channel:
        head = pb.UploadHeader(file_name="x.csv", declared_mime_type="text/csv")
        requests = [pb.UploadRequest(header=head), pb.UploadRequest(chunk=b"a,b\n" * 1000)]
        return pb_grpc.AttachmentServiceStub(channel).Upload(iter(requests), timeout=30).name


def median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def main() -> None:
    trees = [Path(t).resolve() for t in sys.argv[1:]] or [ROOT]
    rounds = int(os.environ.get("ROUNDS", "4"))
    with tempfile.TemporaryDirectory() as tmp:
        servers = {t: start(t, f"{tmp}/{i}") for i, t in enumerate(trees)}
        names = {t: upload(address) for t, (_, address) in servers.items()}
        rates: dict[Path, list[float]] = {t: [] for t in trees}
        cpu: dict[Path, list[float]] = {t: [] for t in trees}
        for _ in range(rounds):
            for tree, (process, address) in servers.items():
                before = cpu_seconds(process.pid)
                per_second = asyncio.run(rate(address, names[tree]))
                used = cpu_seconds(process.pid) - before
                rates[tree].append(per_second)
                cpu[tree].append(used / (per_second * SECONDS) * 1e6)
        for process, _ in servers.values():
            process.terminate()
            process.wait(timeout=30)
    for tree in trees:
        print(
            f"{tree}: {median(rates[tree]):.0f} req/s, server CPU {median(cpu[tree]):.0f} us per "
            f"call (medians of {rounds}; rounds: {[round(r) for r in rates[tree]]})"
        )


if __name__ == "__main__":
    main()
