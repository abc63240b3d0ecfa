"""A recording's tags never decide its verdict.

Tags are free text the service never reads: whatever bytes a tagger wrote there (Latin-1 under
a UTF-8 label, control characters, NULs), the audio is the same audio. The encoder tag every
FFmpeg-made seed carries ("Lavf62.12.102": ID3 TSSE, Ogg vendor string, WebM MuxingApp, MP4
ilst) is overwritten with arbitrary bytes of its own length, checksums are made right, and the
file must be judged exactly as the untouched seed is: accepted, as long, and previewed.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from mediagate.media.declared import Declared
from mediagate.policy.profiles import BUILT_IN
from mediagate.preview.result import RenderedPreview
from tests.fuzz import layout, profiles
from tests.fuzz.lanes import Lanes
from tests.fuzz.seeds import seed_bytes
from tests.fuzz.steps import Outcome, run_upload_steps

TAGGED = ("mp3", "ogg_opus", "ogg_vorbis", "webm_opus", "m4a")
_ENCODER = re.compile(rb"Lavf[0-9.]+")
_UNTOUCHED: dict[str, Outcome] = {}  # each seed's own outcome, found once


@st.composite
def retagged(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(st.sampled_from(TAGGED))
    data = bytearray(seed_bytes(name))
    tags = [m.span() for m in _ENCODER.finditer(data)]
    assert tags, f"{name} has no encoder tag"
    start, end = draw(st.sampled_from(tags))
    data[start:end] = draw(st.binary(min_size=end - start, max_size=end - start))
    return name, bytes(layout.fix_checksums(data))


@profiles.share(0.25)
@given(case=retagged())
def test_whatever_bytes_a_tag_holds_the_recording_is_judged_the_same(
    lanes: Lanes, spool: Path, case: tuple[str, bytes]
) -> None:
    name, data = case
    voice = BUILT_IN["voice"]
    if name not in _UNTOUCHED:
        _UNTOUCHED[name] = run_upload_steps(lanes, spool, seed_bytes(name), voice, Declared())
    untouched = _UNTOUCHED[name]
    outcome = run_upload_steps(lanes, spool, data, voice, Declared())
    assert outcome.verdict == untouched.verdict == []
    assert outcome.facts.audio == untouched.facts.audio
    assert isinstance(outcome.preview, RenderedPreview)
