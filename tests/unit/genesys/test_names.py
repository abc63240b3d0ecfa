"""File names the platform's UploadMediaRequest accepts."""

from __future__ import annotations

import re

import pytest

from mediagate.genesys.names import MAX_LENGTH, platform_file_name

# What the platform refuses (UploadMediaRequest.fileName).
REFUSED = re.compile(r'^\.|/$|\s|[\\{^}%`\]">\[~<#|]')


@pytest.mark.parametrize(
    ("name", "mime", "expected"),
    [
        ("photo.jpg", "image/jpeg", "photo.jpg"),
        ("my holiday photo.jpg", "image/jpeg", "my_holiday_photo.jpg"),
        (".hidden.pdf", "application/pdf", "hidden.pdf"),
        ("", "image/jpeg", "attachment.jpg"),
        ("   ", "audio/mpeg", "attachment.mp3"),
        ("a<b>|c#d.png", "image/png", "a_b_c_d.png"),
        ("fotografía 📷.webp", "image/webp", "fotografía_📷.webp"),
    ],
)
def test_names_keep_what_the_rules_allow(name: str, mime: str, expected: str) -> None:
    assert platform_file_name(name, mime) == expected


@pytest.mark.parametrize(
    "name", ["../../etc/passwd", "x" * 500 + ".pdf", "tab\there.txt", '{^}%`]">[~<#|', "a/"]
)
def test_every_result_passes_the_platform_rules(name: str) -> None:
    result = platform_file_name(name, "application/pdf")
    assert result and not REFUSED.search(result)
    assert len(result) <= MAX_LENGTH


def test_a_long_name_keeps_its_extension() -> None:
    assert platform_file_name("x" * 500 + ".pdf", "application/pdf").endswith(".pdf")
