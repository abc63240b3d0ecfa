"""What the command line declares for a file when --mime is not given."""

from __future__ import annotations

from pathlib import Path

import pytest

from mediagate.client import file_header, type_from_extension
from mediagate.media.mime import type_for_extension


@pytest.mark.parametrize(
    ("name", "mime"),
    [
        ("photo.jpg", "image/jpeg"),
        ("PHOTO.JPG", "image/jpeg"),
        ("shot.png", "image/png"),
        ("invoice.pdf", "application/pdf"),
        ("notes.txt", "text/plain"),
        ("Mappe1.csv", "text/csv"),
        ("song.mp3", "audio/mpeg"),
        ("note.wav", "audio/wav"),
        ("note.m4a", "audio/mp4"),
        ("letter.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("sheet.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("page.html", "text/html"),
        ("no-extension", ""),
        ("backup.tar.gz", ""),
    ],
)
def test_the_extension_implies_the_declared_type(name: str, mime: str) -> None:
    assert type_from_extension(Path(name)) == mime


@pytest.mark.parametrize(
    "name", ["a.jpg", "a.png", "a.pdf", "a.txt", "a.csv", "a.mp3", "a.wav", "a.m4a", "a.docx"]
)
def test_the_cli_declares_what_the_server_expects_of_the_name(name: str) -> None:
    # Otherwise a well-named file would be refused as a TYPE_MISMATCH of its own name.
    assert type_from_extension(Path(name)) == type_for_extension(name)


def test_file_header_still_declares_only_what_it_is_given(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"x")
    assert file_header(path).declared_mime_type == ""
