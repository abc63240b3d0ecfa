"""Delivery into Genesys Cloud against the local fake: deliveries per second, HTTP calls per
delivery, and the cost of a 429 with Retry-After: 2, in one run.

    make bench-delivery        (or: .venv/bin/python bench/delivery.py [--quick] [--concurrency N])

The fake (tests/fakes/genesys, in this process on its own loop) is the platform; two real
servers run as child processes against it, both started (and warmed up) at once:
  paced     the default pacing: MEDIAGATE_GENESYS_REQUESTS_PER_SECOND 5, burst 20 (the
            platform's 300 requests a minute per OAuth client),
  unpaced   MEDIAGATE_GENESYS_REQUESTS_PER_SECOND=0.
Warm-up: one delivery of each method per server, not counted (the first one waits for the
server's background import of the Genesys SDK, ~15 s).

Throughput: N concurrent deliveries (20 by default) of each method, each of its own small
JPEG uploaded beforehand: UPLOAD into N conversations, OPEN_MESSAGING from N senders. Each
delivery is a thread that calls DeliverAttachment and then follows WatchDelivery to the final
state; the time is from the first DeliverAttachment to the last DELIVERED. There is no bare
counterpart worth measuring (the fake answers in about a millisecond), so the reference is the
floor the server's own schedule sets, computed from this run's call counts:
  floor = max(first status check, (N x paced calls per delivery - burst) / rate)
The first status check comes 1 s after the PUT (UPLOAD) or the inbound message
(OPEN_MESSAGING); every platform call but the PUT to the upload URL takes a token from the
bucket, which starts full (the bench waits burst / rate before each paced round).

HTTP calls per delivery: the fake's call log (by operation) over the throughput rounds, and its
crawler's GETs of mediagate's media endpoint.

429: one delivery whose create_media_upload (UPLOAD) or inbound_open_message (OPEN_MESSAGING)
is answered 429 Retry-After: 2 once, against the same delivery without it, interleaved in the
same run on the paced server; the difference isolates the wait.

--quick (a smoke run, well under 90 s): the paced server only, 5 at once, one round each.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fakes.genesys import FakeConversation, FakeGenesysThread  # noqa: E402
from tests.samples import images  # noqa: E402
from tests.support.calls import upload  # noqa: E402
from tests.support.server_process import ServerProcess  # noqa: E402

from mediagate.v1 import attachment_pb2 as apb  # noqa: E402
from mediagate.v1 import attachment_service_pb2_grpc as pb_grpc  # noqa: E402
from mediagate.v1 import delivery_pb2 as dpb  # noqa: E402

RESULTS = ROOT / "bench" / "results"
Stub = pb_grpc.AttachmentServiceStub
S = dpb.DeliveryState
DELIVERED = S.Value("DELIVERY_STATE_DELIVERED")
FINAL = {DELIVERED, S.Value("DELIVERY_STATE_FAILED"), S.Value("DELIVERY_STATE_CANCELLED")}
METHODS = {
    "UPLOAD": dpb.DELIVERY_METHOD_UPLOAD,
    "OPEN_MESSAGING": dpb.DELIVERY_METHOD_OPEN_MESSAGING,
}
LIMITED_OP = {"UPLOAD": "create_media_upload", "OPEN_MESSAGING": "inbound_open_message"}

# The server's defaults (config.py), which the paced server runs with.
RATE = 5.0
BURST = 20
POLL_FIRST = 1.0
RETRY_AFTER = 2
UNPACED_OPS = {"put_upload"}  # the PUT to the presigned upload URL skips the token bucket


@dataclass
class Timed:
    started: float
    ended: float
    final: dpb.Delivery

    @property
    def seconds(self) -> float:
        return self.ended - self.started


@dataclass
class Round:
    wall: float
    latencies: list[float]
    failures: list[str]
    ops: Counter[str]
    statuses: Counter[str]
    crawler_fetches: int


@dataclass
class Server:
    label: str
    process: ServerProcess
    paced: bool
    last_round_end: float = field(default=0.0)


def server_env(fake: FakeGenesysThread, paced: bool) -> dict[str, str]:
    """tests/integration/test_deliveries.py's env, minus its test-only short budgets."""
    env = {
        "MEDIAGATE_GENESYS_CLIENT_ID": "mediagate-test",
        "MEDIAGATE_GENESYS_CLIENT_SECRET": "s3cret",
        "MEDIAGATE_GENESYS_BASE_URL": fake.base_url,
        "MEDIAGATE_GENESYS_INTEGRATION_ID": fake.integration_id,
        "MEDIAGATE_MEDIA_PORT": "0",
        "MEDIAGATE_METRICS_PORT": "0",
        "MEDIAGATE_LOG_LEVEL": "WARNING",
    }
    if not paced:
        env["MEDIAGATE_GENESYS_REQUESTS_PER_SECOND"] = "0"
    return env


