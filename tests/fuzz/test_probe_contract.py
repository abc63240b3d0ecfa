"""probe_file's contract on mutated real files, whatever type it is told the file is.

The upload steps (test_upload_steps.py) probe a file as the type libmagic sees in its head,
so most damage past the head is probed as the seed's own type, and damage to the head sends
the file elsewhere. Here the type is drawn as well: mostly the seed's (its family's parser
meets the damage even when libmagic no longer recognises the file), sometimes any type the
probe dispatches on (a PDF parser fed a PNG's bytes, as a file that starts like one and
continues as the other would be).
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from mediagate.inspect.facts import ProbeLimits
from mediagate.media.mime import OOXML
from tests.fuzz import contracts, profiles
from tests.fuzz.lanes import Lanes
from tests.fuzz.mutations import Mutant, mutants

# Every type probe_file dispatches on (inspect/probe.py), including the libmagic answers that
# the probe refines (application/zip, video/mp4, text/xml, ...).
DISPATCHED = (
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "image/tiff",
    "application/pdf",
    *sorted(OOXML),
    "application/zip",
    "application/encrypted",
    "image/svg+xml",
    "text/xml",
    "application/xml",
    "text/plain",
    "text/csv",
    "audio/mpeg",
    "audio/wav",
    "audio/ogg",
    "video/ogg",
    "audio/webm",
    "video/webm",
    "audio/mp4",
    "video/mp4",
    "audio/aac",
)
# Every image format Pillow may be asked for, so TIFF goes through its decoder too.
ALL_IMAGE_FORMATS = ProbeLimits(image_formats=("JPEG", "PNG", "GIF", "WEBP", "TIFF"))
# Tight limits, so the limit paths (frame counting, page walks, metadata budgets) run too.
TIGHT = ProbeLimits(
    max_pixels=64 * 64,
    max_frames=1,
    max_pages=1,
    max_uncompressed_bytes=4096,
    max_compression_ratio=2.0,
    max_zip_entries=3,
    max_metadata_bytes=1024,
    image_formats=ALL_IMAGE_FORMATS.image_formats,
)


@profiles.share(1.0)
@given(
    mutant=mutants(),
    other_type=st.one_of(st.none(), st.sampled_from(DISPATCHED)),
    limits=st.sampled_from((ALL_IMAGE_FORMATS, TIGHT)),
)
def test_probe_file_answers_any_damage_with_facts(
    lanes: Lanes, spool: Path, mutant: Mutant, other_type: str | None, limits: ProbeLimits
) -> None:
    spool.write_bytes(mutant.data)
    mime = other_type or mutant.stored_mime
    facts = lanes.probe(spool, mime, limits)
    contracts.check_facts(facts, spool)
    # The same bytes, the same answer: a worker serves many files, and nothing one leaves
    # behind (Pillow's pixel cap, a codec's state) may change how the next is judged.
    assert lanes.probe(spool, mime, limits) == facts
