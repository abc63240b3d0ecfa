"""CI load test: ~30 s of mixed traffic from 50 concurrent callers, then checks that nothing broke.

    make loadtest      (or: bash bench/ghz/install.sh && .venv/bin/python bench/ghz/loadtest.py)

Starts a mediagate server it owns (MEDIAGATE_WORKERS=2, built-in profiles) and runs four ghz
processes at once for 15 s each (bench/ghz/configs/loadtest/, 50 callers in all):
GetAttachment x20, GetPreview of a cached preview x15, Download of 1 MiB x10, Upload of
256 KiB x5. Then it FAILS (exit 1) on any of:
  - a non-OK call in any ghz report (statusCodeDistribution), or a run with no calls;
  - a p99 over its threshold (P99_LIMIT_MS);
  - the server not answering grpc.health.v1 Check with SERVING (overall and for the service);
  - an attachment (every one, listed with ListAttachments page by page) whose download does not
    have the sha256 and size its Attachment says, or a count of attachments other than those
    uploaded before the load plus the uploads ghz reports as OK.
Exit 0 only when all pass. Every step has a timeout, an alarm bounds the whole run, and the
server and any ghz still running are stopped in a finally.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import grpc

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "ghz"))

import ghzlib  # noqa: E402
from ghzlib import CONFIGS, DATA, MIB, RESULTS, Report  # noqa: E402
from grpc_health.v1 import health_pb2, health_pb2_grpc  # noqa: E402
from tests.support.calls import download, upload  # noqa: E402
from tests.support.server_process import ServerProcess  # noqa: E402

from mediagate.v1 import attachment_pb2 as apb  # noqa: E402
from mediagate.v1 import attachment_service_pb2 as pb  # noqa: E402
from mediagate.v1 import attachment_service_pb2_grpc as pb_grpc  # noqa: E402

LOAD_CONFIGS = CONFIGS / "loadtest"
LOAD_DATA = DATA / "loadtest"
ALARM_S = 240  # the whole run, start to finish; a normal run takes ~20 s
GHZ_GRACE_S = 45.0  # past a config's duration before its ghz is killed
VERIFY_TIMEOUT_S = 90.0

# p99 limits (ms) under the mixed load above. Measured on this project's 2-core machine with
# ghz 0.120.0, 8 runs, some while other sessions' builds also ran (load average 2-6), p99 range:
#   GetAttachment 152-276, GetPreview cached 116-206, Download 1 MiB 90-148, Upload 256 KiB 62-120
# (p50: 106-160, 80-120, 55-79, 39-53). Every call type gets about the same rate, 120-190/s,
# whatever its callers: the one server process is saturated and shares itself about evenly per
# connection (one per ghz). Limits are ~7-8x the worst seen: CI runs on a shared 2-core machine,
# and this test is for breakage (stalls, lock-ups, queueing collapse), not small regressions,
# which bench/ghz/run.py measures.
P99_LIMIT_MS = {
    "get_attachment": 2000.0,
    "preview_cached": 1500.0,
    "download": 1000.0,
    "upload_256k": 1000.0,
}


class Alarm(Exception):
    pass


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


def prepare(server: ServerProcess) -> int:
    """Uploads what the calls read and writes their data; returns how many attachments exist
    before the load."""
    stub = server.stub()
    small = upload(stub, ghzlib.csv_bytes(10 * 1024, salt=11), "small.csv", "text/csv")
    ghzlib.write_json(LOAD_DATA / "get_attachment.json", {"name": small.name})
    big = upload(stub, ghzlib.csv_bytes(MIB, salt=12), "download.csv", "text/csv")
    ghzlib.write_json(LOAD_DATA / "download.json", {"name": big.name})
    photo = upload(stub, ghzlib.preview_source_jpeg(), "photo.jpg", "image/jpeg")
    stub.GetPreview(pb.GetPreviewRequest(name=photo.name), timeout=60)  # now cached
    ghzlib.write_json(LOAD_DATA / "preview_cached.json", {"name": photo.name})
    messages = ghzlib.upload_messages(ghzlib.csv_bytes(256 * 1024, salt=13), "load.csv")
    ghzlib.write_binary_stream(LOAD_DATA / "upload_256k.bin", messages)
    return 3


def run_load(
    host: str,
    running: list[subprocess.Popen[str]],
    duration: str | None,
    only: list[str] | None,
) -> dict[str, Report]:
    """All configs at once; each ghz is waited for with a deadline and killed past it."""
    started: dict[str, tuple[subprocess.Popen[str], Path, float]] = {}
    for config in sorted(LOAD_CONFIGS.glob("*.json")):
        key = config.stem
        if only is not None and key not in only:
            continue
        seconds = float((duration or json.loads(config.read_text())["duration"]).rstrip("s"))
        extra = [f"--duration={duration}"] if duration else []
        output = RESULTS / f"loadtest_{key}.json"
        process = ghzlib.start_ghz(config, host, output, None, extra)  # reflection
        running.append(process)
        started[key] = (process, output, seconds)
    reports = {}
    for key, (process, output, seconds) in started.items():
        reports[key] = ghzlib.finish_ghz(process, output, key, seconds + GHZ_GRACE_S)
    return reports


def check_reports(reports: dict[str, Report]) -> list[Check]:
    checks = []
    for key, report in reports.items():
        bad = {code: n for code, n in report.status_codes.items() if code != "OK"}
        if report.count == 0:
            checks.append(Check(f"{key}: calls", False, "no calls completed"))
        elif bad or report.error_count:
            first = next(iter(report.errors), "")
            checks.append(
                Check(f"{key}: errors", False, f"{report.error_count} failed {bad} {first[:200]}")
            )
        else:
            checks.append(Check(f"{key}: errors", True, f"0 of {report.count}"))
        limit = P99_LIMIT_MS[key]
        p99 = report.p99_ms
        checks.append(
            Check(
                f"{key}: p99",
                p99 is not None and p99 <= limit,
                f"{ghzlib.ms(p99)} ms (limit {limit:.0f})",
            )
        )
    return checks


def check_health(channel: grpc.Channel) -> Check:
    stub = health_pb2_grpc.HealthStub(channel)
    found = []
    try:
        for service in ("", ghzlib.SERVICE):
            reply = stub.Check(health_pb2.HealthCheckRequest(service=service), timeout=5)
            status = health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status)
            found.append(f"{service or '(server)'}={status}")
    except grpc.RpcError as error:
        return Check("health", False, f"Check failed: {error.code()} {error.details()}")
    serving = all(item.endswith("=SERVING") for item in found)
    return Check("health", serving, ", ".join(found))


def list_all(stub: pb_grpc.AttachmentServiceStub) -> list[apb.Attachment]:
    attachments: list[apb.Attachment] = []
    token = ""
    for _ in range(10_000):  # bounded: 10 M attachments at 1000 a page
        page = stub.ListAttachments(
            pb.ListAttachmentsRequest(page_size=1000, page_token=token), timeout=30
        )
        attachments.extend(page.attachments)
        token = page.next_page_token
        if not token:
            break
    return attachments


def check_attachments(
    stub: pb_grpc.AttachmentServiceStub, expected: int, deadline: float
) -> list[Check]:
    attachments = list_all(stub)
    names = [a.name for a in attachments]
    checks = [
        Check(
            "attachments: count",
            len(attachments) == expected and len(set(names)) == len(names),
            f"{len(attachments)} listed ({len(set(names))} distinct), {expected} expected",
        )
    ]

    def verify(attachment: apb.Attachment) -> str | None:
        if time.monotonic() > deadline:
            return f"{attachment.name}: not checked (verification deadline)"
        try:
            data = download(stub, attachment.name)
        except grpc.RpcError as error:
            return f"{attachment.name}: download failed: {error.code()}"
        digest = hashlib.sha256(data).hexdigest()
        if digest != attachment.sha256 or len(data) != attachment.size_bytes:
            return (
                f"{attachment.name}: {len(data)} bytes sha256 {digest[:12]}, Attachment says "
                f"{attachment.size_bytes} bytes sha256 {attachment.sha256[:12]}"
            )
        return None

    with ThreadPoolExecutor(max_workers=4) as pool:
        problems = [p for p in pool.map(verify, attachments) if p]
    checks.append(
        Check(
            "attachments: sha256",
            not problems,
            f"{len(attachments) - len(problems)} of {len(attachments)} download with their sha256"
            + (f"; first: {problems[0]}" if problems else ""),
        )
    )
    return checks


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument(
        "--duration", default=None, help="override every config's ghz duration, e.g. 5s"
    )
    parser.add_argument(
        "--only", nargs="*", default=None, help="config names to run (default: all four)"
    )
    args = parser.parse_args()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        if signum == signal.SIGALRM:
            raise Alarm(f"load test exceeded {ALARM_S} s")
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGALRM, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    signal.alarm(ALARM_S)
    started = time.monotonic()
    RESULTS.mkdir(parents=True, exist_ok=True)
    checks: list[Check] = []
    reports: dict[str, Report] = {}
    running: list[subprocess.Popen[str]] = []
    with tempfile.TemporaryDirectory(prefix="mediagate-loadtest-") as tmp:
        server = ServerProcess(
            Path(tmp) / "data",
            {
                "MEDIAGATE_WORKERS": "2",
                "MEDIAGATE_LOG_LEVEL": "WARNING",
                "MEDIAGATE_REFLECTION": "true",  # ghz reads the contract from it
            },
        )
        try:
            server.start(timeout=60)
            print(f"mediagate {server.address}; preparing", file=sys.stderr, flush=True)
            before = prepare(server)
            print("load: 4 ghz runs at once, 50 callers", file=sys.stderr, flush=True)
            reports = run_load(server.address, running, args.duration, args.only)
            checks += check_reports(reports)
            checks.append(check_health(server.channel()))
            uploaded = reports["upload_256k"].ok if "upload_256k" in reports else 0
            print("verifying every attachment", file=sys.stderr, flush=True)
            checks += check_attachments(
                server.stub(), before + uploaded, time.monotonic() + VERIFY_TIMEOUT_S
            )
        except (Alarm, ghzlib.GhzError, grpc.RpcError, RuntimeError, OSError) as error:
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
            if isinstance(error, grpc.RpcError):
                first_line = f"{error.code()} {error.details()}"
            checks.append(Check("run", False, f"{type(error).__name__}: {first_line[:300]}"))
        finally:
            signal.alarm(0)
            if server.process is not None and server.process.poll() is not None:
                checks.append(Check("server", False, f"exited {server.process.returncode}"))
            for process in running:
                if process.poll() is None:
                    process.kill()
                    process.wait(timeout=10)
            stop_server(server)
            if checks and not all(c.ok for c in checks):
                sys.stderr.write("server log (last 30 lines):\n" + "".join(server.log[-30:]))

    passed = bool(checks) and all(c.ok for c in checks)
    elapsed = time.monotonic() - started
    print(ghzlib.table(list(reports.values())))
    print()
    for check in checks:
        print(f"{'PASS' if check.ok else 'FAIL'}  {check.name}: {check.detail}")
    print(f"\nloadtest {'PASS' if passed else 'FAIL'} in {elapsed:.1f} s")
    summary = {
        "passed": passed,
        "elapsed_s": round(elapsed, 1),
        "p99_limit_ms": P99_LIMIT_MS,
        "runs": {
            key: {
                "rps": round(r.rps, 1),
                "count": r.count,
                "errors": r.error_count,
                "p50_ms": r.p50_ms,
                "p95_ms": r.p95_ms,
                "p99_ms": r.p99_ms,
            }
            for key, r in reports.items()
        },
        "checks": [{"name": c.name, "ok": c.ok, "detail": c.detail} for c in checks],
    }
    (RESULTS / "loadtest.json").write_text(json.dumps(summary, indent=2) + "\n")
    return 0 if passed else 1


def stop_server(server: ServerProcess) -> None:
    if server.process is None or server.process.poll() is not None:
        return
    try:
        server.terminate(timeout=20)
    except Exception:
        server.kill()


if __name__ == "__main__":
    sys.exit(main())