def photo(stub: Stub, salt: int) -> apb.Attachment:
    """A small JPEG (a few KB) whose bytes differ by salt, so nothing is shared between them."""
    color = (salt * 37 % 256, salt * 91 % 256, 200)
    return upload(stub, images.jpeg(320 + salt % 97, 240, color), f"photo-{salt}.jpg", "image/jpeg")


def request_for(
    attachment: apb.Attachment, conversation: FakeConversation, method: str
) -> dpb.DeliverAttachmentRequest:
    request = dpb.DeliverAttachmentRequest(
        name=attachment.name, conversation_id=conversation.id, method=METHODS[method]
    )
    if method == "OPEN_MESSAGING":
        request.sender.id = conversation.from_id
    return request


def deliver_and_watch(stub: Stub, request: dpb.DeliverAttachmentRequest) -> Timed:
    started = time.perf_counter()
    delivery = stub.DeliverAttachment(request, timeout=30)
    last = delivery
    if delivery.state not in FINAL:
        for update in stub.WatchDelivery(dpb.WatchDeliveryRequest(name=delivery.name), timeout=180):
            last = update
            if update.state in FINAL:
                break
    return Timed(started, time.perf_counter(), last)


def failure_of(timed: Timed) -> str | None:
    if timed.final.state == DELIVERED:
        return None
    failure = timed.final.failure
    return f"{S.Name(timed.final.state)} {failure.reason} {failure.message}"


_senders = iter(range(1_000_000))


def conversation(fake: FakeGenesysThread, method: str) -> FakeConversation:
    if method == "OPEN_MESSAGING":
        return fake.add_conversation(from_id=f"bench-guest-{next(_senders)}")
    return fake.add_conversation()


def refill(server: Server) -> None:
    """A paced server's bucket is full again burst / rate after its last call."""
    if server.paced:
        wait = server.last_round_end + BURST / RATE - time.perf_counter()
        if wait > 0:
            time.sleep(wait)


def one_round(fake: FakeGenesysThread, server: Server, method: str, n: int, salt: int) -> Round:
    stub = server.process.stub()
    requests = [
        request_for(photo(stub, salt + i), conversation(fake, method), method) for i in range(n)
    ]
    refill(server)
    calls_before, fetches_before = len(fake.calls), len(fake.crawler_fetches)
    gate = threading.Barrier(n)

    def one(request: dpb.DeliverAttachmentRequest) -> Timed:
        gate.wait()
        return deliver_and_watch(stub, request)

    with ThreadPoolExecutor(n) as pool:
        timed = list(pool.map(one, requests))
    server.last_round_end = time.perf_counter()
    calls = fake.calls[calls_before:]
    return Round(
        wall=max(t.ended for t in timed) - min(t.started for t in timed),
        latencies=[t.seconds for t in timed],
        failures=[f for f in map(failure_of, timed) if f],
        ops=Counter(c.op for c in calls),
        statuses=Counter(f"{c.op} {c.status}" for c in calls if c.status >= 300),
        crawler_fetches=len(fake.crawler_fetches) - fetches_before,
    )


