"""Guests' media from Genesys Cloud against the local fake: imports per second with N events at
once, and the time from an event to its participant attributes, in one run.

    make bench-imports        (or: .venv/bin/python bench/imports.py [--quick] [--events N])

The fake (tests/fakes/genesys, in this process on its own loop) is the platform: it serves the
media URLs and the notifications websocket and records every attribute write with its time. One
real server runs as a child process with the event worker on (the default 4 inbox workers,
pacing off so the platform's rate limit is not what is measured).

Each round uses N small JPEGs (20 by default, each of its own bytes, ~10 KB), three ways, on
the same server, interleaved round by round so that all three see the same machine:
  upload      N concurrent gRPC Uploads of the bytes: the baseline, intake alone;
  url         N concurrent ImportFromUrl calls for the fake's URLs: intake plus the fetch;
  events      N events emitted at once (one conversation each), each to its participant
              attributes: the fetch, intake, the preview rendered and signed, the PATCH.
Throughput is N over the time from the first request (or event) to the last answer (or
attribute write). Latency of an event is its attribute write's time (the fake's clock) minus
the time it was emitted. Ratios are against the upload baseline of the same round.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fakes.genesys import FakeConversation, FakeGenesysThread  # noqa: E402
from tests.integration.test_inbound import TOPIC, inbound_env  # noqa: E402
from tests.samples import images  # noqa: E402
from tests.support.calls import upload  # noqa: E402
from tests.support.server_process import ServerProcess  # noqa: E402
from tests.support.waiting import eventually  # noqa: E402

from mediagate.v1 import attachment_service_pb2 as pb  # noqa: E402
from mediagate.v1 import attachment_service_pb2_grpc as pb_grpc  # noqa: E402

Stub = pb_grpc.AttachmentServiceStub


def photos(n: int, salt: int) -> list[bytes]:
    return [images.jpeg(160, 120, color=(salt * 7 % 256, i % 256, 30)) for i in range(n)]


def timed_concurrently(n: int, work: list) -> float:  # type: ignore[type-arg]
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=n) as pool:
        for result in pool.map(lambda job: job(), work):
            assert result is not None
    return time.perf_counter() - start


def upload_round(stub: Stub, data: list[bytes]) -> float:
    return timed_concurrently(
        len(data), [lambda d=d: upload(stub, d, "photo.jpg", "image/jpeg") for d in data]
    )


def url_round(fake: FakeGenesysThread, stub: Stub, data: list[bytes]) -> float:
    urls = [fake.host_media(d, "image/jpeg", "photo.jpg").url for d in data]
    return timed_concurrently(
        len(data),
        [lambda u=u: stub.ImportFromUrl(pb.ImportFromUrlRequest(url=u), timeout=120) for u in urls],
    )


def written_at(fake: FakeGenesysThread, conv: FakeConversation) -> float | None:
    for write in fake.attribute_writes():
        if write.conversation_id == conv.id and json.loads(
            write.attributes.get("mediagate.items", "[]")
        ):
            return write.time
    return None


def events_round(fake: FakeGenesysThread, data: list[bytes]) -> tuple[float, list[float]]:
    """(seconds for all, each event's seconds to its attributes)."""
    fake.wait_subscribed(TOPIC, within=60)
    jobs = [(fake.add_conversation(), fake.host_media(d, "image/jpeg", "photo.jpg")) for d in data]
    emitted: dict[str, float] = {}
    for conv, item in jobs:
        emitted[conv.id] = time.time()
        fake.emit_inbound_media(conv, [item], topic=TOPIC)
    eventually(lambda: all(written_at(fake, conv) is not None for conv, _ in jobs), within=300)
    done = {conv.id: written_at(fake, conv) or 0.0 for conv, _ in jobs}
    latencies = [done[c] - emitted[c] for c in emitted]
    return max(done.values()) - min(emitted.values()), latencies


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="5 events, one round")
    args = parser.parse_args()
    n, rounds = (5, 1) if args.quick else (args.events, args.rounds)

    with tempfile.TemporaryDirectory() as tmp, FakeGenesysThread() as fake:
        env = inbound_env(fake, MEDIAGATE_GENESYS_REQUESTS_PER_SECOND="0")
        with ServerProcess(Path(tmp) / "data", env) as server:
            stub = server.stub()
            # Warm-up, not counted: the SDK's background import, the lanes' first jobs.
            upload_round(stub, photos(2, 999))
            url_round(fake, stub, photos(2, 998))
            events_round(fake, photos(2, 997))
            results: dict[str, list[float]] = {"upload": [], "url": [], "events": []}
            latencies: list[float] = []
            for r in range(rounds):
                results["upload"].append(n / upload_round(stub, photos(n, 3 * r)))
                results["url"].append(n / url_round(fake, stub, photos(n, 3 * r + 1)))
                seconds, lat = events_round(fake, photos(n, 3 * r + 2))
                results["events"].append(n / seconds)
                latencies += lat

    base = statistics.median(results["upload"])
    print(f"{n} at once, {rounds} round(s), medians (per second; ratio to upload):")
    for name, label in (
        ("upload", "Upload (baseline)"),
        ("url", "ImportFromUrl"),
        ("events", "event -> attributes"),
    ):
        value = statistics.median(results[name])
        print(f"  {label:22s} {value:7.1f}/s   x{value / base:.2f}")
    print(
        f"event -> attributes written: p50 {percentile(latencies, 50) * 1000:.0f} ms, "
        f"p95 {percentile(latencies, 95) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms "
        f"({len(latencies)} events)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
