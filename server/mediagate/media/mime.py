"""MIME names: one spelling per type, and what file extensions promise.

libmagic and callers spell types in many ways (audio/x-wav, image/jpg, audio/mp3); everything
past intake compares normalised names only.
"""

from __future__ import annotations

import os

_ALIASES = {
    "image/jpg": "image/jpeg",
    "image/pjpeg": "image/jpeg",
    "image/x-png": "image/png",
    "audio/mp3": "audio/mpeg",
    "audio/x-mp3": "audio/mpeg",
    "audio/mpeg3": "audio/mpeg",
    "audio/x-mpeg": "audio/mpeg",
    "audio/x-wav": "audio/wav",
    "audio/wave": "audio/wav",
    "audio/vnd.wave": "audio/wav",
    "audio/x-m4a": "audio/mp4",
    "audio/m4a": "audio/mp4",
    "audio/aac": "audio/mp4",
    "audio/x-hx-aac-adts": "audio/aac",
    "application/ogg": "audio/ogg",
    "audio/x-ogg": "audio/ogg",
    "audio/opus": "audio/ogg",
    "application/x-pdf": "application/pdf",
    "application/csv": "text/csv",
    "text/x-csv": "text/csv",
    "image/svg": "image/svg+xml",
    "image/x-tiff": "image/tiff",
    # What browsers and mail clients declare for ZIPs and Office 97-2003 files (Windows says
    # application/x-zip-compressed for every .zip).
    "application/x-zip-compressed": "application/zip",
    "application/x-zip": "application/zip",
    "application/x-msword": "application/msword",
    "application/doc": "application/msword",
    "application/x-msexcel": "application/vnd.ms-excel",
    "application/x-excel": "application/vnd.ms-excel",
    "application/excel": "application/vnd.ms-excel",
    "application/mspowerpoint": "application/vnd.ms-powerpoint",
    "application/x-mspowerpoint": "application/vnd.ms-powerpoint",
}

# What declares nothing: a caller that sends these has not told us the type.
GENERIC = frozenset({"", "application/octet-stream", "binary/octet-stream", "application/unknown"})

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
OOXML = frozenset({DOCX, XLSX, PPTX})
# Office 97-2003: OLE2 compound files.
DOC = "application/msword"
XLS = "application/vnd.ms-excel"
PPT = "application/vnd.ms-powerpoint"
LEGACY_OFFICE = frozenset({DOC, XLS, PPT})
ZIP = "application/zip"

# Types that are the same content for a caller's purposes: declaring one and sending the
# other is not a lie (browsers label CSV files text/plain and text files text/csv).
_COMPATIBLE = [
    frozenset({"text/plain", "text/csv"}),
    # An M4A's container is MP4; some senders say video/mp4 for a voice note.
    frozenset({"audio/mp4", "video/mp4"}),
    frozenset({"audio/webm", "video/webm"}),
    frozenset({"audio/ogg", "video/ogg"}),
    # HEIC is HEIF with HEVC inside; phones name either kind .heic or .heif.
    frozenset({"image/heic", "image/heif"}),
]

_EXTENSIONS: dict[str, str] = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".jpe": "image/jpeg",
    ".jfif": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".heic": "image/heic",
    ".heif": "image/heif",
    ".hif": "image/heif",
    ".avif": "image/avif",
    ".svg": "image/svg+xml",
    ".pdf": "application/pdf",
    ".txt": "text/plain",
    ".text": "text/plain",
    ".log": "text/plain",
    ".csv": "text/csv",
    ".docx": DOCX,
    ".xlsx": XLSX,
    ".pptx": PPTX,
    ".doc": DOC,
    ".dot": DOC,
    ".xls": XLS,
    ".xlt": XLS,
    ".ppt": PPT,
    ".pps": PPT,
    ".mp3": "audio/mpeg",
    ".wav": "audio/wav",
    ".ogg": "audio/ogg",
    ".oga": "audio/ogg",
    ".opus": "audio/ogg",
    ".weba": "audio/webm",
    ".webm": "audio/webm",
    ".m4a": "audio/mp4",
    ".mp4": "audio/mp4",
    ".aac": "audio/aac",
    ".html": "text/html",
    ".htm": "text/html",
    ".exe": "application/x-dosexec",
    ".zip": ZIP,
}


def normalise(mime: str) -> str:
    """Lower case, parameters dropped, aliases resolved: 'Audio/MP3; x=1' -> 'audio/mpeg'."""
    base = mime.split(";", 1)[0].strip().lower()
    return _ALIASES.get(base, base)


def compatible(a: str, b: str) -> bool:
    """Whether two normalised types name the same content for a caller's purposes."""
    if a == b:
        return True
    return any(a in group and b in group for group in _COMPATIBLE)


def type_for_extension(file_name: str) -> str | None:
    """The type a file name's extension promises, or None when the extension says nothing."""
    ext = os.path.splitext(file_name)[1].lower()
    return _EXTENSIONS.get(ext)


# The Pillow format of each raster type mediagate knows. Pillow opens a file only as the
# format its type names: letting it try its other plugins would reopen, with weaker parsers,
# a question intake has settled.
PILLOW_FORMATS: dict[str, str] = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/gif": "GIF",
    "image/webp": "WEBP",
    "image/tiff": "TIFF",
    # pillow-heif's plugin (registered in the workers, media/heif_plugin.py) and Pillow's own
    # AVIF plugin (libavif).
    "image/heic": "HEIF",
    "image/heif": "HEIF",
    "image/avif": "AVIF",
}

# Photos in HEIF containers (HEIC and AVIF are both HEIF): many displays cannot show them, so
# an accepted one gets a JPEG display rendition (usecases/display_renditions.py).
HEIF_TYPES = frozenset({"image/heic", "image/heif", "image/avif"})
