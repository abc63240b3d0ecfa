"""The abuse soak: well-behaved callers keep working while abusive ones do their worst.

    make soak        (about 75 s; CI runs it)

One real server on loopback, three phases:
  calm     50 well-behaved callers alone (uploads, previews, voice messages, downloads), to
           measure their latency and the server's memory at rest under load;
  storm    the same callers while abusers run at once: 1,000 idle upload streams on one
           connection, readers that stop reading, a cancel storm, oversized files, tiny chunks;
  after    the callers alone again, so the server can be seen to recover.
A prober in a process of its own checks health every 100 ms throughout, on its own connection.

It fails (exit 1) on any error seen by a well-behaved caller, a health check slower than 1 s or
failed, server RSS after the storm more than 20 % over its calm level, a spool file left in
staging, a blob no attachment references, or an acknowledged attachment whose bytes differ.
Well-behaved means honouring RetryInfo: a caller told RESOURCE_EXHAUSTED waits as told and
retries, as the generated clients' helpers do; that is not an error, and it is counted. So is
the same refusal when grpc.aio's client loses its status (LOST_STATUS below: the server ended
the stream while the client was still writing, measured once in ~2,000 storm uploads).

The one abuser of the issue not here is the disk-filling caller: until authentication gives
callers identities of their own, a tenant's quota or the storage cap it would fill is shared
with the well-behaved callers, so it would refuse them too. Full disks and quotas are tested
on their own (tests/integration/).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import multiprocessing
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc
from grpc.experimental import aio

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.samples import images, pdfs, texts, voice  # noqa: E402
from tests.support.server_process import ServerProcess  # noqa: E402

from mediagate.client import error_details  # noqa: E402
from mediagate.v1 import attachment_service_pb2 as pb  # noqa: E402
from mediagate.v1 import attachment_service_pb2_grpc as pb_grpc  # noqa: E402
from mediagate.v1 import preview_pb2  # noqa: E402

MIB = 1024 * 1024
CHUNK = MIB
GOOD_CALLERS = 50
GOOD_CONNECTIONS = 5
HEALTH_LIMIT_SECONDS = 1.0
RSS_GROWTH_LIMIT = 1.20
SERVER_ENV = {
    # Short enough that the storm's idle streams and stalled readers are shed within it.
    "MEDIAGATE_UPLOAD_IDLE_TIMEOUT_SECONDS": "5",
    "MEDIAGATE_DOWNLOAD_WRITE_TIMEOUT_SECONDS": "5",
    # INFO: the check reads the server's "download ... stalled" lines.
    "MEDIAGATE_LOG_LEVEL": "INFO",
}


@dataclass
class Tally:
    """What the well-behaved callers saw in one phase."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    retries: int = 0
    acknowledged: dict[str, str] = field(default_factory=dict)  # name -> sha256

    def took(self, op: str, seconds: float) -> None:
        self.latencies.setdefault(op, []).append(seconds)

    def summary(self) -> dict[str, Any]:
        return {
            "calls": {op: len(v) for op, v in self.latencies.items()},
            "p99_ms": {op: round(_p99(v) * 1000, 1) for op, v in self.latencies.items()},
            "errors": len(self.errors),
            "first_errors": self.errors[:5],
            "retries_after_resource_exhausted": self.retries,
        }


def _p99(values: list[float]) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100)[98]


def _channel(address: str, **options: int) -> grpc.aio.Channel:
    return grpc.aio.insecure_channel(
        address,
        options=[
            ("grpc.use_local_subchannel_pool", 1),
            *options.items(),
            ("grpc.max_receive_message_length", 8 * MIB),
        ],
    )


def _requests(data: bytes, name: str, mime: str, chunk: int = CHUNK, **fields: Any) -> list[Any]:
    head = pb.UploadHeader(
        file_name=name,
        declared_mime_type=mime,
        declared_size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        **fields,
    )
    return [pb.UploadRequest(header=head)] + [
        pb.UploadRequest(chunk=data[i : i + chunk]) for i in range(0, len(data), chunk)
    ]


