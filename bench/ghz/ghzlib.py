"""What bench/ghz/run.py and bench/ghz/loadtest.py share: paths, the call data ghz sends, running
ghz with a timeout, and reading its JSON report.

ghz reaches mediagate through server reflection alone (mediagate answers reflection queries for
method symbols, which grpc-python's stock reflection does not: grpc/grpc#34743,
bojand/ghz#419; see server/mediagate/api/reflection.py). The bare sink has no reflection, so it
gets the descriptors mediagate serves, fetched over reflection and handed to ghz as a protoset:
no .proto files either way.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc
from google.protobuf import descriptor_pb2
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

ROOT = Path(__file__).resolve().parents[2]
HERE = ROOT / "bench" / "ghz"
GHZ = HERE / ".bin" / "ghz"
HTMLREPORT = HERE / ".bin" / "htmlreport"
CONFIGS = HERE / "configs"
RESULTS = ROOT / "bench" / "results" / "ghz"
DATA = ROOT / "bench" / "results" / "ghz-data"
SERVICE = "mediagate.v1.AttachmentService"
MIB = 1024 * 1024
CHUNK = MIB  # max_chunk_size_bytes = recommended_chunk_size_bytes

if str(ROOT) not in sys.path:  # tests.support, for the scripts
    sys.path.insert(0, str(ROOT))

from mediagate.v1 import attachment_service_pb2 as pb  # noqa: E402


def rel(path: Path) -> str:
    """A path as the committed configs spell it: relative to the repository root (ghz's cwd)."""
    return os.path.relpath(path, ROOT)


# --- call data -------------------------------------------------------------------------------


def csv_bytes(size: int, salt: int = 0) -> bytes:
    """A CSV export of `size` bytes: arbitrary bytes that web-messaging accepts (as text/csv)."""
    row = f"{salt},2026-11-22T10:00:00Z,guest message attachment,42.5,ok\n".encode()
    return (row * (size // len(row) + 1))[:size]


def upload_messages(data: bytes, file_name: str, profile: str = "") -> list[pb.UploadRequest]:
    """The header (declared type, size and sha256), then chunks of 1 MiB."""
    header = pb.UploadHeader(
        file_name=file_name,
        declared_mime_type="text/csv",
        declared_size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        profile=profile,
    )
    messages = [pb.UploadRequest(header=header)]
    messages += [
        pb.UploadRequest(chunk=data[offset : offset + CHUNK])
        for offset in range(0, len(data), CHUNK)
    ]
    return messages


def varint(value: int) -> bytes:
    """Protobuf base-128 varint (the length prefix of a delimited message)."""
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def write_binary_stream(path: Path, messages: Sequence[pb.UploadRequest]) -> Path:
    """ghz's `binary-file` for a client stream: length-delimited (varint) serialized messages,
    sent in order, one stream per call. Kept out of JSON so the report does not embed the file
    (ghz copies JSON call data into every report) and ghz parses it once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        for message in messages:
            raw = message.SerializeToString()
            out.write(varint(len(raw)))
            out.write(raw)
    return path


def upload_json(messages: Sequence[pb.UploadRequest]) -> list[dict[str, Any]]:
    """The same stream as ghz JSON call data (a JSON array = the messages of one stream; bytes
    as base64). Only for reading or running by hand: the bench uses the binary file."""
    out: list[dict[str, Any]] = []
    for message in messages:
        if message.HasField("header"):
            h = message.header
            out.append(
                {
                    "header": {
                        "file_name": h.file_name,
                        "declared_mime_type": h.declared_mime_type,
                        "declared_size_bytes": str(h.declared_size_bytes),
                        "sha256": h.sha256,
                        "profile": h.profile,
                    }
                }
            )
        else:
            out.append({"chunk": base64.b64encode(message.chunk).decode()})
    return out


def write_json(path: Path, value: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, indent=1) + "\n")
    return path


def preview_source_jpeg(width: int = 1600, height: int = 1200) -> bytes:
    """A photo-sized JPEG with detail everywhere (so decode, resize and encode do real work)."""
    import io

    from PIL import Image, ImageChops

    noise = Image.effect_noise((width, height), 48).convert("RGB")
    gradient = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    image = ImageChops.add(
        ImageChops.multiply(gradient, Image.new("RGB", gradient.size, (255, 180, 90))),
        noise,
        scale=1.6,
    )
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


# --- descriptors ------------------------------------------------------------------------------


def fetch_protoset(address: str, out: Path, symbol: str = SERVICE, timeout: float = 10.0) -> Path:
    """Asks the server's reflection for the file defining `symbol` and every file it imports,
    and writes them as a FileDescriptorSet (ghz --protoset)."""
    files: dict[str, descriptor_pb2.FileDescriptorProto] = {}
    with grpc.insecure_channel(address) as channel:
        stub = reflection_pb2_grpc.ServerReflectionStub(channel)

        def ask(request: reflection_pb2.ServerReflectionRequest) -> None:
            for response in stub.ServerReflectionInfo(iter([request]), timeout=timeout):
                if response.HasField("error_response"):
                    raise RuntimeError(f"reflection: {response.error_response.error_message}")
                for raw in response.file_descriptor_response.file_descriptor_proto:
                    proto = descriptor_pb2.FileDescriptorProto.FromString(raw)
                    files.setdefault(proto.name, proto)

        ask(reflection_pb2.ServerReflectionRequest(file_containing_symbol=symbol))
        while missing := {d for f in files.values() for d in f.dependency} - files.keys():
            for name in sorted(missing):
                ask(reflection_pb2.ServerReflectionRequest(file_by_filename=name))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(descriptor_pb2.FileDescriptorSet(file=list(files.values())).SerializeToString())
    return out


# --- running ghz ------------------------------------------------------------------------------


@dataclass
class Report:
    """The figures of one ghz JSON report that the summaries use (latencies in ms)."""

    name: str
    count: int
    ok: int
    rps: float
    total_s: float
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    slowest_ms: float
    status_codes: dict[str, int]
    errors: dict[str, int] = field(default_factory=dict)
    end_reason: str = ""

    @property
    def error_count(self) -> int:
        return self.count - self.ok

    @classmethod
    def load(cls, path: Path, name: str) -> Report:
        raw = json.loads(path.read_text())
        percentiles = {
            item["percentage"]: item["latency"] / 1e6
            for item in raw.get("latencyDistribution") or []
        }
        codes: dict[str, int] = raw.get("statusCodeDistribution") or {}
        return cls(
            name=name,
            count=int(raw.get("count", 0)),
            ok=int(codes.get("OK", 0)),
            rps=float(raw.get("rps", 0.0)),
            total_s=float(raw.get("total", 0)) / 1e9,
            p50_ms=percentiles.get(50),
            p95_ms=percentiles.get(95),
            p99_ms=percentiles.get(99),
            slowest_ms=float(raw.get("slowest", 0)) / 1e6,
            status_codes=codes,
            errors=raw.get("errorDistribution") or {},
            end_reason=str(raw.get("endReason", "")),
        )


class GhzError(RuntimeError):
    pass


def ghz_command(
    config: Path, host: str, output: Path, protoset: Path | None, extra: Sequence[str] = ()
) -> list[str]:
    """protoset None: ghz asks the server's reflection."""
    return [
        str(GHZ),
        f"--config={config}",
        *([f"--protoset={protoset}"] if protoset else []),
        "--format=json",
        f"--output={output}",
        *extra,
        host,
    ]


def start_ghz(
    config: Path,
    host: str,
    output: Path,
    protoset: Path | None,
    extra: Sequence[str] = (),
    env: dict[str, str] | None = None,
) -> subprocess.Popen[str]:
    """Starts ghz with cwd = the repository root (the configs' data paths are relative to it)."""
    if not GHZ.exists():
        raise GhzError(f"{GHZ} is missing: run bench/ghz/install.sh")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.unlink(missing_ok=True)
    return subprocess.Popen(
        ghz_command(config, host, output, protoset, extra),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )


def finish_ghz(process: subprocess.Popen[str], output: Path, name: str, timeout: float) -> Report:
    """Waits (bounded) for a ghz started by start_ghz and reads its report."""
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        raise GhzError(f"{name}: ghz did not finish within {timeout:.0f} s") from None
    finally:  # also on any other exception (an alarm, a signal): never leave ghz running
        if process.poll() is None:
            process.kill()
            process.communicate()
    if process.returncode != 0 or not output.exists():
        raise GhzError(f"{name}: ghz exited {process.returncode}: {(stderr or stdout).strip()}")
    return Report.load(output, name)


def run_ghz(
    config: Path,
    host: str,
    output: Path,
    protoset: Path | None,
    name: str,
    timeout: float,
    extra: Sequence[str] = (),
) -> Report:
    process = start_ghz(config, host, output, protoset, extra)
    return finish_ghz(process, output, name, timeout)


def render_html(report_json: Path, timeout: float = 60.0) -> Path:
    """NAME.html beside NAME.json: ghz's own HTML report (`-O html`) of the same run."""
    html = report_json.with_suffix(".html")
    if not HTMLREPORT.exists():
        raise GhzError(f"{HTMLREPORT} is missing: run bench/ghz/install.sh")
    subprocess.run([str(HTMLREPORT), str(report_json), str(html)], check=True, timeout=timeout)
    return html


# --- processes --------------------------------------------------------------------------------


@contextmanager
def bare_sink(timeout: float = 30.0) -> Iterator[str]:
    """bench/bare_sink.py in a child process; yields its address and always stops it."""
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "bare_sink.py")],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "server")},
    )
    try:
        assert process.stderr is not None
        deadline = time.monotonic() + timeout
        line = ""
        while "listening on" not in line:
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"bare sink did not start: {line!r}")
            line = process.stderr.readline()
        yield line.rsplit(" ", 1)[-1].strip()
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


# --- output -----------------------------------------------------------------------------------


def ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def table(reports: Sequence[Report], extra: dict[str, str] | None = None) -> str:
    """name | requests/s | p50 | p95 | p99 | errors (latencies in ms), with optional notes."""
    rows = [("name", "requests/s", "p50 ms", "p95 ms", "p99 ms", "errors", "")]
    for r in reports:
        note = (extra or {}).get(r.name, "")
        rows.append(
            (
                r.name,
                f"{r.rps:.0f}",
                ms(r.p50_ms),
                ms(r.p95_ms),
                ms(r.p99_ms),
                f"{r.error_count}/{r.count}",
                note,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [
            cell.ljust(widths[i]) if i in (0, 6) else cell.rjust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append(" | ".join(cells).rstrip())
        if n == 0:
            lines.append("-+-".join("-" * w for w in widths))
    return "\n".join(lines)
