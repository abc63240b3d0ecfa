"""Upload throughput and unary request rates: mediagate against a bare grpc.aio sink, one run.

    make bench-upload          (or: .venv/bin/python bench/upload_throughput.py --quick)

Both servers run as child processes on loopback and are driven by the same client code, so the
ratio mediagate / bare sink is what this machine's numbers mean. Files are made in memory and
changed per repetition so content-addressed dedupe never flatters mediagate.
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
from collections.abc import Iterator
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


def csv_bytes(size: int, salt: int) -> bytes:
    """A CSV export of `size` bytes: the realistic large upload that the profiles accept."""
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


def upload_mb_per_s(
    stub: pb_grpc.AttachmentServiceStub, size: int, chunk: int, reps: int, salt0: int
) -> float:
    rates = []
    for rep in range(reps):
        data = csv_bytes(size, salt0 + rep)
        messages = list(requests(data, chunk, "export.csv"))  # built before the clock starts
        start = time.perf_counter()
        reply = stub.Upload(iter(messages), timeout=300)
        elapsed = time.perf_counter() - start
        assert reply.size_bytes == size, reply
        rates.append(size / MIB / elapsed)
    return statistics.median(rates)


async def unary_rps(address: str, make_call, seconds: float, concurrency: int) -> float:  # type: ignore[no-untyped-def]
    async with grpc.aio.insecure_channel(address) as channel:
        stub = pb_grpc.AttachmentServiceStub(channel)
        done = 0
        deadline = time.perf_counter() + seconds

        async def caller() -> None:
            nonlocal done
            while time.perf_counter() < deadline:
                await make_call(stub)
                done += 1

        start = time.perf_counter()
        await asyncio.gather(*(caller() for _ in range(concurrency)))
        return done / (time.perf_counter() - start)


def start_bare_sink() -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "bare_sink.py")],
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr
    line = process.stderr.readline()
    return process, line.rsplit(" ", 1)[-1].strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (CI smoke)")
    args = parser.parse_args()
    reps_10, reps_100 = (2, 1) if args.quick else (5, 3)
    seconds = 2.0 if args.quick else 5.0
    chunk = 256 * 1024
    results: dict[str, object] = {"machine_cores": os.cpu_count()}

    bare, bare_address = start_bare_sink()
    with tempfile.TemporaryDirectory() as tmp:
        profiles = write_test_profiles(Path(tmp))
        server = ServerProcess(
            Path(tmp) / "data",
            {"MEDIAGATE_PROFILES_FILE": str(profiles), "MEDIAGATE_LOG_LEVEL": "WARNING"},
        )
        server.start()
        try:
            bare_stub = pb_grpc.AttachmentServiceStub(grpc.insecure_channel(bare_address))
            mg_stub = server.stub()
            for size_mib, reps in ((10, reps_10), (100, reps_100)):
                size = size_mib * MIB
                bare_rate = upload_mb_per_s(bare_stub, size, chunk, reps, 0)
                mg_rate = upload_mb_per_s(mg_stub, size, chunk, reps, 1000 + size_mib)
                results[f"upload_{size_mib}MiB"] = {
                    "bare_sink_MBps": round(bare_rate, 1),
                    "mediagate_MBps": round(mg_rate, 1),
                    "ratio": round(mg_rate / bare_rate, 3),
                }
            sweep = {}
            for chunk_kib in (16, 64, 256, 1024):
                sweep[f"{chunk_kib}KiB"] = round(
                    upload_mb_per_s(
                        mg_stub, 32 * MIB, chunk_kib * 1024, reps_100, 5000 + chunk_kib
                    ),
                    1,
                )
            results["mediagate_32MiB_MBps_by_chunk"] = sweep

            small = csv_bytes(10 * 1024, 7)
            small_messages = list(requests(small, chunk, "small.csv"))
            stored = mg_stub.Upload(iter(small_messages), timeout=30)

            async def validate(stub: pb_grpc.AttachmentServiceStub) -> None:
                await stub.Validate(iter(small_messages))

            async def get_attachment(stub: pb_grpc.AttachmentServiceStub) -> None:
                await stub.GetAttachment(pb.GetAttachmentRequest(name=stored.name))

            bare_get = asyncio.run(unary_rps(bare_address, get_attachment, seconds, 50))
            mg_get = asyncio.run(unary_rps(server.address, get_attachment, seconds, 50))
            mg_validate = asyncio.run(unary_rps(server.address, validate, seconds, 8))
            results["get_attachment_rps"] = {
                "bare_unary_rps": round(bare_get),
                "mediagate_rps": round(mg_get),
                "ratio": round(mg_get / bare_get, 3),
            }
            results["validate_10KiB_csv_rps"] = round(mg_validate)
            results["server_peak_rss_MiB"] = round(server.peak_rss_bytes() / MIB)
        finally:
            server.terminate()
            bare.terminate()
            bare.wait()

    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "upload.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