def warm_up(fake: FakeGenesysThread, servers: list[Server]) -> None:
    def both(server: Server) -> None:
        stub = server.process.stub()
        for method in METHODS:
            timed = deliver_and_watch(
                stub, request_for(photo(stub, 0), conversation(fake, method), method)
            )
            if failure_of(timed):
                raise SystemExit(f"warm-up on {server.label} failed: {failure_of(timed)}")
        server.last_round_end = time.perf_counter()

    with ThreadPoolExecutor(len(servers)) as pool:
        list(pool.map(both, servers))


def limited(fake: FakeGenesysThread, server: Server, method: str, reps: int) -> dict[str, object]:
    """Interleaved: a plain delivery, then one whose first `op` call gets 429 Retry-After: 2."""
    stub = server.process.stub()
    op = LIMITED_OP[method]
    plain: list[float] = []
    slowed: list[float] = []
    gaps: list[float] = []
    for rep in range(reps):
        for with_429 in (False, True):
            request = request_for(
                photo(stub, 1000 + rep * 2 + with_429), conversation(fake, method), method
            )
            before = len(fake.calls)
            if with_429:
                fake.fail(op, 429, times=1, retry_after=RETRY_AFTER)
            timed = deliver_and_watch(stub, request)
            if failure_of(timed):
                raise SystemExit(f"{method} delivery (429: {with_429}) failed: {failure_of(timed)}")
            (slowed if with_429 else plain).append(timed.seconds)
            if with_429:
                tries = [c for c in fake.calls[before:] if c.op == op]
                assert [c.status for c in tries] == [429, 200], tries
                gaps.append(tries[1].time - tries[0].time)
    without, with_ = statistics.median(plain), statistics.median(slowed)
    return {
        "op": op,
        "without_429_s": round(without, 2),
        "with_429_s": round(with_, 2),
        "difference_s": round(with_ - without, 2),
        "ratio": round(with_ / without, 2),
        "retry_gap_s": round(statistics.median(gaps), 2),
        "reps": reps,
    }


def floor_seconds(n: int, paced_calls: float, paced: bool) -> float:
    pacing = max(0.0, (n * paced_calls - BURST) / RATE) if paced else 0.0
    return max(POLL_FIRST, pacing)


def run(args: argparse.Namespace, root: Path) -> dict[str, object]:
    n = args.concurrency or (5 if args.quick else 20)
    reps = 1 if args.quick else 3
    results: dict[str, object] = {
        "concurrency": n,
        "reps": reps,
        "quick": args.quick,
        "cores": os.cpu_count(),
        "load_average_at_start": round(os.getloadavg()[0], 1),
    }
    begun = time.perf_counter()
    with FakeGenesysThread() as fake:
        servers = [
            Server(label, ServerProcess(root / label, server_env(fake, paced)), paced)
            for label, paced in (("paced", True), ("unpaced", False))
            if paced or not args.quick  # --quick: the default pacing only (one SDK import)
        ]
        try:
            with ThreadPoolExecutor(2) as pool:
                list(pool.map(lambda s: s.process.start(), servers))
            warm_up(fake, servers)
            # The OAuth token: once per server process, at its first delivery (the warm-up);
            # none in the rounds below unless a token expired (they would show it).
            results["token_calls_per_server"] = fake.count("token") / len(servers)
            results["warm_up_s"] = round(time.perf_counter() - begun, 1)
            print(f"servers up and warm after {results['warm_up_s']} s", file=sys.stderr)

            paced = servers[0]
            results["429"] = {m: limited(fake, paced, m, reps) for m in METHODS}
            print(f"429: {results['429']}", file=sys.stderr)

            rounds: dict[tuple[str, str], list[Round]] = {}
            salt = 10_000
            for rep in range(reps):  # interleaved, so drift hits every cell alike
                for method in METHODS:
                    for server in servers:
                        salt += n
                        got = one_round(fake, server, method, n, salt)
                        if got.failures:
                            raise SystemExit(f"{method} {server.label}: {got.failures}")
                        rounds.setdefault((method, server.label), []).append(got)
                        print(
                            f"rep {rep + 1}/{reps} {method} {server.label}: {n} in "
                            f"{got.wall:.2f} s",
                            file=sys.stderr,
                        )
            results["throughput"], results["calls_per_delivery"] = summarise(rounds, n, servers)
            results["server_peak_rss_MiB"] = {
                s.label: round(s.process.peak_rss_bytes() / 2**20) for s in servers
            }
        except BaseException:
            for server in servers:  # what the servers said, for whoever reads the failure
                code = server.process.process.poll() if server.process.process else None
                tail = "".join(server.process.log[-20:])
                print(f"--- {server.label} server (exit code {code}):\n{tail}", file=sys.stderr)
            raise
        finally:
            for server in servers:
                server.process.kill()
    results["run_s"] = round(time.perf_counter() - begun, 1)
    results["load_average_at_end"] = round(os.getloadavg()[0], 1)
    return results


