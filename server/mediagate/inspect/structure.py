"""What a format's own structural walk learned, before (or instead of) any decoder running."""

from __future__ import annotations

from dataclasses import dataclass, field

from mediagate.media import pixels
from mediagate.reasons import Finding, Reason

# Findings after which a decoder has nothing reliable to add, or must not run at all.
_STOPPING = frozenset(
    {
        Reason.TOO_MANY_PIXELS,
        Reason.DECOMPRESSION_BOMB,
        Reason.TRUNCATED,
        Reason.CORRUPT,
    }
)


@dataclass
class ImageStructure:
    findings: list[Finding] = field(default_factory=list)
    width: int | None = None
    height: int | None = None
    frame_count: int | None = None  # None: the walk does not count frames for this format
    has_alpha: bool = False
    # An announced, well-formed trailer after the image's end (see ImageFacts).
    trailer_offset: int = 0
    trailer_kind: str = ""

    def add(self, finding: Finding) -> None:
        self.findings.append(finding)

    def has(self, *reasons: Reason) -> bool:
        return any(f.reason in reasons for f in self.findings)

    @property
    def damaged(self) -> bool:
        """True when the walk already explains why the image cannot be trusted."""
        return any(f.reason in _STOPPING for f in self.findings)


def too_many_pixels(width: int, height: int, limit: int) -> Finding:
    message, metadata = pixels.too_many_pixels(width * height, limit, f"{width}x{height}")
    return Finding(Reason.TOO_MANY_PIXELS, message, metadata)


def too_many_frames(counted: int, limit: int) -> Finding:
    return Finding(
        Reason.TOO_MANY_FRAMES,
        f"The image has more than {limit} frames.",
        {"limit": str(limit), "actual": str(counted)},
    )
