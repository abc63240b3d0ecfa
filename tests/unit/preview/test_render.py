"""render_preview's contract: a renderer for each previewable type, PREVIEW_UNSUPPORTED for the
rest, and a RenderFailure, never an exception, for any bytes at all."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mediagate.media.preview_spec import PreviewSpec
from mediagate.preview.render import render_preview
from mediagate.preview.result import PREVIEWABLE_TYPES, RenderedPreview, RenderFailure
from tests.samples import audio, damage, images, office, pdfs, texts
from tests.unit.preview.rendering import failure, render

VALID = {
    "image/jpeg": images.jpeg(),
    "image/png": images.png(),
    "image/gif": images.gif_animated(),
    "image/webp": images.webp(),
    "image/tiff": images.tiff(),
    "image/heic": images.heic(),
    "image/heif": images.heic(),
    "image/avif": images.avif(),
    "application/pdf": pdfs.pdf_colored(),
    # A voice message's preview is its waveform.
    "audio/mpeg": audio.mp3(1.0),
    "audio/wav": audio.wav(1.0),
    "audio/ogg": audio.ogg_opus(1.0),
    "audio/webm": audio.webm_opus(1.0),
    "audio/mp4": audio.m4a_aac(1.0),
    "audio/aac": audio.adts_aac(),
}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_every_previewable_type_has_a_renderer() -> None:
    assert set(VALID) == PREVIEWABLE_TYPES


@pytest.mark.parametrize("mime", sorted(VALID))
def test_a_valid_file_of_each_type_renders(tmp_path: Path, mime: str) -> None:
    assert isinstance(render(tmp_path, VALID[mime], mime), RenderedPreview)


@pytest.mark.parametrize(
    ("data", "mime"),
    [
        (office.docx(), DOCX),
        (texts.svg(), "image/svg+xml"),
        (texts.text(), "text/plain"),
        (texts.csv(), "text/csv"),
    ],
)
def test_other_types_are_unsupported(tmp_path: Path, data: bytes, mime: str) -> None:
    result = failure(tmp_path, data, mime)
    assert result.reason == "PREVIEW_UNSUPPORTED"
    assert mime in result.message


@pytest.mark.parametrize("mime", sorted(VALID))
@pytest.mark.parametrize(
    "data",
    [b"", b"\x00garbage" * 200, os.urandom(4096)],
    ids=["empty", "garbage", "random"],
)
def test_garbage_named_as_each_type_fails_cleanly(tmp_path: Path, mime: str, data: bytes) -> None:
    result = failure(tmp_path, data, mime)
    assert result.reason == "PREVIEW_FAILED"
    assert result.metadata["kind"] == "corrupt"


@pytest.mark.parametrize("mime", sorted(VALID))
def test_another_types_bytes_are_not_guessed_at(tmp_path: Path, mime: str) -> None:
    # A PNG stored as a JPEG (and so on) is not reinterpreted: only the stored type's decoder
    # looks at the file.
    other = VALID["image/png"] if mime != "image/png" else VALID["image/jpeg"]
    assert failure(tmp_path, other, mime).reason == "PREVIEW_FAILED"


@pytest.mark.parametrize("mime", sorted(VALID))
@pytest.mark.parametrize("keep", [0.3, 0.7, 0.95])
def test_a_truncated_file_never_raises(tmp_path: Path, mime: str, keep: float) -> None:
    # PDFium repairs some truncated PDFs, so either outcome is fine; raising is not.
    result = render(tmp_path, damage.truncate(VALID[mime], keep), mime)
    assert isinstance(result, (RenderedPreview, RenderFailure))
    if isinstance(result, RenderFailure):
        assert result.reason == "PREVIEW_FAILED"
        assert str(tmp_path) not in result.message


def test_a_missing_file_fails_without_naming_its_path(tmp_path: Path) -> None:
    for mime in ("image/png", "application/pdf"):
        path = str(tmp_path / "gone")
        result = render_preview(path, mime, PreviewSpec(), 1_000_000)
        assert isinstance(result, RenderFailure)
        assert result.reason == "PREVIEW_FAILED"
        assert str(tmp_path) not in result.message
