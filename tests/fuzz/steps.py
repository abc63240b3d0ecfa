"""The steps pipeline/upload.py runs for an upload's bytes, with every answer checked against
tests/fuzz/contracts.py: libmagic on the head, the structural probe in a probe worker, the
decision under a profile, and for a file the profile accepts, its preview in a render worker.

Shared by the property (test_upload_steps.py) and the kept regressions (test_regressions.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from mediagate.inspect.facts import Facts
from mediagate.inspect.sniff import HEAD_BYTES, Sniffed, sniff
from mediagate.media.declared import Declared
from mediagate.media.preview_spec import PreviewSpec
from mediagate.policy.decide import check_head_type, decide
from mediagate.policy.profiles import BUILT_IN, Profile
from mediagate.preview.result import PREVIEWABLE_TYPES, RenderedPreview, RenderFailure
from mediagate.reasons import Finding
from mediagate.workers.pool import WorkerFailed
from tests.fuzz import contracts
from tests.fuzz.lanes import Lanes

# The built-in profiles, and web-messaging opened to TIFF and SVG (as tests/conftest.py's
# "open-images" is) so their probes run under a profile too.
PROFILES: tuple[Profile, ...] = (
    *BUILT_IN.values(),
    Profile(
        name="open-images",
        description="web-messaging, and TIFF and SVG",
        max_size_bytes=10 * 1024 * 1024,
        accepted_mime_types=BUILT_IN["web-messaging"].accepted_mime_types
        | {"image/tiff", "image/svg+xml"},
    ),
)


@dataclass(frozen=True)
class Outcome:
    sniffed: Sniffed
    early: Finding | None  # what intake's head check refused it for, if anything
    facts: Facts
    verdict: list[Finding]
    preview: RenderedPreview | RenderFailure | WorkerFailed | None


def run_upload_steps(
    lanes: Lanes, spool: Path, data: bytes, profile: Profile, declared: Declared
) -> Outcome:
    spool.write_bytes(data)

    sniffed = sniff(data[:HEAD_BYTES])
    assert isinstance(sniffed.mime_type, str) and sniffed.mime_type
    early = check_head_type(sniffed.mime_type, profile)
    contracts.check_findings([early] if early else [], spool)

    if data:
        facts = lanes.probe(spool, sniffed.mime_type, profile.probe_limits())
    else:  # pipeline/upload.py never sends an empty file to a worker
        facts = Facts(mime_type="inode/x-empty", magic_mime=sniffed.mime_type)
    contracts.check_facts(facts, spool)

    verdict = decide(facts, profile, declared, len(data), hashlib.sha256(data).hexdigest())
    contracts.check_verdict(verdict, facts, profile, spool)

    preview: RenderedPreview | RenderFailure | WorkerFailed | None = None
    if not verdict and facts.mime_type in PREVIEWABLE_TYPES:
        spec = PreviewSpec()
        preview = lanes.render(spool, facts.mime_type, spec, profile.max_pixels)
        if not isinstance(preview, WorkerFailed):
            contracts.check_render(preview, spec, spool)
    return Outcome(sniffed, early, facts, verdict, preview)
