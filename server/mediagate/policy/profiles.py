"""Policy profiles as data: built-in defaults, overridable from a TOML file named in settings."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from mediagate.inspect.facts import ProbeLimits
from mediagate.media.mime import (
    DOC,
    DOCX,
    PILLOW_FORMATS,
    PPT,
    PPTX,
    XLS,
    XLSX,
    ZIP,
    normalise,
)
from mediagate.media.preview_spec import PreviewFormat, PreviewSpec, SpecError
from mediagate.media.preview_spec import normalise as normalise_spec

MIB = 1024 * 1024
DAY = 86_400.0


@dataclass(frozen=True)
class Profile:
    name: str
    description: str
    max_size_bytes: int
    accepted_mime_types: frozenset[str]
    max_pixels: int = 50_000_000
    max_frames: int = 1_000
    max_pages: int = 500
    min_audio_seconds: float = 0.0
    max_audio_seconds: float = 0.0  # 0 = no bound
    retention_seconds: float = 30 * DAY
    reject_type_mismatch: bool = True
    reject_extension_mismatch: bool = True
    # Audio codecs accepted per container type; a type missing here accepts any codec.
    audio_codecs: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # Previews rendered in the background right after an upload is accepted.
    eager_previews: tuple[PreviewSpec, ...] = ()
    # Remove metadata (EXIF but Orientation, GPS, XMP, IPTC, comments, PNG text and time,
    # WebP EXIF and XMP, phone trailers) from the stored original, losslessly
    # (pipeline/finish.py); the Attachment reports what was removed.
    strip_metadata: bool = False

    def probe_limits(self) -> ProbeLimits:
        # HEIC and HEIF are one Pillow format.
        formats = tuple(
            dict.fromkeys(f for m, f in PILLOW_FORMATS.items() if m in self.accepted_mime_types)
        )
        return ProbeLimits(
            max_pixels=self.max_pixels,
            max_frames=self.max_frames,
            max_pages=self.max_pages,
            image_formats=formats,
        )


WEB_MESSAGING = Profile(
    name="web-messaging",
    description="Files guests send in a web-messaging chat: photos, PDFs, office documents, text.",
    max_size_bytes=10 * MIB,
    accepted_mime_types=frozenset(
        {
            "image/jpeg",
            "image/png",
            "image/gif",
            "image/webp",
            # Phones' photos; each accepted one gets a JPEG display rendition.
            "image/heic",
            "image/heif",
            "image/avif",
            "application/pdf",
            "text/plain",
            "text/csv",
            DOCX,
            XLSX,
            PPTX,
        }
    ),
    max_pixels=50_000_000,
    # The chat thumbnail: ready before the agent's desktop asks for it.
    eager_previews=(PreviewSpec(),),
    # Guests' photos carry where they were taken; agents need the picture, not the place.
    strip_metadata=True,
)

VOICE = Profile(
    name="voice",
    description="Voice messages recorded in browsers and phones.",
    max_size_bytes=10 * MIB,
    accepted_mime_types=frozenset(
        {"audio/mpeg", "audio/wav", "audio/ogg", "audio/webm", "audio/mp4"}
    ),
    min_audio_seconds=0.0,
    max_audio_seconds=60.0,
    audio_codecs={
        "audio/ogg": frozenset({"vorbis", "opus"}),
        "audio/webm": frozenset({"opus"}),
        "audio/mp4": frozenset({"aac"}),
        "audio/mpeg": frozenset({"mp3", "mp2"}),
    },
)

# Everything web-messaging takes, plus Office 97-2003 files and ZIP archives: for flows where
# guests send paperwork (claims, applications) rather than chat. Macros, encryption, zip bombs
# and unsafe entry names are refused by the probes whatever the profile.
DOCUMENTS = replace(
    WEB_MESSAGING,
    name="documents",
    description="Paperwork: what web-messaging accepts, plus Word/Excel/PowerPoint 97-2003 "
    "files and ZIP archives.",
    max_size_bytes=25 * MIB,
    accepted_mime_types=WEB_MESSAGING.accepted_mime_types | {DOC, XLS, PPT, ZIP},
)

BUILT_IN: Mapping[str, Profile] = {p.name: p for p in (WEB_MESSAGING, VOICE, DOCUMENTS)}


class ProfileError(ValueError):
    """A profiles file that cannot be used; the server refuses to start with it."""


def load_profiles(path: Path | None) -> dict[str, Profile]:
    """The built-in profiles, overridden or extended by [profiles.NAME] tables in a TOML file.

    A table naming a built-in profile changes only the keys it gives; `extends = "NAME"` starts
    a new profile from another one. Unknown keys are errors, so a typo never silently widens or
    narrows policy.
    """
    if path is None:
        return dict(BUILT_IN)
    try:
        text = path.read_text()
    except OSError as exc:
        raise ProfileError(f"cannot read profiles file {path}: {exc}") from exc
    return parse_profiles(text, str(path))


def parse_profiles(text: str, source: str) -> dict[str, Profile]:
    """load_profiles on a file's text (`source` names it in errors): what the admin dry run
    checks, so it answers exactly what the server would start with or stop on."""
    profiles = dict(BUILT_IN)
    try:
        tables = tomllib.loads(text).get("profiles", {})
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"cannot read profiles file {source}: {exc}") from exc
    if not isinstance(tables, dict):
        raise ProfileError(f"{source}: profiles must be a table of [profiles.NAME] tables")
    for name, table in tables.items():
        if not isinstance(table, dict):
            raise ProfileError(f"profile {name}: must be a table ([profiles.{name}])")
        base_name = str(table.get("extends", name))
        base = profiles.get(base_name)
        if base is None:
            base = Profile(
                name=name, description="", max_size_bytes=10 * MIB, accepted_mime_types=frozenset()
            )
        profiles[name] = _apply(replace(base, name=name), table)
    return profiles


_SCALARS = {
    "description": str,
    "max_size_bytes": int,
    "max_pixels": int,
    "max_frames": int,
    "max_pages": int,
    "min_audio_seconds": float,
    "max_audio_seconds": float,
    "retention_seconds": float,
    "reject_type_mismatch": bool,
    "reject_extension_mismatch": bool,
    "strip_metadata": bool,
}


def _apply(profile: Profile, table: Mapping[str, Any]) -> Profile:
    changes: dict[str, Any] = {}
    for key, value in table.items():
        if key == "extends":
            continue
        if key == "accepted_mime_types":
            changes[key] = frozenset(normalise(str(m)) for m in value)
        elif key == "audio_codecs":
            changes[key] = {normalise(k): frozenset(v) for k, v in value.items()}
        elif key == "eager_previews":
            changes[key] = tuple(_preview_spec(profile.name, item) for item in value)
        elif key in _SCALARS:
            kind = _SCALARS[key]
            if kind is float and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                raise ProfileError(f"profile {profile.name}: {key} must be {kind.__name__}")
            changes[key] = value
        else:
            raise ProfileError(f"profile {profile.name}: unknown key {key!r}")
    updated = replace(profile, **changes)
    if updated.max_size_bytes <= 0:
        raise ProfileError(f"profile {profile.name}: max_size_bytes must be positive")
    return updated


def _preview_spec(profile: str, table: Mapping[str, Any]) -> PreviewSpec:
    unknown = set(table) - {"max_width", "max_height", "format", "quality", "page"}
    if unknown:
        raise ProfileError(f"profile {profile}: eager_previews: unknown keys {sorted(unknown)}")
    try:
        fmt = PreviewFormat(str(table["format"]).lower()) if "format" in table else None
        return normalise_spec(
            int(table.get("max_width", 0)),
            int(table.get("max_height", 0)),
            fmt,
            int(table.get("quality", 0)),
            int(table.get("page", 0)),
        )
    except (SpecError, ValueError) as exc:
        raise ProfileError(f"profile {profile}: eager_previews: {exc}") from exc
