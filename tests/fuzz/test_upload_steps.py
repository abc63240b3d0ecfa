"""Mutated real files through the steps pipeline/upload.py runs for an upload (steps.py), under
every built-in profile, with what a caller declares about the file drawn too."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from mediagate.media.declared import Declared
from mediagate.media.mime import normalise
from mediagate.policy.profiles import Profile
from tests.fuzz import profiles
from tests.fuzz.lanes import Lanes
from tests.fuzz.mutations import Mutant, mutants
from tests.fuzz.seeds import SEEDS
from tests.fuzz.steps import PROFILES, run_upload_steps

_NAMES = (
    "",
    "photo.jpg",
    "scan.PDF",
    "voice.webm",
    "notes.txt",
    "../../etc/passwd",
    "naïve 東京.csv",
    "x" * 300 + ".png",
)
_MIMES = ("", "application/octet-stream", "image/JPG", "audio/mp3; x=1", "text/csv")


@st.composite
def declarations(draw: st.DrawFn, mutant: Mutant) -> Declared:
    """What a caller might say about the file: right, wrong, absent or hostile."""
    seed = SEEDS[mutant.seed]
    size = len(mutant.data)
    return Declared(
        file_name=draw(st.sampled_from((seed.file_name, *_NAMES))),
        mime_type=normalise(draw(st.sampled_from((seed.mime, *_MIMES)))),
        size_bytes=draw(st.sampled_from((0, size, size + 1, 2**63 - 1))),
        sha256=draw(st.sampled_from(("", mutant.sha256, "0" * 64))),
    )


@profiles.share(1.0)
@given(mutant=mutants(), profile=st.sampled_from(PROFILES), data=st.data())
def test_an_upload_ends_in_facts_and_typed_refusals(
    lanes: Lanes, spool: Path, mutant: Mutant, profile: Profile, data: st.DataObject
) -> None:
    declared = data.draw(declarations(mutant), label="declared")
    run_upload_steps(lanes, spool, mutant.data, profile, declared)
