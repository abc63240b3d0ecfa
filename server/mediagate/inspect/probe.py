"""The structural probe: one entry point that sends a file to its format family's module.

Runs in a worker process (under the caller's timeout and memory cap) and never raises:
whatever a decoder or parser throws becomes a CORRUPT finding, so a hostile file can cost
a worker time but never crash the request.
"""

from __future__ import annotations

from dataclasses import replace

from mediagate.inspect.archive import probe_archive
from mediagate.inspect.audio import AUDIO_TYPES, probe_after_id3, probe_audio
from mediagate.inspect.facts import Facts, ProbeLimits
from mediagate.inspect.id3v2 import ID3_TAGGED
from mediagate.inspect.image import handles, probe_image
from mediagate.inspect.office import (
    ENCRYPTED_CONTAINER,
    OFFICE_TYPES,
    encrypted_container,
    probe_office,
)
from mediagate.inspect.ole import OLE_TYPES, probe_ole
from mediagate.inspect.pdf import PDF, probe_pdf
from mediagate.inspect.svg import SVG_CANDIDATES, probe_svg
from mediagate.inspect.text import TEXT_TYPES, probe_text
from mediagate.media.mime import ZIP
from mediagate.media.scrub import describe, scrub_paths
from mediagate.reasons import Finding, Reason


def probe_file(path: str, sniffed_mime: str, limits: ProbeLimits) -> Facts:
    """Facts about the file at `path`, which libmagic called `sniffed_mime` (normalised).

    Types no family knows come back as Facts(mime_type=sniffed_mime) with no findings:
    refusing them is policy's business.
    """
    try:
        facts = _dispatch(path, sniffed_mime, limits)
    except Exception as exc:  # the contract: nothing escapes, whatever the file does
        facts = Facts(
            mime_type=sniffed_mime,
            findings=[Finding(Reason.CORRUPT, f"The file cannot be inspected: {describe(exc)}")],
        )
    facts.magic_mime = facts.magic_mime or sniffed_mime
    facts.findings = [_finished(f, facts.mime_type, path) for f in facts.findings]
    return facts


def _dispatch(path: str, mime: str, limits: ProbeLimits) -> Facts:
    if handles(mime, limits):
        return probe_image(path, mime, limits)
    if mime == PDF:
        return probe_pdf(path, limits)
    if mime in OFFICE_TYPES:
        facts = probe_office(path, mime, limits)
        # No OOXML document inside: a plain archive, held to the archive rules.
        return probe_archive(path, limits) if facts.mime_type == ZIP else facts
    if mime in OLE_TYPES:
        return probe_ole(path, mime)
    if mime == ENCRYPTED_CONTAINER:
        return encrypted_container()
    if mime in SVG_CANDIDATES:
        return probe_svg(path, mime)
    if mime in TEXT_TYPES:
        return probe_text(path, mime)
    if mime in AUDIO_TYPES:
        return probe_audio(path, mime)
    if mime == ID3_TAGGED:
        return probe_after_id3(path)
    return Facts(mime_type=mime)


def _finished(finding: Finding, mime: str, path: str) -> Finding:
    """Adds the detected type, and keeps the worker's file path out of messages (FFmpeg and
    Pillow quote it), since messages reach the caller."""
    metadata = {"detected_mime_type": mime, **finding.metadata}
    message = scrub_paths(finding.message, path, placeholder="the file")
    return replace(finding, message=message, metadata=metadata)
