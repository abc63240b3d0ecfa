"""Runs the public hostile corpus (../shared/corpus-public) through a live server's Validate.

    make corpus        (CORPUS_DIR=... to point elsewhere)

Every file must get an answer (accepted, or refused with a reason) within ANSWER_SECONDS, and
the server must stay up with bounded memory. Verdicts are compared with MANIFEST.tsv; a
disagreement fails the check unless checks/corpus_disagreements.toml explains it.
Audio files go through the "voice" profile, everything else through a profile that extends
web-messaging with TIFF and SVG so that those probes meet their hostile samples too.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
import tomllib
from pathlib import Path

import grpc

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.calls import validate  # noqa: E402
from tests.support.server_process import ServerProcess  # noqa: E402

from mediagate.client import error_details  # noqa: E402
from mediagate.media.mime import type_for_extension  # noqa: E402
from mediagate.v1 import reasons_pb2  # noqa: E402

ANSWER_SECONDS = 10.0
MAX_SERVER_RSS = 400 * 1024 * 1024

PROFILES = """
[profiles.corpus]
extends = "web-messaging"
description = "web-messaging plus TIFF and SVG, to exercise those probes"
accepted_mime_types = ["image/jpeg", "image/png", "image/gif", "image/webp", "image/tiff",
    "image/svg+xml", "application/pdf", "text/plain", "text/csv",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation"]
"""

# The manifest's snake_case reason names -> the RejectionReason values that mean the same.
SAME_AS = {
    "ok": {"ACCEPTED"},
    "decompression_bomb": {"TOO_MANY_PIXELS", "DECOMPRESSION_BOMB"},
    "macro_enabled": {"ACTIVE_CONTENT"},
    "too_long_audio": {"TOO_LONG"},
}


def expected_answers(row: dict[str, str]) -> set[str]:
    names = [row["expected_reason"]]
    for part in row["notes"].split(";"):
        part = part.strip()
        if part.startswith("alt="):
            # "alt=a|b if SVG is banned": the names are the first word, the rest is prose.
            names += part[4:].split()[0].split("|")
    answers: set[str] = set()
    for name in names:
        answers |= SAME_AS.get(name, {name.upper()})
    return answers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus-public")
    args = parser.parse_args()
    manifest = args.corpus / "MANIFEST.tsv"
    if not manifest.exists():
        print(f"no corpus at {args.corpus}; nothing to check", file=sys.stderr)
        return 1
    rows = list(csv.DictReader(manifest.open(), delimiter="\t"))
    explained = tomllib.loads((ROOT / "checks" / "corpus_disagreements.toml").read_text())

    failures: list[str] = []
    agreed = 0
    with tempfile.TemporaryDirectory() as tmp:
        profiles = Path(tmp) / "profiles.toml"
        profiles.write_text(PROFILES)
        env = {"MEDIAGATE_PROFILES_FILE": str(profiles), "MEDIAGATE_LOG_LEVEL": "WARNING"}
        with ServerProcess(Path(tmp) / "data", env) as server:
            stub = server.stub()
            print(f"{'file':55} {'expected':28} {'answer':22} {'ms':>6}")
            for row in rows:
                path = args.corpus / row["path"]
                data = path.read_bytes()
                profile = "voice" if row["category"] == "audio" else "corpus"
                declared = type_for_extension(path.name) or ""  # as a browser would declare it
                start = time.perf_counter()
                try:
                    verdict = validate(stub, data, path.name, declared, profile=profile)
                    answer = (
                        "ACCEPTED"
                        if verdict.accepted
                        else reasons_pb2.RejectionReason.Name(
                            verdict.rejections[0].reason
                        ).removeprefix("REJECTION_REASON_")
                    )
                except grpc.RpcError as error:
                    details = error_details(error)
                    answer = f"ERROR {error.code().name} {details[0].reason if details else ''}"  # type: ignore[attr-defined]
                    failures.append(f"{row['path']}: no verdict ({answer})")
                ms = (time.perf_counter() - start) * 1000
                expected = expected_answers(row)
                agrees = answer in expected
                agreed += agrees
                mark = "" if agrees else "  <- disagrees"
                print(
                    f"{row['path']:55} {'/'.join(sorted(expected)):28} {answer:22} {ms:6.0f}{mark}"
                )
                if ms > ANSWER_SECONDS * 1000:
                    failures.append(f"{row['path']}: answered in {ms:.0f} ms")
                if not agrees:
                    why = explained.get(row["path"], {})
                    if why.get("answer") != answer:
                        failures.append(
                            f"{row['path']}: answered {answer}, manifest expects "
                            f"{sorted(expected)}, and corpus_disagreements.toml does not explain it"
                        )
                    else:
                        print(f"    explained: {why['why']}")
            peak = server.peak_rss_bytes()
            alive = server.process is not None and server.process.poll() is None
    print(
        f"\nagreement: {agreed}/{len(rows)} = {agreed / len(rows):.0%}; "
        f"server peak RSS {peak / 2**20:.0f} MiB"
    )
    if peak > MAX_SERVER_RSS:
        failures.append(f"server peak RSS {peak / 2**20:.0f} MiB over {MAX_SERVER_RSS / 2**20:.0f}")
    if not alive:
        failures.append("the server died during the corpus run")
    for failure in failures:
        print(f"FAIL {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