def _voice_requests(data: bytes) -> list[Any]:
    head = pb.UploadHeader(
        file_name="note.wav", declared_size_bytes=len(data), sha256=hashlib.sha256(data).hexdigest()
    )
    return [pb.UploadVoiceMessageRequest(header=pb.VoiceMessageHeader(upload=head))] + [
        pb.UploadVoiceMessageRequest(chunk=data[i : i + CHUNK]) for i in range(0, len(data), CHUNK)
    ]


# grpc.aio's client reports this, not the server's status, when the server ends a stream (a
# refusal such as TOO_MANY_UPLOADS) while the client is still sending its requests: its next
# send fails in core and the call's status is set locally (cygrpc's set_internal_error). The
# server never saw an error: nothing was stored, nothing acknowledged, so a caller retries.
LOST_STATUS = "Internal error from Core"


def _retry_after(error: grpc.aio.AioRpcError) -> float | None:
    """The delay RetryInfo asks for, if the refusal is one a well-behaved caller waits out."""
    if error.code() == grpc.StatusCode.INTERNAL and error.details() == LOST_STATUS:
        return 0.2
    if error.code() != grpc.StatusCode.RESOURCE_EXHAUSTED:
        return None
    return (
        0.2
        if any(d.reason in ("OVERLOADED", "TOO_MANY_UPLOADS") for d in error_details(error))
        else None
    )  # type: ignore[arg-type]


class GoodCaller:
    """Uploads a file, fetches its preview, downloads it and checks it; now and then a voice
    message. Honours RetryInfo."""

    def __init__(
        self,
        stub: pb_grpc.AttachmentServiceStub,
        files: list[tuple[str, str, bytes]],
        recording: bytes,
        seed: int,
    ) -> None:
        self.stub = stub
        self.files = files
        self.recording = recording
        self.rng = random.Random(seed)

    async def _call(self, tally: Tally, op: str, call: Callable[[], Awaitable[Any]]) -> Any:
        for _ in range(50):
            started = time.perf_counter()
            try:
                answer = await call()
            except grpc.aio.AioRpcError as error:
                delay = _retry_after(error)
                if delay is None:
                    tally.errors.append(f"{op}: {error.code().name} {error.details()}")
                    return None
                tally.retries += 1
                await asyncio.sleep(delay)
                continue
            tally.took(op, time.perf_counter() - started)
            return answer
        tally.errors.append(f"{op}: still refused after 50 retries")
        return None

    async def round(self, tally: Tally) -> None:
        name, mime, data = self.rng.choice(self.files)
        sha = hashlib.sha256(data).hexdigest()
        stored = await self._call(
            tally, "upload", lambda: self.stub.Upload(iter(_requests(data, name, mime)), timeout=60)
        )
        if stored is None:
            return
        if stored.sha256 != sha:
            tally.errors.append(f"upload: sha256 {stored.sha256} != {sha}")
        tally.acknowledged[stored.name] = sha
        if mime.startswith("image/") or mime == "application/pdf":
            await self._call(
                tally,
                "preview",
                lambda: self.stub.GetPreview(
                    pb.GetPreviewRequest(
                        name=stored.name, spec=preview_pb2.PreviewSpec(max_width=200)
                    ),
                    timeout=60,
                ),
            )

        async def download() -> bytes:
            out = bytearray()
            async for response in self.stub.Download(
                pb.DownloadRequest(name=stored.name), timeout=60
            ):
                out += response.data
            return bytes(out)

        got = await self._call(tally, "download", download)
        if got is not None and hashlib.sha256(got).hexdigest() != sha:
            tally.errors.append(f"download: {stored.name} came back different")
        if self.rng.random() < 0.1:
            message = await self._call(
                tally,
                "voice",
                lambda: self.stub.UploadVoiceMessage(
                    iter(_voice_requests(self.recording)), timeout=60
                ),
            )
            if message is not None:
                tally.acknowledged[message.attachment.name] = hashlib.sha256(
                    self.recording
                ).hexdigest()


async def run_good(callers: list[GoodCaller], seconds: float) -> Tally:
    tally = Tally()
    deadline = time.monotonic() + seconds

    async def loop(caller: GoodCaller) -> None:
        while time.monotonic() < deadline:
            await caller.round(tally)

    await asyncio.gather(*(loop(c) for c in callers))
    return tally


