"""Media endpoint throughput: mediagate's signed-URL GET against a bare aiohttp static file
handler, in one run.

    make bench-media          (or: .venv/bin/python bench/media_endpoint.py [--quick])

Two servers run as child processes on loopback and are driven by the same aiohttp client:
  baseline   a bare aiohttp app whose handler is web.FileResponse over the same bytes in a file
             (sendfile, no signature, no catalog): the ceiling of this HTTP stack;
  mediagate  the full path: verify the HMAC, read the catalog row, stream the blob a chunk at a
             time through the store's reads (http/media.py).
Measured: GET throughput in MB/s for a 10 MiB attachment (one client, sequential; and a few
concurrent clients), and requests per second for a 4 KiB file with N concurrent clients over
keep-alive connections. Each figure is the median of interleaved repetitions (baseline,
mediagate, baseline, ...), so drift hits both alike. The client is Python too and shares the
machine's cores with the servers, so absolute figures are a floor; the ratio is the point.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp
from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import write_test_profiles  # noqa: E402
from tests.support.calls import upload  # noqa: E402
from tests.support.server_process import ServerProcess  # noqa: E402

from mediagate.v1 import delivery_pb2  # noqa: E402

MIB = 1024 * 1024
MB = 1_000_000
RESULTS = ROOT / "bench" / "results"
BIG = 10 * MIB
SMALL = 4 * 1024


def csv_bytes(size: int, salt: int) -> bytes:
    row = f"{salt},2026-11-22T10:00:00Z,guest message attachment,42.5,ok\n".encode()
    return (row * (size // len(row) + 1))[:size]


# --- the baseline server (a child process: `media_endpoint.py --serve-baseline DIR`) ----------


def serve_baseline(directory: Path) -> None:
    async def handler(request: web.Request) -> web.StreamResponse:
        return web.FileResponse(directory / request.match_info["name"])

    async def main() -> None:
        app = web.Application()
        app.router.add_get("/{name}", handler)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        print(f"listening {runner.addresses[0][1]}", flush=True)
        await asyncio.Event().wait()

    asyncio.run(main())


def start_baseline(directory: Path) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, __file__, "--serve-baseline", str(directory)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout
    port = process.stdout.readline().split()[-1]
    return process, f"http://127.0.0.1:{port}"


# --- the client ------------------------------------------------------------------------------


async def get(session: aiohttp.ClientSession, url: str, expected: int) -> int:
    async with session.get(url) as response:
        assert response.status == 200, response.status
        received = 0
        async for block in response.content.iter_chunked(256 * 1024):
            received += len(block)
    assert received == expected, (received, expected)
    return received


async def throughput_mbps(url: str, size: int, clients: int, per_client: int) -> float:
    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(connector=connector) as session:
        await get(session, url, size)  # warm the connection and the server's caches

        async def client() -> int:
            return sum([await get(session, url, size) for _ in range(per_client)])

        start = time.perf_counter()
        total = sum(await asyncio.gather(*(client() for _ in range(clients))))
        return total / MB / (time.perf_counter() - start)


async def requests_per_second(url: str, size: int, clients: int, seconds: float) -> float:
    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(connector=connector) as session:
        await asyncio.gather(*(get(session, url, size) for _ in range(clients)))  # warm
        done = 0
        deadline = time.perf_counter() + seconds

        async def client() -> None:
            nonlocal done
            while time.perf_counter() < deadline:
                await get(session, url, size)
                done += 1

        start = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(clients)))
        return done / (time.perf_counter() - start)


def interleaved(
    urls: dict[str, str], measure: Callable[[str], Awaitable[float]], reps: int
) -> dict[str, float]:
    values: dict[str, list[float]] = {name: [] for name in urls}
    for _ in range(reps):
        for name, url in urls.items():
            values[name].append(asyncio.run(measure(url)))
    return {name: statistics.median(v) for name, v in values.items()}


def run(args: argparse.Namespace, root: Path) -> dict[str, object]:
    reps = 3 if args.quick else 5
    seconds = 2.0 if args.quick else 4.0
    big, small = csv_bytes(BIG, 1), csv_bytes(SMALL, 2)
    files = root / "baseline"
    files.mkdir()
    (files / "big.csv").write_bytes(big)
    (files / "small.csv").write_bytes(small)
    profiles = write_test_profiles(root)
    env = {"MEDIAGATE_PROFILES_FILE": str(profiles), "MEDIAGATE_LOG_LEVEL": "WARNING"}
    server = ServerProcess(root / "data", env)
    baseline, baseline_url = start_baseline(files)
    results: dict[str, object] = {"machine_cores": os.cpu_count()}
    try:
        server.start()
        stub = server.stub()
        urls: dict[str, dict[str, str]] = {}
        for key, data in (("big", big), ("small", small)):
            stored = upload(stub, data, f"{key}.csv", "text/csv", profile="big")
            assert stored.sha256 == hashlib.sha256(data).hexdigest()
            link = stub.CreateSignedUrl(
                delivery_pb2.CreateSignedUrlRequest(name=stored.name), timeout=30
            )
            urls[key] = {"baseline": f"{baseline_url}/{key}.csv", "mediagate": link.url}

        def row(label: str, rates: dict[str, float], unit: str) -> None:
            ratio = rates["mediagate"] / rates["baseline"]
            results[label] = {
                "baseline": round(rates["baseline"], 1),
                "mediagate": round(rates["mediagate"], 1),
                "ratio": round(ratio, 3),
                "unit": unit,
            }
            print(f"{label}: {results[label]}", file=sys.stderr)

        row(
            "get_10MiB_sequential_MBps",
            interleaved(urls["big"], lambda u: throughput_mbps(u, BIG, 1, 8), reps),
            "MB/s",
        )
        row(
            "get_10MiB_4_concurrent_MBps",
            interleaved(urls["big"], lambda u: throughput_mbps(u, BIG, 4, 4), reps),
            "MB/s",
        )
        for clients in (1, 16):
            row(
                f"get_4KiB_rps_{clients}_clients",
                interleaved(
                    urls["small"],
                    lambda u, c=clients: requests_per_second(u, SMALL, c, seconds),  # type: ignore[misc]
                    reps,
                ),
                "requests/s",
            )
        results["server_peak_rss_MiB"] = round(server.peak_rss_bytes() / MIB)
    finally:
        server.kill()
        baseline.terminate()
        baseline.wait()
    return results


def table(results: dict[str, object]) -> str:
    lines = [f"{'measure':32} {'baseline':>10} {'mediagate':>10} {'ratio':>7}  unit"]
    for label, value in results.items():
        if isinstance(value, dict):
            lines.append(
                f"{label:32} {value['baseline']:>10} {value['mediagate']:>10} "
                f"{value['ratio']:>7}  {value['unit']}"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, shorter runs")
    parser.add_argument("--serve-baseline", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_baseline:
        serve_baseline(args.serve_baseline)
        return
    with tempfile.TemporaryDirectory() as tmp:
        results = run(args, Path(tmp))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "media_endpoint.json").write_text(json.dumps(results, indent=2))
    print(table(results))
    print(
        f"server peak RSS: {results['server_peak_rss_MiB']} MiB; cores: {results['machine_cores']}"
    )


if __name__ == "__main__":
    main()
