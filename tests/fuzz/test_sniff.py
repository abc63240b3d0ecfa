"""libmagic on hostile heads. Unlike the probe, sniffing runs inside the server process (on
the first 64 KiB, while bytes arrive), so a crash here would take the server down with it:
it is fuzzed in-process, with mutated real heads and with bytes of no format at all."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mediagate.inspect.sniff import HEAD_BYTES, Sniffed, sniff
from tests.fuzz import profiles
from tests.fuzz.mutations import Mutant, mutants


def _check(sniffed: Sniffed) -> None:
    assert isinstance(sniffed, Sniffed)
    assert isinstance(sniffed.mime_type, str) and sniffed.mime_type
    # Normalised: lower case, no parameters. (Not normalise()'s fixed point: libmagic's ADTS
    # type becomes audio/aac, which a caller's declaration would read as audio/mp4.)
    assert sniffed.mime_type == sniffed.mime_type.split(";")[0].strip().lower()
    assert isinstance(sniffed.description, str)


@profiles.share(1.0)
@given(mutant=mutants())
def test_sniff_names_a_type_for_any_mutated_head(mutant: Mutant) -> None:
    _check(sniff(mutant.data[:HEAD_BYTES]))


@profiles.share(1.0)
@given(head=st.binary(max_size=4096))
def test_sniff_names_a_type_for_any_bytes(head: bytes) -> None:
    _check(sniff(head))