def summarise(
    rounds: dict[tuple[str, str], list[Round]], n: int, servers: list[Server]
) -> tuple[dict[str, object], dict[str, object]]:
    per_delivery: dict[str, object] = {}
    for method in METHODS:
        every = [r for s in servers for r in rounds[(method, s.label)]]
        total = sum((r.ops for r in every), Counter())
        count = n * len(every)
        ops = {op: round(k / count, 2) for op, k in sorted(total.items())}
        paced_calls = sum(k for op, k in total.items() if op not in UNPACED_OPS) / count
        statuses = sum((r.statuses for r in every), Counter())
        per_delivery[method] = {
            "ops": ops,
            "http_calls": round(sum(total.values()) / count, 2),
            "paced_calls": round(paced_calls, 2),
            "crawler_gets": round(sum(r.crawler_fetches for r in every) / count, 2),
            "non_2xx": dict(statuses),
        }
    throughput: dict[str, object] = {}
    for method in METHODS:
        paced_calls = float(per_delivery[method]["paced_calls"])  # type: ignore[index]
        for server in servers:
            cell = rounds[(method, server.label)]
            wall = statistics.median(r.wall for r in cell)
            floor = floor_seconds(n, paced_calls, server.paced)
            throughput[f"{method} {server.label}"] = {
                "wall_s": round(wall, 2),
                "wall_range_s": [
                    round(min(r.wall for r in cell), 2),
                    round(max(r.wall for r in cell), 2),
                ],
                "deliveries_per_s": round(n / wall, 2),
                "floor_s": round(floor, 2),
                "floor_deliveries_per_s": round(n / floor, 2),
                "wall_over_floor": round(wall / floor, 2),
                "median_latency_s": round(
                    statistics.median(x for r in cell for x in r.latencies), 2
                ),
            }
    return throughput, per_delivery