# --- abusers: each returns a count of what it did; none of their outcomes is an error ---


async def idle_streams(address: str, count: int, stop: asyncio.Event) -> dict[str, int]:
    """`count` upload streams on ONE connection that send a header and then nothing."""
    channel = _channel(address)
    stub = pb_grpc.AttachmentServiceStub(channel)
    outcomes: dict[str, int] = {}

    async def one() -> None:
        async def requests() -> AsyncIterator[pb.UploadRequest]:
            yield _requests(b"z" * MIB, "idle.bin", "text/plain")[0]
            await stop.wait()

        try:
            await stub.Upload(requests(), timeout=120)
            key = "OK"
        except grpc.aio.AioRpcError as error:
            details = error_details(error)  # type: ignore[arg-type]
            key = details[0].reason if details else error.code().name
        outcomes[key] = outcomes.get(key, 0) + 1

    await asyncio.gather(*(one() for _ in range(count)))
    await channel.close()
    return outcomes


async def stalled_readers(address: str, name: str, count: int) -> dict[str, int]:
    """Downloads that read one message and then stop reading. A reader that reads nothing never
    hears how its call ended, so it gives up at its own deadline; whether the server cut it off
    is checked in the server's log (`stalled_downloads_cut_off`)."""
    outcomes: dict[str, int] = {}

    async def one() -> None:
        channel = _channel(address, **{"grpc.http2.bdp_probe": 0})
        call = pb_grpc.AttachmentServiceStub(channel).Download(
            pb.DownloadRequest(name=name), timeout=30
        )
        await call.read()
        code = await call.code()  # reading nothing more, until the deadline
        outcomes[code.name] = outcomes.get(code.name, 0) + 1
        await channel.close()

    await asyncio.gather(*(one() for _ in range(count)))
    return outcomes


