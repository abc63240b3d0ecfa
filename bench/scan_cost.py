"""What a clamd scan adds to an upload: small JPEGs uploaded one after another to a server
without MEDIAGATE_CLAMD and to one with it (a real clamd, tests/support/clamd.py, with only the
two EICAR test signatures), in one run, interleaved in rounds so drift hits both alike.

    .venv/bin/python bench/scan_cost.py [--uploads 50] [--rounds 3] [--transport unix|tcp]

A clamd with the full signature database scans slower per byte than this one (and needs about
1 GiB of memory); what this measures is the step's fixed cost: a connection, INSTREAM, a reply.
"""

from __future__ import annotations

import argparse
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


def per_upload_ms(server: ServerProcess, data: bytes, uploads: int) -> float:
    stub = server.stub()
    upload(stub, data, "warm.jpg", "image/jpeg")  # the connection and the workers warm
    started = time.perf_counter()
    for i in range(uploads):
        upload(stub, data, f"p{i}.jpg", "image/jpeg")
    return (time.perf_counter() - started) / uploads * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--uploads", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--transport", choices=["unix", "tcp"], default="unix")
    args = parser.parse_args()
    data = images.jpeg(64, 48)
    with tempfile.TemporaryDirectory() as tmp, ClamdProcess() as clamd:
        address = clamd.unix_address if args.transport == "unix" else clamd.tcp_address
        # No eager previews would be fairer still, but both servers do the same work besides.
        plain = ServerProcess(Path(tmp) / "plain").start()
        scanned = ServerProcess(Path(tmp) / "scanned", {"MEDIAGATE_CLAMD": address}).start()
        try:
            without, with_scan = [], []
            for _ in range(args.rounds):
                without.append(per_upload_ms(plain, data, args.uploads))
                with_scan.append(per_upload_ms(scanned, data, args.uploads))
        finally:
            plain.terminate()
            scanned.terminate()
    a, b = statistics.median(without), statistics.median(with_scan)
    print(
        f"{args.uploads} uploads of a {len(data)}-byte JPEG x {args.rounds} rounds, "
        f"clamd over {args.transport}:\n"
        f"  without MEDIAGATE_CLAMD  {a:.2f} ms per upload  (rounds: "
        + ", ".join(f"{x:.2f}" for x in without)
        + ")\n"
        f"  with MEDIAGATE_CLAMD     {b:.2f} ms per upload  (rounds: "
        + ", ".join(f"{x:.2f}" for x in with_scan)
        + f")\n  the scan adds            {b - a:.2f} ms ({(b / a - 1) * 100:.0f} %)"
    )


if __name__ == "__main__":
    main()
