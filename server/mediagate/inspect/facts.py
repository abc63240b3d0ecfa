"""What inspection learns about a file: plain data, picklable, so probes can run in workers."""

from __future__ import annotations

from dataclasses import dataclass, field

from mediagate.reasons import Finding


@dataclass(frozen=True)
class ImageFacts:
    width: int
    height: int
    frame_count: int
    has_alpha: bool
    exif_orientation: int  # 1..8, 0 when absent
    format: str  # Pillow's format name: "JPEG", "PNG", "GIF", "WEBP", "TIFF", "HEIF", "AVIF"
    # Bytes after the image's end that the file announces and that are well-formed (a Pixel
    # Motion Photo's MP4, a Samsung trailer): where they start and what they are ("" if none).
    # strip_metadata removes them; an unannounced trailer is a POLYGLOT finding instead.
    trailer_offset: int = 0
    trailer_kind: str = ""


@dataclass(frozen=True)
class DocumentFacts:
    page_count: int  # 0 when the format does not say


@dataclass(frozen=True)
class TextFacts:
    # Python codec name the bytes decode with: "utf-8", "utf-8-sig", "utf-16-le", "utf-16-be",
    # "windows-1252", "iso-8859-1", ...
    charset: str


@dataclass(frozen=True)
class ArchiveFacts:
    entry_count: int
    uncompressed_bytes: int


@dataclass(frozen=True)
class AudioFacts:
    duration_seconds: float  # measured from the stream, not from header fields
    codec: str  # FFmpeg's codec name: mp3, aac, opus, vorbis, pcm_s16le, ...
    sample_rate_hz: int
    channels: int
    bitrate_bps: int
    container: str  # mp3, wav, ogg, webm, mp4
    header_duration_seconds: float | None = None  # what the header claims, when it claims


@dataclass(frozen=True)
class ProbeLimits:
    """Bounds a probe enforces while it reads, so a hostile file cannot make it do unbounded work.

    They come from the profile; the probe reports a Finding when one is crossed rather than
    deciding policy itself.
    """

    max_pixels: int = 50_000_000
    max_frames: int = 1_000
    max_pages: int = 500
    # Office (zip) containers: checked from the central directory before anything is inflated.
    max_uncompressed_bytes: int = 200 * 1024 * 1024
    max_compression_ratio: float = 100.0
    max_zip_entries: int = 10_000
    # PNG text/ICC chunks and similar small compressed metadata.
    max_metadata_bytes: int = 8 * 1024 * 1024
    # Image formats Pillow may open (Pillow guesses among all it knows unless told).
    image_formats: tuple[str, ...] = ("JPEG", "PNG", "GIF", "WEBP")


@dataclass
class Facts:
    """The answer of inspection: the detected type, what the probe learned, and its findings.

    `mime_type` is the final detected type: libmagic's answer refined by the structural probe
    (for example application/zip refined to a DOCX type, video/mp4 refined to audio/mp4).
    `findings` hold the structural problems the probe saw (CORRUPT, TRUNCATED, POLYGLOT,
    ACTIVE_CONTENT, ENCRYPTED, TOO_MANY_PIXELS, DECOMPRESSION_BOMB, ...); policy adds the rest.
    """

    mime_type: str
    magic_mime: str = ""
    magic_description: str = ""
    image: ImageFacts | None = None
    document: DocumentFacts | None = None
    audio: AudioFacts | None = None
    text: TextFacts | None = None
    archive: ArchiveFacts | None = None
    findings: list[Finding] = field(default_factory=list)
