"""Runs the probe on bytes the way the worker does: written to a file, sniffed by libmagic."""

from __future__ import annotations

from pathlib import Path

from mediagate.inspect.facts import Facts, ProbeLimits
from mediagate.inspect.probe import probe_file
from mediagate.inspect.sniff import HEAD_BYTES, sniff
from mediagate.reasons import Finding, Reason

ALL_IMAGE_FORMATS = ProbeLimits(image_formats=("JPEG", "PNG", "GIF", "WEBP", "TIFF"))


def probe(
    tmp_path: Path,
    data: bytes,
    limits: ProbeLimits | None = None,
    mime: str | None = None,
    name: str = "upload",
) -> Facts:
    path = tmp_path / name
    path.write_bytes(data)
    sniffed = mime if mime is not None else sniff(data[:HEAD_BYTES]).mime_type
    return probe_file(str(path), sniffed, limits or ProbeLimits())


def reasons(facts: Facts) -> list[Reason]:
    return [f.reason for f in facts.findings]


def only(facts: Facts, reason: Reason) -> Finding:
    """The one finding of `reason`, failing when there is none or there are others."""
    assert reasons(facts) == [reason], facts.findings
    return facts.findings[0]
