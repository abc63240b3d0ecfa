"""The seeds are the real files the mutations start from: each is judged as what it is (accepted
under a profile that takes its type, or refused for the one reason it was made to carry), and
each binary format has fields and chunks for the aimed mutations to find. A seed refused by
mistake would make every mutation of it look handled: the short Ogg Vorbis seed, measured as
27 hours long, was found this way."""

from __future__ import annotations

from pathlib import Path

import pytest

from mediagate.media.declared import Declared
from mediagate.policy.profiles import BUILT_IN
from mediagate.reasons import Reason
from tests.fuzz import layout
from tests.fuzz.lanes import Lanes
from tests.fuzz.seeds import NAMES, SEEDS, seed_bytes
from tests.fuzz.steps import PROFILES, run_upload_steps

_TEXT = frozenset({"svg", "text", "csv"})


# The seeds refused on purpose, and why; every other seed is accepted.
_REFUSED = {
    "pdf": [Reason.ACTIVE_CONTENT],  # JavaScript
    "pdf_encrypted": [Reason.ENCRYPTED],
    "adts": [Reason.UNSUPPORTED_TYPE],  # raw AAC: no profile takes it, the voice profile M4A
}


@pytest.mark.parametrize("name", NAMES)
def test_a_seed_is_judged_as_the_file_it_is(lanes: Lanes, spool: Path, name: str) -> None:
    seed = SEEDS[name]
    profile = next(
        (p for p in PROFILES if seed.mime in p.accepted_mime_types), BUILT_IN["web-messaging"]
    )
    declared = Declared(file_name=seed.file_name)
    outcome = run_upload_steps(lanes, spool, seed_bytes(name), profile, declared)
    assert [f.reason for f in outcome.verdict] == _REFUSED.get(name, []), outcome.verdict
    assert outcome.facts.mime_type == seed.mime
    assert len(seed_bytes(name)) <= 8 * 1024, "seeds stay small"


@pytest.mark.parametrize("name", [n for n in NAMES if n not in _TEXT])
def test_a_binary_seed_has_fields_and_chunks_to_aim_at(name: str) -> None:
    found = layout.layout(seed_bytes(name))
    assert found.fields and found.spans
    for field in found.fields:
        data = bytearray(seed_bytes(name))
        for value in layout.extremes(field, seed_bytes(name)):
            layout.write(field, data, value)
