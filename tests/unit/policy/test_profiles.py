from __future__ import annotations

from pathlib import Path

import pytest

from mediagate.policy.profiles import BUILT_IN, ProfileError, load_profiles


def test_built_in_profiles_use_real_mime_names() -> None:
    voice = BUILT_IN["voice"]
    assert "audio/mpeg" in voice.accepted_mime_types
    assert not any("mp3" in m for m in voice.accepted_mime_types)
    assert voice.max_audio_seconds == 60.0
    assert BUILT_IN["web-messaging"].max_size_bytes == 10 * 1024 * 1024


def test_a_file_overrides_and_extends(tmp_path: Path) -> None:
    path = tmp_path / "profiles.toml"
    path.write_text(
        "[profiles.web-messaging]\nmax_size_bytes = 25000000\n\n"
        '[profiles.scans]\nextends = "web-messaging"\naccepted_mime_types = ["image/TIFF"]\n'
        "max_pages = 3\n"
    )
    profiles = load_profiles(path)
    assert profiles["web-messaging"].max_size_bytes == 25_000_000
    assert profiles["web-messaging"].max_pixels == BUILT_IN["web-messaging"].max_pixels
    assert profiles["scans"].accepted_mime_types == frozenset({"image/tiff"})
    assert profiles["scans"].max_pages == 3
    assert profiles["scans"].probe_limits().image_formats == ("TIFF",)
    assert profiles["voice"] == BUILT_IN["voice"]


@pytest.mark.parametrize(
    "body",
    [
        "[profiles.web-messaging]\nmax_size_byte = 1\n",
        "[profiles.web-messaging]\nmax_size_bytes = 'big'\n",
        "[profiles.web-messaging]\nmax_size_bytes = 0\n",
        "[profiles.web-messaging\n",
    ],
)
def test_a_bad_file_is_refused_not_half_applied(tmp_path: Path, body: str) -> None:
    path = tmp_path / "profiles.toml"
    path.write_text(body)
    with pytest.raises(ProfileError):
        load_profiles(path)


def test_eager_previews_are_specs_with_defaults(tmp_path: Path) -> None:
    path = tmp_path / "profiles.toml"
    path.write_text(
        '[profiles.thumbs]\nextends = "web-messaging"\n'
        'eager_previews = [{max_width = 120, format = "JPEG"}, {}]\n'
    )
    specs = load_profiles(path)["thumbs"].eager_previews
    assert [s.cache_key for s in specs] == ["120x300-jpeg-q80-p1", "300x300-webp-q80-p1"]
    assert [s.cache_key for s in BUILT_IN["web-messaging"].eager_previews] == [
        "300x300-webp-q80-p1"
    ]
    path.write_text("[profiles.thumbs]\neager_previews = [{max_width = 9000}]\n")
    with pytest.raises(ProfileError, match="max_width"):
        load_profiles(path)
