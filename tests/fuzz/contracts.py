"""What must hold of every answer, whatever bytes came in: the properties the fuzzers assert.

A refusal must be typed (a Reason, string metadata: both travel in google.rpc.ErrorInfo), must
not name where the server keeps the file (messages reach callers), and must not lose a reason
on the way from probe to verdict. An accepted file must carry the facts its limits are checked
against: an image without its size, or audio without its duration, would pass the pixel and
duration limits unchecked.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from pathlib import Path

from mediagate.errors import ErrorReason
from mediagate.inspect.facts import Facts
from mediagate.media.mime import OOXML, PILLOW_FORMATS
from mediagate.media.preview_spec import PreviewSpec
from mediagate.policy.profiles import Profile
from mediagate.preview.result import RenderedPreview, RenderFailure
from mediagate.reasons import Finding, Reason

_AUDIO_PREFIX = "audio/"
_RENDER_FAILURES = frozenset(
    {ErrorReason.PREVIEW_FAILED, ErrorReason.PREVIEW_UNSUPPORTED, ErrorReason.PAGE_OUT_OF_RANGE}
)
_SIGNATURES = {"image/webp": b"RIFF", "image/jpeg": b"\xff\xd8", "image/png": b"\x89PNG"}


def check_private(text: str, spool: Path) -> None:
    """Neither the spool's directory nor its file name appears in text a caller may read."""
    assert str(spool.parent) not in text, f"the spool directory leaks: {text!r}"
    assert spool.name not in text, f"the spool file name leaks: {text!r}"


def check_metadata(metadata: Mapping[str, str], spool: Path) -> None:
    for key, value in metadata.items():
        assert isinstance(key, str) and isinstance(value, str), f"{key!r}: {value!r}"
        check_private(value, spool)


def check_findings(findings: Iterable[Finding], spool: Path) -> None:
    for finding in findings:
        assert isinstance(finding, Finding), finding
        assert isinstance(finding.reason, Reason), finding
        assert isinstance(finding.message, str) and finding.message, finding
        check_private(finding.message, spool)
        check_metadata(finding.metadata, spool)


def check_facts(facts: Facts, spool: Path) -> None:
    """probe_file's promise: Facts, typed findings that name the detected type, sane numbers."""
    assert isinstance(facts, Facts), facts
    assert isinstance(facts.mime_type, str), facts
    check_findings(facts.findings, spool)
    for finding in facts.findings:
        assert finding.metadata.get("detected_mime_type") == facts.mime_type, finding
    if facts.image is not None:
        image = facts.image
        for number in (image.width, image.height, image.frame_count, image.exif_orientation):
            assert isinstance(number, int) and number >= 0, image
    if facts.document is not None:
        assert facts.document.page_count >= 0, facts.document
    if facts.audio is not None:
        audio = facts.audio
        # NaN compares false with every limit: a NaN duration would pass TOO_LONG unchecked.
        assert math.isfinite(audio.duration_seconds) and audio.duration_seconds >= 0, audio
        claimed = audio.header_duration_seconds
        assert claimed is None or not math.isnan(claimed), audio


def check_verdict(verdict: list[Finding], facts: Facts, profile: Profile, spool: Path) -> None:
    """decide()'s promise: typed refusals, one per reason, none of the probe's lost."""
    assert isinstance(verdict, list), verdict
    check_findings(verdict, spool)
    reasons = [finding.reason for finding in verdict]
    assert len(reasons) == len(set(reasons)), reasons
    missing = {finding.reason for finding in facts.findings} - set(reasons)
    assert not missing, f"the probe's {missing} did not reach the verdict"
    if verdict:
        return
    mime = facts.mime_type
    assert mime in profile.accepted_mime_types, mime
    if mime in PILLOW_FORMATS:
        assert facts.image is not None, f"an {mime} accepted without its size"
    if mime == "application/pdf" or mime in OOXML:
        assert facts.document is not None, f"a {mime} accepted without its page count"
    if mime.startswith(_AUDIO_PREFIX) and profile.max_audio_seconds:
        assert facts.audio is not None, f"{mime} accepted without its duration"


def check_render(result: RenderedPreview | RenderFailure, spec: PreviewSpec, spool: Path) -> None:
    """render_preview's promise: a preview inside the box in the asked format, or a typed
    failure that names no path."""
    if isinstance(result, RenderFailure):
        assert result.reason in _RENDER_FAILURES, result
        assert isinstance(result.message, str) and result.message, result
        check_private(result.message, spool)
        check_metadata(result.metadata, spool)
        return
    assert isinstance(result, RenderedPreview), result
    assert 1 <= result.width <= spec.max_width and 1 <= result.height <= spec.max_height, result
    assert result.mime_type == spec.format.mime_type, result
    assert result.data.startswith(_SIGNATURES[result.mime_type]), result.data[:16]
