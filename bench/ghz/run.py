"""Load benchmarks with ghz: mediagate's RPCs under concurrent callers, against the bare grpc.aio
sink (bench/bare_sink.py, the ceiling of this stack) in the same run.

    make bench-ghz     (or: bash bench/ghz/install.sh && .venv/bin/python bench/ghz/run.py)

Starts a mediagate server it owns (MEDIAGATE_WORKERS=2, the test profiles file with "big") and
the bare sink, uploads what the calls need, writes ghz's call data into bench/results/ghz-data/,
runs each configuration in bench/ghz/configs/ (ghz's JSON config format) and writes
bench/results/ghz/NAME.json (ghz -O json) and NAME.html (ghz's HTML report of the same run),
then prints the summary and writes it to bench/results/ghz/summary.json.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "ghz"))

import ghzlib  # noqa: E402
from ghzlib import CONFIGS, DATA, MIB, RESULTS, Report  # noqa: E402
from tests.conftest import write_test_profiles  # noqa: E402
from tests.support.calls import upload  # noqa: E402
from tests.support.server_process import ServerProcess  # noqa: E402

from mediagate.v1 import attachment_service_pb2 as pb  # noqa: E402

GET_ATTACHMENT_GOAL = 0.7  # mediagate / bare requests/s, 50 callers
UPLOAD_GOAL = 0.8  # mediagate / bare MB/s, same data and callers (reported, not enforced)
GHZ_TIMEOUT_S = 90.0  # per ghz run (each config runs for a fixed duration, 6-10 s)
ALARM_S = 900  # the whole run; a normal one takes ~95 s


@dataclass(frozen=True)
class Bench:
    key: str  # config file stem and result file stem
    name: str  # row in the summary
    bare: bool = False  # also run against the bare sink
    upload_bytes: int = 0  # for MB/s


BENCHES = [
    Bench("get_attachment", "GetAttachment", bare=True),
    Bench("upload_256k", "Upload 256 KiB", bare=True, upload_bytes=256 * 1024),
    Bench("upload_1m", "Upload 1 MiB", bare=True, upload_bytes=MIB),
    Bench("upload_10m", "Upload 10 MiB", bare=True, upload_bytes=10 * MIB),
    Bench("preview_cached", "GetPreview cached"),
    Bench("preview_uncached", "GetPreview uncached"),
    Bench("download", "Download 1 MiB"),
]


def prepare(server: ServerProcess) -> Path:
    """Uploads what the calls read, writes every call data file; returns the protoset."""
    stub = server.stub()
    protoset = ghzlib.fetch_protoset(server.address, DATA / "mediagate.protoset")

    small = upload(stub, ghzlib.csv_bytes(10 * 1024, salt=1), "small.csv", "text/csv")
    ghzlib.write_json(DATA / "get_attachment.json", {"name": small.name})

    big = upload(stub, ghzlib.csv_bytes(MIB, salt=2), "download.csv", "text/csv")
    ghzlib.write_json(DATA / "download.json", {"name": big.name})

    photo = upload(stub, ghzlib.preview_source_jpeg(), "photo.jpg", "image/jpeg")
    # Cached: the default spec (300 x 300 WebP q80), rendered once here before measuring.
    stub.GetPreview(pb.GetPreviewRequest(name=photo.name), timeout=60)
    ghzlib.write_json(DATA / "preview_cached.json", {"name": photo.name})
    # Uncached: a new spec on every call (ghz templates over the call's number n): max_width
    # 100 + n % 1500 (under the 1600 px source, so the box always binds) and max_height
    # 2048 - n / 1500 (still width-bound for this 4:3 image). Every call renders anew.
    width = "{{add 100 (mod .RequestNumber 1500)}}"
    height = "{{sub 2048 (div .RequestNumber 1500)}}"
    uncached = (
        f'{{"name": "{photo.name}", "spec": {{"max_width": {width}, "max_height": {height}}}}}'
    )
    (DATA / "preview_uncached.json").write_text(uncached + "\n")

    # Uploads: header then 1 MiB chunks, as ghz binary call data (plus the JSON equivalent for
    # reading). Each call sends the same bytes: mediagate stores them once (content-addressed)
    # but every call still runs the whole intake and commits its own Attachment record.
    for key, size, profile in (
        ("upload_256k", 256 * 1024, ""),
        ("upload_1m", MIB, ""),
        ("upload_10m", 10 * MIB, "big"),  # web-messaging's limit is 10 MiB
    ):
        messages = ghzlib.upload_messages(ghzlib.csv_bytes(size, salt=size), f"{key}.csv", profile)
        ghzlib.write_binary_stream(DATA / f"{key}.bin", messages)
        if size <= MIB:
            ghzlib.write_json(DATA / f"{key}.json", ghzlib.upload_json(messages))
    return protoset


def run_one(
    bench: Bench, host: str, protoset: Path | None, suffix: str, scale: float, ghz_args: list[str]
) -> Report:
    config = CONFIGS / f"{bench.key}.json"
    extra = list(ghz_args)
    if scale != 1.0:
        seconds = float(json.loads(config.read_text())["duration"].rstrip("s"))
        extra.append(f"--duration={max(1.0, seconds * scale):g}s")
    output = RESULTS / f"{bench.key}{suffix}.json"
    name = bench.name + (" (bare)" if suffix else "")
    print(f"  {name} ...", end="", flush=True, file=sys.stderr)
    report = ghzlib.run_ghz(config, host, output, protoset, name, GHZ_TIMEOUT_S, extra)
    ghzlib.render_html(output)
    print(f" {report.rps:.0f}/s, {report.error_count} errors", file=sys.stderr)
    return report


def mb_per_s(report: Report, size: int) -> float:
    return report.ok * size / MIB / report.total_s if report.total_s else 0.0


def summarise(results: list[tuple[Bench, Report, Report | None]]) -> tuple[str, dict[str, object]]:
    rows: list[Report] = []
    notes: dict[str, str] = {}
    figures: dict[str, object] = {"machine_cores": os.cpu_count(), "runs": {}}
    runs: dict[str, object] = {}
    lines: list[str] = []
    for bench, report, bare in results:
        rows.append(report)
        entry: dict[str, object] = {
            "rps": round(report.rps, 1),
            "p50_ms": report.p50_ms,
            "p95_ms": report.p95_ms,
            "p99_ms": report.p99_ms,
            "errors": report.error_count,
            "count": report.count,
        }
        if bench.upload_bytes:
            rate = mb_per_s(report, bench.upload_bytes)
            notes[report.name] = f"{rate:.0f} MB/s"
            entry["MBps"] = round(rate, 1)
        if bare is not None:
            rows.append(bare)
            entry["bare_rps"] = round(bare.rps, 1)
            if bench.upload_bytes:
                bare_rate = mb_per_s(bare, bench.upload_bytes)
                notes[bare.name] = f"{bare_rate:.0f} MB/s"
                ratio = rate / bare_rate if bare_rate else 0.0
                entry["bare_MBps"] = round(bare_rate, 1)
                entry["ratio_MBps"] = round(ratio, 3)
                lines.append(
                    f"{bench.name}: mediagate/bare MB/s = {ratio:.2f} "
                    f"(goal {UPLOAD_GOAL}, reported only)"
                )
            else:
                ratio = report.rps / bare.rps if bare.rps else 0.0
                entry["ratio_rps"] = round(ratio, 3)
                verdict = "met" if ratio >= GET_ATTACHMENT_GOAL else "NOT met"
                lines.insert(
                    0,
                    f"{bench.name}: mediagate/bare requests/s = {ratio:.2f} "
                    f"(goal >= {GET_ATTACHMENT_GOAL}: {verdict})",
                )
        runs[bench.key] = entry
    figures["runs"] = runs
    text = ghzlib.table(rows, notes) + "\n\n" + "\n".join(lines)
    errors = sum(r.error_count for r in rows)
    if errors:
        text += f"\nWARNING: {errors} calls failed; see errorDistribution in the JSON reports"
    return text, figures


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="a quarter of each duration")
    parser.add_argument(
        "--ghz-arg", action="append", default=[], help="extra ghz flag for every run, e.g. --cpus=1"
    )
    parser.add_argument(
        "--only", nargs="*", default=None, help="config names to run (default: all)"
    )
    args = parser.parse_args()
    scale = 0.25 if args.quick else 1.0
    benches = [b for b in BENCHES if args.only is None or b.key in args.only]

    def stop(signum: int, frame: FrameType | None) -> None:
        # An exception, so that the finally blocks stop the servers (and any ghz is killed).
        if signum == signal.SIGALRM:
            raise TimeoutError(f"bench-ghz exceeded {ALARM_S} s")
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGALRM, stop)
    signal.alarm(ALARM_S)
    RESULTS.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    results: list[tuple[Bench, Report, Report | None]] = []
    with tempfile.TemporaryDirectory(prefix="mediagate-ghz-") as tmp:
        root = Path(tmp)
        env = {
            "MEDIAGATE_PROFILES_FILE": str(write_test_profiles(root)),
            "MEDIAGATE_WORKERS": "2",
            "MEDIAGATE_LOG_LEVEL": "WARNING",
            "MEDIAGATE_REFLECTION": "true",  # ghz reads the contract from it
        }
        server = ServerProcess(root / "data", env)
        try:
            server.start()
            with ghzlib.bare_sink() as bare_address:
                print(f"mediagate {server.address}, bare sink {bare_address}", file=sys.stderr)
                protoset = prepare(server)
                for bench in benches:
                    report = run_one(bench, server.address, None, "", scale, args.ghz_arg)
                    bare = None
                    if bench.bare:
                        bare = run_one(bench, bare_address, protoset, "_bare", scale, args.ghz_arg)
                    results.append((bench, report, bare))
            peak_rss = server.peak_rss_bytes()
        finally:
            signal.alarm(0)
            stop_server(server)
    text, figures = summarise(results)
    figures["server_peak_rss_MiB"] = round(peak_rss / MIB)
    figures["elapsed_s"] = round(time.monotonic() - started, 1)
    (RESULTS / "summary.json").write_text(json.dumps(figures, indent=2) + "\n")
    (RESULTS / "summary.txt").write_text(text + "\n")
    print(text)
    print(
        f"\nserver peak RSS {figures['server_peak_rss_MiB']} MiB; {figures['elapsed_s']} s; "
        f"reports in {ghzlib.rel(RESULTS)}/ (NAME.json, NAME.html)"
    )
    return 0


def stop_server(server: ServerProcess) -> None:
    """SIGTERM (graceful: the server stops its workers), SIGKILL if that takes too long."""
    if server.process is None or server.process.poll() is not None:
        return
    try:
        server.terminate(timeout=20)
    except Exception:
        server.kill()


if __name__ == "__main__":
    sys.exit(main())
