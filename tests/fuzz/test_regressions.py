"""Inputs that broke a contract, kept under tests/fuzz/regressions/ and run on every
`make fuzz`: each goes through the upload steps under every profile, and the tests below pin
down what its fix promises. Each was found by this suite (or, for the MP3, is the realistic
form of what it found: a tag PyAV could not decode)."""

from __future__ import annotations

from pathlib import Path

import magic
import pytest

from mediagate.inspect import sniff as sniff_module
from mediagate.inspect.sniff import HEAD_BYTES, sniff
from mediagate.media.declared import Declared
from mediagate.policy.profiles import BUILT_IN, Profile
from mediagate.preview.result import RenderedPreview
from mediagate.reasons import Reason
from tests.fuzz.lanes import Lanes
from tests.fuzz.steps import PROFILES, run_upload_steps

REGRESSIONS = Path(__file__).parent / "regressions"
KEPT = sorted(path.name for path in REGRESSIONS.iterdir() if not path.name.startswith("."))


def kept(name: str) -> bytes:
    return (REGRESSIONS / name).read_bytes()


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.name)
@pytest.mark.parametrize("name", KEPT)
def test_every_kept_input_goes_through_the_upload_steps(
    lanes: Lanes, spool: Path, name: str, profile: Profile
) -> None:
    run_upload_steps(lanes, spool, kept(name), profile, Declared(file_name=name))


# --- libmagic past its limits ----------------------------------------------------------------


def test_a_head_that_exhausts_libmagic_is_still_identified_as_a_jpeg(
    lanes: Lanes, spool: Path
) -> None:
    """62 JFIF APP0 segments: libmagic's description rules raise "name use count (64)
    exceeded", which used to escape sniff() and end the upload as an INTERNAL fault. Its MIME
    rules still answer, and the file is an ordinary JPEG."""
    data = kept("jpeg-with-62-jfif-segments.jpg")
    with pytest.raises(magic.MagicException):
        magic.Magic().from_buffer(data)  # the libmagic behaviour this guards against
    sniffed = sniff(data[:HEAD_BYTES])
    assert sniffed.mime_type == "image/jpeg"
    assert "libmagic gave up" in sniffed.description
    outcome = run_upload_steps(lanes, spool, data, BUILT_IN["web-messaging"], Declared())
    assert outcome.verdict == []


def test_a_head_libmagic_cannot_type_is_refused_as_unsupported(
    lanes: Lanes, spool: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the MIME rules give up too, the file is unidentified data, which every profile
    refuses with a typed reason instead of a server fault."""

    class GivesUp:
        def from_buffer(self, head: bytes) -> str:
            raise magic.MagicException(b"name use count (64) exceeded")

    monkeypatch.setattr(sniff_module, "_handles_pair", (GivesUp(), GivesUp()))
    data = kept("jpeg-with-62-jfif-segments.jpg")
    outcome = run_upload_steps(lanes, spool, data, BUILT_IN["web-messaging"], Declared())
    assert outcome.sniffed.mime_type == "application/octet-stream"
    assert outcome.early is not None and outcome.early.reason is Reason.UNSUPPORTED_TYPE
    assert [f.reason for f in outcome.verdict] == [Reason.UNSUPPORTED_TYPE]


# --- tags PyAV could not decode ------------------------------------------------------------


def test_an_mp3_with_latin1_bytes_in_its_title_is_accepted_and_previewed(
    lanes: Lanes, spool: Path
) -> None:
    """A TIT2 frame that says UTF-8 and holds Latin-1 ("Caf\\xe9 memo"), as careless taggers
    write them. PyAV decoded every tag strictly on open, so the probe refused the recording
    as CORRUPT and the waveform preview failed, though its audio is whole."""
    data = kept("mp3-with-latin1-bytes-in-a-utf8-title.mp3")
    assert b"TIT2" in data and b"Caf\xe9 memo" in data
    outcome = run_upload_steps(lanes, spool, data, BUILT_IN["voice"], Declared())
    assert outcome.verdict == []
    assert outcome.facts.audio is not None and outcome.facts.audio.duration_seconds > 0.1
    assert isinstance(outcome.preview, RenderedPreview)


# --- durations FFmpeg wraps -------------------------------------------------------------------


def test_a_short_ogg_vorbis_recording_lasts_as_long_as_it_does(lanes: Lanes, spool: Path) -> None:
    """0.1 s of Vorbis, all on the last Ogg page: FFmpeg hands over its last packet's negative
    duration as 2**32 - 704 ticks, and the probe measured 27 hours (TOO_LONG)."""
    data = kept("ogg-vorbis-of-a-tenth-of-a-second.ogg")
    outcome = run_upload_steps(lanes, spool, data, BUILT_IN["voice"], Declared())
    assert outcome.verdict == []
    assert outcome.facts.audio is not None
    assert 0.09 < outcome.facts.audio.duration_seconds < 0.15
