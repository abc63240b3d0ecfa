"""What the finishing steps (pipeline/finish.py) add to an upload: metadata stripping and the
malware scan, against a server that runs neither, in one run.

    make bench-finish       (or: .venv/bin/python bench/finish_cost.py [--uploads 40] [--rounds 3])

Three servers run as child processes, all on the web-messaging profile:
  baseline   strip_metadata off (a profiles file), no scanner: what an upload cost before
  default    the defaults: strip_metadata on, no scanner
  scanned    strip_metadata on and MEDIAGATE_CLAMD: a real clamd (tests/support/clamd.py) with
             only the two EICAR test signatures, over its unix socket
Inputs, each uploaded `--uploads` times per round, the servers taking turns upload by upload so
drift hits every server alike; medians of the rounds:
  clean JPEG   640x480 photo-like JPEG with no metadata: the default path must stay within 5 %
  clean PNG    320x240 PNG with no metadata
  phone JPEG   the same size with EXIF (GPS, Orientation), XMP, an ICC profile and a comment:
               what stripping costs when it has work to do
A full signature database scans slower per byte than this clamd; what is measured for the scan
is the step's fixed cost (a connection, INSTREAM, a reply) and the bytes of these small files.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.samples import images  # noqa: E402
from tests.support.calls import upload  # noqa: E402
from tests.support.clamd import ClamdProcess  # noqa: E402
from tests.support.server_process import ServerProcess  # noqa: E402

KEEP_METADATA = "[profiles.web-messaging]\nstrip_metadata = false\n"


def per_upload_ms(
    servers: dict[str, ServerProcess], data: bytes, name: str, mime: str, n: int
) -> dict[str, float]:
    """Each server's mean ms per upload, the servers taking turns upload by upload (so that
    drift in the machine's speed hits them alike)."""
    stubs = {label: server.stub() for label, server in servers.items()}
    for stub in stubs.values():
        upload(stub, data, "warm-" + name, mime)  # the connection and the workers warm
    spent = dict.fromkeys(servers, 0.0)
    for i in range(n):
        for label, stub in stubs.items():
            started = time.perf_counter()
            upload(stub, data, f"{i}-{name}", mime)
            spent[label] += time.perf_counter() - started
    return {label: seconds / n * 1000 for label, seconds in spent.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--uploads", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    clean_jpeg = io.BytesIO()
    images.textured(640, 480).save(clean_jpeg, "JPEG", quality=90)
    inputs = {
        "clean JPEG": (clean_jpeg.getvalue(), "p.jpg"),
        "clean PNG": (images.png(320, 240), "p.png"),
        "phone JPEG": (images.jpeg_phone(640, 480), "p.jpg"),
    }
    mimes = {"p.jpg": "image/jpeg", "p.png": "image/png"}
    with tempfile.TemporaryDirectory() as tmp, ClamdProcess() as clamd:
        profiles = Path(tmp) / "profiles.toml"
        profiles.write_text(KEEP_METADATA)
        servers = {
            "baseline": ServerProcess(
                Path(tmp) / "baseline", {"MEDIAGATE_PROFILES_FILE": str(profiles)}
            ).start(),
            "default": ServerProcess(Path(tmp) / "default").start(),
            "scanned": ServerProcess(
                Path(tmp) / "scanned", {"MEDIAGATE_CLAMD": clamd.unix_address}
            ).start(),
        }
        times: dict[tuple[str, str], list[float]] = {}
        try:
            for _ in range(args.rounds):
                for label, (data, name) in inputs.items():
                    round_ms = per_upload_ms(servers, data, name, mimes[name], args.uploads)
                    for server_name, ms in round_ms.items():
                        times.setdefault((label, server_name), []).append(ms)
        finally:
            for server in servers.values():
                server.terminate()
    print(f"{args.uploads} uploads per input x {args.rounds} rounds; median ms per upload:")
    print(f"  {'input':12s} {'bytes':>7s} {'baseline':>9s} {'default':>9s} {'scanned':>9s}")
    for label, (data, _) in inputs.items():
        med = {s: statistics.median(times[(label, s)]) for s in servers}
        base = med["baseline"]
        print(
            f"  {label:12s} {len(data):7d} {base:9.2f} "
            f"{med['default']:6.2f} x{med['default'] / base:.2f} "
            f"{med['scanned']:6.2f} x{med['scanned'] / base:.2f}"
        )


if __name__ == "__main__":
    main()
