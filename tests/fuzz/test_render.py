"""render_preview on mutated real files: a preview in the box, or a typed RenderFailure.

The renderer runs on stored files, which passed intake, but it trusts nothing intake decided:
a file stored under an older, looser policy reaches it too. So it is given damaged files as
their stored type, under boxes, formats, pages and pixel caps drawn at random.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from mediagate.media.preview_spec import MAX_BOX, PreviewFormat, PreviewSpec
from mediagate.preview.result import PREVIEWABLE_TYPES
from mediagate.workers.pool import WorkerFailed
from tests.fuzz import contracts, profiles
from tests.fuzz.lanes import Lanes
from tests.fuzz.mutations import Mutant, mutants
from tests.fuzz.seeds import names_of

RENDERED_SEEDS = names_of(*PREVIEWABLE_TYPES)


@st.composite
def specs(draw: st.DrawFn) -> PreviewSpec:
    """Specs as preview_spec.normalise() lets them through."""
    fmt = draw(st.sampled_from(PreviewFormat))
    return PreviewSpec(
        max_width=draw(st.integers(1, MAX_BOX)),
        max_height=draw(st.integers(1, MAX_BOX)),
        format=fmt,
        quality=0 if fmt is PreviewFormat.PNG else draw(st.integers(1, 100)),
        page=draw(st.integers(1, 3)),
    )


@profiles.share(0.5)
@given(
    mutant=mutants(RENDERED_SEEDS),
    spec=st.one_of(st.just(PreviewSpec()), specs()),
    max_pixels=st.sampled_from((50_000_000, 4096, 1)),
)
def test_render_preview_answers_any_damage_with_a_preview_or_a_failure(
    lanes: Lanes, spool: Path, mutant: Mutant, spec: PreviewSpec, max_pixels: int
) -> None:
    spool.write_bytes(mutant.data)
    result = lanes.render(spool, mutant.stored_mime, spec, max_pixels)
    if not isinstance(result, WorkerFailed):
        contracts.check_render(result, spec, spool)
