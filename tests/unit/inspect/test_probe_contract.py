"""What probe_file promises whatever it is given: it returns Facts and never raises."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from mediagate.inspect import probe as probe_module
from mediagate.inspect.facts import Facts, ProbeLimits
from mediagate.inspect.probe import probe_file
from mediagate.media.mime import DOCX, PPTX, XLSX
from mediagate.reasons import Reason
from tests.samples import audio, executables, images, office, pdfs, texts
from tests.unit.inspect.probing import ALL_IMAGE_FORMATS, only, probe

# Every type the probe dispatches on, and two it does not know.
SNIFFED_TYPES = [
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "image/tiff",
    "application/pdf",
    DOCX,
    XLSX,
    PPTX,
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
    "audio/webm",
    "video/webm",
    "audio/mp4",
    "video/mp4",
    "audio/aac",
    "application/x-executable",
    "application/octet-stream",
]

# The first bytes of each format, so garbage gets past the signature checks and into the
# parsers proper.
PREFIXES = [
    b"",
    b"\xff\xd8\xff\xe0",
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR",
    b"GIF89a",
    b"RIFF\x00\x10\x00\x00WEBPVP8 ",
    b"II*\x00\x08\x00\x00\x00",
    b"%PDF-1.7\n",
    b"PK\x03\x04",
    b"<?xml version='1.0'?><svg ",
    b"ID3\x04\x00\x00\x00\x00\x00\x00\xff\xfb",
    b"RIFF\x00\x10\x00\x00WAVEfmt ",
    b"OggS\x00\x02",
    b"\x1aE\xdf\xa3",
    b"\x00\x00\x00\x20ftypM4A ",
    b"\xff\xf1",
]


def _garbage(rng: random.Random) -> list[bytes]:
    blobs = [prefix + rng.randbytes(rng.choice([0, 1, 17, 700, 5000])) for prefix in PREFIXES]
    blobs.append(b"")
    return blobs


@pytest.mark.parametrize("mime", SNIFFED_TYPES)
def test_garbage_never_raises(tmp_path: Path, mime: str) -> None:
    rng = random.Random(mime)
    for i, data in enumerate(_garbage(rng)):
        path = tmp_path / f"g{i}"
        path.write_bytes(data)
        facts = probe_file(str(path), mime, ALL_IMAGE_FORMATS)
        assert isinstance(facts, Facts)
        for finding in facts.findings:
            assert finding.metadata["detected_mime_type"] == facts.mime_type
            assert str(tmp_path) not in finding.message


DAMAGEABLE = {
    "image/jpeg": images.jpeg(),
    "image/png": images.png(),
    "image/gif": images.gif_animated(),
    "image/webp": images.webp(),
    "image/tiff": images.tiff(),
    "application/pdf": pdfs.pdf(javascript=True),
    DOCX: office.docx(),
    "image/svg+xml": texts.svg(),
    "audio/mpeg": audio.mp3(),
    "audio/ogg": audio.ogg_vorbis(),
    "video/webm": audio.webm_opus(),
    "audio/mp4": audio.m4a_aac(),
    "audio/wav": audio.wav(0.2),
}


@pytest.mark.parametrize("mime", list(DAMAGEABLE))
def test_damaged_real_files_never_raise(tmp_path: Path, mime: str) -> None:
    rng = random.Random(f"damage {mime}")
    original = DAMAGEABLE[mime]
    for i in range(40):
        data = bytearray(original)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        if i % 4 == 0:
            data = data[: rng.randrange(len(data))]
        path = tmp_path / f"d{i}"
        path.write_bytes(bytes(data))
        assert isinstance(probe_file(str(path), mime, ALL_IMAGE_FORMATS), Facts)


@pytest.mark.parametrize(
    "error",
    [
        RecursionError("maximum recursion depth exceeded"),
        MemoryError(),
        TypeError("Missing dimensions"),
        ValueError("bad"),
    ],
    ids=["recursion", "memory", "type", "value"],
)
def test_anything_a_family_raises_becomes_corrupt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: Exception
) -> None:
    def explode(path: str, limits: ProbeLimits) -> Facts:
        raise error

    monkeypatch.setattr(probe_module, "probe_pdf", explode)
    facts = probe(tmp_path, pdfs.pdf())
    finding = only(facts, Reason.CORRUPT)
    assert type(error).__name__ in finding.message
    assert finding.metadata["detected_mime_type"] == "application/pdf"


def test_unknown_types_pass_through_untouched(tmp_path: Path) -> None:
    facts = probe(tmp_path, executables.elf_executable())
    assert facts.mime_type == "application/x-executable"
    assert facts.findings == []
    assert facts.magic_mime == "application/x-executable"
