"""Upload throughput and unary request rates: mediagate against bare grpc.aio sinks, one run.

    make bench-upload          (or: .venv/bin/python bench/upload_throughput.py [--quick])

Three servers run as child processes on loopback and are driven by the same client code:
  bare_hash     a grpc.aio sink that only hashes (the ceiling of this stack, no storage),
  bare_durable  the same sink also writing each upload to a file and fsyncing it, on the same
                filesystem as mediagate's data directory (the ceiling of any durable upload),
  mediagate     the full Upload path: spool, hash, sniff, probe in a worker, fsync, commit.
Repetitions are interleaved (bare, durable, mediagate, bare, ...) so that drift in this
machine's I/O hits all three alike, and medians are reported. Files are changed per
repetition so content-addressed dedupe never flatters mediagate.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import grpc

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import write_test_profiles  # noqa: E402
from tests.support.server_process import ServerProcess  # noqa: E402

from mediagate.v1 import attachment_service_pb2 as pb  # noqa: E402
from mediagate.v1 import attachment_service_pb2_grpc as pb_grpc  # noqa: E402

MIB = 1024 * 1024
RESULTS = ROOT / "bench" / "results"
Stub = pb_grpc.AttachmentServiceStub


def csv_bytes(size: int, salt: int) -> bytes:
    """A CSV export of `size` bytes: a realistic large upload that the profiles accept."""
    row = f"{salt},2026-11-22T10:00:00Z,guest message attachment,42.5,ok\n".encode()
    return (row * (size // len(row) + 1))[:size]


def requests(data: bytes, chunk: int, name: str) -> Iterator[pb.UploadRequest]:
    yield pb.UploadRequest(
        header=pb.UploadHeader(
            file_name=name,
            declared_mime_type="text/csv",
            declared_size_bytes=len(data),
            profile="big",
        )
    )
    view = memoryview(data)
    for offset in range(0, len(data), chunk):
        yield pb.UploadRequest(chunk=bytes(view[offset : offset + chunk]))


def one_upload_mb_per_s(stub: Stub, size: int, chunk: int, salt: int) -> float:
    messages = list(requests(csv_bytes(size, salt), chunk, "export.csv"))  # before the clock
    start = time.perf_counter()
    reply = stub.Upload(iter(messages), timeout=300)
    elapsed = time.perf_counter() - start
    assert reply.size_bytes == size, reply
    return size / MIB / elapsed


def interleaved(stubs: dict[str, Stub], size: int, chunk: int, reps: int) -> dict[str, float]:
    rates: dict[str, list[float]] = {name: [] for name in stubs}
    for rep in range(reps):
        for i, (name, stub) in enumerate(stubs.items()):
            rates[name].append(one_upload_mb_per_s(stub, size, chunk, rep * 100 + i))
    return {name: statistics.median(values) for name, values in rates.items()}


async def unary_rps(
    address: str, call: Callable[[Stub], Awaitable[object]], seconds: float, concurrency: int
) -> float:
    async with grpc.aio.insecure_channel(address) as channel:
        stub = pb_grpc.AttachmentServiceStub(channel)
        done = 0
        deadline = time.perf_counter() + seconds

        async def caller() -> None:
            nonlocal done
            while time.perf_counter() < deadline:
                await call(stub)
                done += 1

        start = time.perf_counter()
        await asyncio.gather(*(caller() for _ in range(concurrency)))
        return done / (time.perf_counter() - start)


def start_bare_sink(spool_dir: Path | None = None) -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, str(ROOT / "bench" / "bare_sink.py")]
    if spool_dir is not None:
        spool_dir.mkdir(parents=True, exist_ok=True)
        command += ["--spool-dir", str(spool_dir)]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    assert process.stderr
    line = process.stderr.readline()
    return process, line.rsplit(" ", 1)[-1].strip()


def run(args: argparse.Namespace, root: Path) -> dict[str, object]:
    reps_10, reps_100 = (3, 2) if args.quick else (7, 5)
    seconds = 2.0 if args.quick else 5.0
    chunk = 1024 * 1024  # the recommended size; the sweep below shows why
    results: dict[str, object] = {"machine_cores": os.cpu_count(), "data_root": str(root)}
    profiles = write_test_profiles(root)
    env = {"MEDIAGATE_PROFILES_FILE": str(profiles), "MEDIAGATE_LOG_LEVEL": "WARNING"}
    server = ServerProcess(root / "data", env)
    sinks = [start_bare_sink(), start_bare_sink(root / "sink")]
    try:
        server.start()
        stubs = {
            "bare_hash": Stub(grpc.insecure_channel(sinks[0][1])),
            "bare_durable": Stub(grpc.insecure_channel(sinks[1][1])),
            "mediagate": server.stub(),
        }
        for size_mib, reps in ((10, reps_10), (100, reps_100)):
            rates = interleaved(stubs, size_mib * MIB, chunk, reps)
            results[f"upload_{size_mib}MiB_MBps"] = {
                **{name: round(rate, 1) for name, rate in rates.items()},
                "ratio_to_bare_hash": round(rates["mediagate"] / rates["bare_hash"], 3),
                "ratio_to_bare_durable": round(rates["mediagate"] / rates["bare_durable"], 3),
            }
            print(f"{size_mib} MiB: {results[f'upload_{size_mib}MiB_MBps']}", file=sys.stderr)
        # Both sides at every chunk size, so "mediagate at its best size against the bare sink
        # at its best size" can be read off as well as the same-size ratio.
        sweep = {}
        pair = {"bare_hash": stubs["bare_hash"], "mediagate": stubs["mediagate"]}
        for chunk_kib in (16, 64, 256, 1024):
            rates = interleaved(pair, 32 * MIB, chunk_kib * 1024, reps_100)
            sweep[f"{chunk_kib}KiB"] = {name: round(rate, 1) for name, rate in rates.items()}
        results["upload_32MiB_MBps_by_chunk"] = sweep
        best_bare = max(v["bare_hash"] for v in sweep.values())
        best_mg = max(v["mediagate"] for v in sweep.values())
        results["best_chunk_ratio"] = round(best_mg / best_bare, 3)

        small_messages = list(requests(csv_bytes(10 * 1024, 7), chunk, "small.csv"))
        stored = stubs["mediagate"].Upload(iter(small_messages), timeout=30)

        async def validate(stub: Stub) -> None:
            await stub.Validate(iter(small_messages))

        async def get_attachment(stub: Stub) -> None:
            await stub.GetAttachment(pb.GetAttachmentRequest(name=stored.name))

        bare_get = asyncio.run(unary_rps(sinks[0][1], get_attachment, seconds, 50))
        mg_get = asyncio.run(unary_rps(server.address, get_attachment, seconds, 50))
        results["get_attachment_rps_50_callers"] = {
            "bare_unary": round(bare_get),
            "mediagate": round(mg_get),
            "ratio": round(mg_get / bare_get, 3),
        }
        results["validate_10KiB_csv_rps_8_callers"] = round(
            asyncio.run(unary_rps(server.address, validate, seconds, 8))
        )
        results["server_peak_rss_MiB"] = round(server.peak_rss_bytes() / MIB)
    finally:
        server.kill()
        for process, _ in sinks:
            process.terminate()
            process.wait()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument(
        "--data-root", default=None, help="where data and sink files go (default: system temp)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.data_root) as tmp:
        results = run(args, Path(tmp))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "upload.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