async def cancel_storm(address: str, count: int, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    channel = _channel(address)
    stub = pb_grpc.AttachmentServiceStub(channel)
    cancelled = 0

    async def one(i: int) -> None:
        nonlocal cancelled
        data = texts.text(lines=2000 + i)
        call = stub.Upload(
            iter(_requests(data, f"c{i}.txt", "text/plain", chunk=64 * 1024)), timeout=60
        )
        await asyncio.sleep(rng.uniform(0, 0.05))
        if call.cancel():
            cancelled += 1
        with contextlib.suppress(grpc.aio.AioRpcError, asyncio.CancelledError):
            await call

    await asyncio.gather(*(one(i) for i in range(count)))
    await channel.close()
    return {"cancelled": cancelled, "sent": count}


async def refused_streams(
    address: str, count: int, requests: Callable[[], AsyncIterator[pb.UploadRequest]]
) -> dict[str, int]:
    """`count` uploads at once of a stream the server must refuse."""
    channel = _channel(address)
    stub = pb_grpc.AttachmentServiceStub(channel)
    refused = 0

    async def one() -> None:
        nonlocal refused
        try:
            await stub.Upload(requests(), timeout=60)
        except grpc.aio.AioRpcError:
            refused += 1

    await asyncio.gather(*(one() for _ in range(count)))
    await channel.close()
    return {"refused": refused, "sent": count}


async def oversized_file() -> AsyncIterator[pb.UploadRequest]:
    """12 MiB against the 10 MiB limit, with no declared size."""
    yield pb.UploadRequest(header=pb.UploadHeader(file_name="huge.txt"))
    for _ in range(12):
        yield pb.UploadRequest(chunk=b"a" * MIB)


async def tiny_chunks() -> AsyncIterator[pb.UploadRequest]:
    yield pb.UploadRequest(header=pb.UploadHeader(file_name="tiny.txt"))
    for _ in range(20_000):
        yield pb.UploadRequest(chunk=b"t")


# --- the health prober, in a process of its own so the callers' load cannot slow it ---


def _probe_health(address: str, stop: Any, results: Any) -> None:
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    channel = grpc.insecure_channel(address, options=[("grpc.use_local_subchannel_pool", 1)])
    health = health_pb2_grpc.HealthStub(channel)
    worst, checks, failures = 0.0, 0, []
    while not stop.is_set():
        started = time.perf_counter()
        try:
            reply = health.Check(health_pb2.HealthCheckRequest(), timeout=HEALTH_LIMIT_SECONDS)
            if reply.status != health_pb2.HealthCheckResponse.SERVING:
                failures.append(f"status {reply.status}")
        except grpc.RpcError as error:
            failures.append(error.code().name)  # type: ignore[attr-defined]
        worst = max(worst, time.perf_counter() - started)
        checks += 1
        stop.wait(0.1)
    results.put(
        {
            "checks": checks,
            "worst_ms": round(worst * 1000, 1),
            "failures": failures[:5],
            "failed": len(failures),
        }
    )


def _rss(server: ServerProcess) -> int:
    status = Path(f"/proc/{server.pid}/status").read_text()
    return (
        next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS"))
        * 1024
    )


async def soak(server: ServerProcess, seconds: dict[str, float]) -> dict[str, Any]:
    files = [
        ("photo.jpg", "image/jpeg", images.jpeg(1200, 900)),
        ("shot.png", "image/png", images.png(640, 480)),
        ("doc.pdf", "application/pdf", pdfs.pdf(pages=3)),
        ("notes.txt", "text/plain", texts.text(lines=3000)),
    ]
    recording = voice.speech("wav", 2.0)
    channels = [_channel(server.address) for _ in range(GOOD_CONNECTIONS)]
    callers = [
        GoodCaller(
            pb_grpc.AttachmentServiceStub(channels[i % GOOD_CONNECTIONS]), files, recording, i
        )
        for i in range(GOOD_CALLERS)
    ]
    report: dict[str, Any] = {}
    clock = time.monotonic()
    marks: dict[str, float] = {}

    def mark(name: str) -> None:
        nonlocal clock
        marks[name] = round(time.monotonic() - clock, 1)
        clock = time.monotonic()

    report["calm"] = await run_good(callers, seconds["calm"])
    mark("calm")
    rss_calm = _rss(server)

    big = texts.text(lines=400_000)  # ~20 MB for the stalled readers
    admin = pb_grpc.AttachmentServiceStub(channels[0])
    big_name = (
        await admin.Upload(
            iter(_requests(big, "big.txt", "text/plain", profile="big")), timeout=120
        )
    ).name
    stop = asyncio.Event()
    abusers = asyncio.gather(
        idle_streams(server.address, 1000, stop),
        stalled_readers(server.address, big_name, 5),
        cancel_storm(server.address, 200, 7),
        refused_streams(server.address, 10, oversized_file),
        refused_streams(server.address, 10, tiny_chunks),
    )
    mark("preparing_the_storm")
    report["storm"] = await run_good(callers, seconds["storm"])
    mark("storm")
    stop.set()
    names = ("idle_streams", "stalled_readers", "cancel_storm", "oversized", "tiny_chunks")
    report["abusers"] = dict(zip(names, await abusers, strict=True))
    mark("abusers_finishing")
    report["after"] = await run_good(callers, seconds["after"])
    mark("after")
    report["phase_seconds"] = marks
    rss_after = _rss(server)
    report["rss_MiB"] = {
        "calm": round(rss_calm / MIB),
        "after": round(rss_after / MIB),
        "peak": round(server.peak_rss_bytes() / MIB),
    }

    acknowledged: dict[str, str] = {}
    for phase in ("calm", "storm", "after"):
        acknowledged.update(report[phase].acknowledged)
    acknowledged[big_name] = hashlib.sha256(big).hexdigest()
    report["acknowledged_by_name"] = acknowledged
    for channel in channels:
        await channel.close()
    return report


def damaged(data: Path, acknowledged: dict[str, str]) -> list[str]:
    """Acknowledged attachments whose row is gone or names other bytes, or whose blob on disk
    does not hash to what was acknowledged (each distinct blob hashed once, server stopped)."""
    with sqlite3.connect(data / "catalog.sqlite3") as db:
        rows = dict(db.execute("SELECT 'attachments/' || id, sha256 FROM attachments"))
    intact: dict[str, bool] = {}
    bad = []
    for name, sha in acknowledged.items():
        if rows.get(name) != sha:
            bad.append(name)
            continue
        if sha not in intact:
            blob = data / "blobs" / sha[:2] / sha[2:4] / sha
            intact[sha] = blob.is_file() and hashlib.sha256(blob.read_bytes()).hexdigest() == sha
        if not intact[sha]:
            bad.append(name)
    return bad


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--calm", type=float, default=12.0)
    parser.add_argument("--storm", type=float, default=35.0)
    parser.add_argument("--after", type=float, default=8.0)
    parser.add_argument("--json", type=Path, default=None, help="write the report here too")
    args = parser.parse_args()
    seconds = {"calm": args.calm, "storm": args.storm, "after": args.after}
    # grpc.aio's poller thread can miss its last wake-up when asyncio.run() shuts the stack down,
    # and asyncio.run() then joins it for ever (grpc/grpc#22365, the race grpc/grpc#40989
    # describes; seen here once, the soak hanging after its report was complete). Initialising
    # the aio stack up front, from the main thread, keeps it up until the process exits.
    aio.init_grpc_aio()
    started = time.monotonic()
    failures: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        profiles = Path(tmp) / "profiles.toml"
        profiles.write_text(
            '[profiles.big]\nextends = "web-messaging"\nmax_size_bytes = 104857600\n'
        )
        with ServerProcess(
            data, {**SERVER_ENV, "MEDIAGATE_PROFILES_FILE": str(profiles)}
        ) as server:
            ctx = multiprocessing.get_context("spawn")
            stop, results = ctx.Event(), ctx.Queue()
            prober = ctx.Process(target=_probe_health, args=(server.address, stop, results))
            prober.start()
            try:
                report = asyncio.run(soak(server, seconds))
            finally:
                stop.set()
                health = results.get(timeout=30)
                prober.join(timeout=30)
            code = server.terminate()
            report["server_faults"] = [line for line in server.log if "internal error" in line][:5]
            report["stalled_downloads_cut_off"] = sum("stalled for" in line for line in server.log)
        report["health"] = health
        acknowledged = report.pop("acknowledged_by_name")
        report["acknowledged"] = len(acknowledged)
        report["damaged"] = damaged(data, acknowledged)
        staged = list((data / "staging").iterdir())
        with sqlite3.connect(data / "catalog.sqlite3") as db:
            referenced = {row[0] for row in db.execute("SELECT DISTINCT sha256 FROM attachments")}
        blobs = {p.name for p in (data / "blobs").glob("??/??/*")}
        report["spool_files_left"] = len(staged)
        report["orphan_blobs"] = len(blobs - referenced)
        report["server_exit_code"] = code

    for phase in ("calm", "storm", "after"):
        tally = report[phase]
        if tally.errors:
            failures.append(
                f"{phase}: {len(tally.errors)} errors for well-behaved callers: {tally.errors[:3]}"
            )
        report[phase] = tally.summary()
    if health["failed"] or health["worst_ms"] > HEALTH_LIMIT_SECONDS * 1000:
        failures.append(f"health: {health}")
    rss = report["rss_MiB"]
    if rss["after"] > rss["calm"] * RSS_GROWTH_LIMIT:
        failures.append(f"RSS after the storm {rss['after']} MiB > 1.2 x calm {rss['calm']} MiB")
    if report["spool_files_left"] or report["orphan_blobs"] or report["damaged"]:
        failures.append("storage: spool files, orphan blobs or damaged attachments left")
    if report["stalled_downloads_cut_off"] < 5:
        failures.append(f"only {report['stalled_downloads_cut_off']} of 5 stalled readers cut off")
    if report["server_faults"]:
        failures.append(f"server faults: {report['server_faults']}")
    if report["server_exit_code"] != 0:
        failures.append(f"server exit code {report['server_exit_code']}")
    report["seconds"] = round(time.monotonic() - started, 1)
    report["failures"] = failures
    text = json.dumps(report, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text)
    print("SOAK " + ("FAIL" if failures else "PASS"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