def table(results: dict[str, object]) -> str:
    n = results["concurrency"]
    reps = results["reps"]
    throughput: dict[str, dict[str, object]] = results["throughput"]  # type: ignore[assignment]
    calls: dict[str, dict[str, object]] = results["calls_per_delivery"]  # type: ignore[assignment]
    limits: dict[str, dict[str, object]] = results["429"]  # type: ignore[assignment]
    pacing = {"paced": f"default ({RATE:g}/s, burst {BURST})", "unpaced": "off (0)"}
    lines = [
        f"Deliveries against the local Genesys fake: {n} concurrent, median of {reps} "
        "round(s); floor = max(first status check 1 s, (N x paced calls - burst) / rate).",
        "",
        "| method | pacing | wall s (range) | deliveries/s | floor s | floor deliveries/s "
        "| wall / floor | median latency s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for key, row in throughput.items():
        method, label = key.split()
        low, high = row["wall_range_s"]  # type: ignore[misc]
        lines.append(
            f"| {method} | {pacing[label]} | {row['wall_s']} ({low}-{high}) "
            f"| {row['deliveries_per_s']} | {row['floor_s']} | {row['floor_deliveries_per_s']} "
            f"| {row['wall_over_floor']} | {row['median_latency_s']} |"
        )
    ops = sorted({op for c in calls.values() for op in c["ops"]})  # type: ignore[attr-defined]
    lines += ["", "| HTTP calls per delivery | UPLOAD | OPEN_MESSAGING |", "|---|---|---|"]
    for op in ops:
        cells = [str(c["ops"].get(op, "-")) for c in calls.values()]  # type: ignore[attr-defined]
        lines.append(f"| {op} | {' | '.join(cells)} |")
    for label, key in (
        ("all platform calls", "http_calls"),
        ("paced (all but put_upload)", "paced_calls"),
        ("crawler GETs of the media endpoint", "crawler_gets"),
    ):
        lines.append(f"| {label} | {' | '.join(str(c[key]) for c in calls.values())} |")
    per_server = f"{results['token_calls_per_server']:g} per server process (its first delivery)"
    lines.append(f"| token, not per delivery | {per_server} | {per_server} |")
    lines += [
        "",
        f"| 429 Retry-After: {RETRY_AFTER} | call refused | without 429 s | with 429 s "
        "| difference s | ratio | 429 → retry s |",
        "|---|---|---|---|---|---|---|",
    ]
    for method, row in limits.items():
        lines.append(
            f"| {method} | {row['op']} | {row['without_429_s']} | {row['with_429_s']} "
            f"| {row['difference_s']} | {row['ratio']} | {row['retry_gap_s']} |"
        )
    return "\n".join(lines)


def summary(results: dict[str, object]) -> str:
    throughput: dict[str, dict[str, object]] = results["throughput"]  # type: ignore[assignment]
    calls: dict[str, dict[str, object]] = results["calls_per_delivery"]  # type: ignore[assignment]
    limits: dict[str, dict[str, object]] = results["429"]  # type: ignore[assignment]
    out = []
    for method in METHODS:
        sustained = RATE / float(calls[method]["paced_calls"])  # type: ignore[arg-type]
        measured = ", ".join(
            f"{row['deliveries_per_s']}/s {key.split()[1]} ({row['wall_over_floor']} x its floor)"
            for key, row in throughput.items()
            if key.startswith(method + " ")
        )
        out.append(
            f"{method}: {measured}; {calls[method]['paced_calls']} paced calls each, so at most "
            f"{sustained:.2f}/s sustained under the default pacing; a 429 Retry-After: "
            f"{RETRY_AFTER} costs {limits[method]['difference_s']} s."
        )
    non_2xx = {m: c["non_2xx"] for m, c in calls.items() if c["non_2xx"]}
    out.append(f"non-2xx answers in the throughput rounds: {non_2xx or 'none'}")
    out.append(
        f"run: {results['run_s']} s (servers up and warm: {results['warm_up_s']} s); "
        f"server peak RSS MiB: {results['server_peak_rss_MiB']}; load average "
        f"{results['load_average_at_start']} -> {results['load_average_at_end']} on "
        f"{results['cores']} cores"
    )
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--concurrency", type=int, default=None, help="deliveries at once (20; 5 with --quick)"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a smoke run: one round each, 5 at once, default pacing only",
    )
    parser.add_argument(
        "--data-root", default=None, help="the servers' data (default: system temp)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.data_root) as tmp:
        results = run(args, Path(tmp))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "delivery.json").write_text(json.dumps(results, indent=2))
    print(table(results))
    print()
    print(summary(results))


if __name__ == "__main__":
    main()
