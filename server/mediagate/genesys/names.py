"""File names the platform accepts for a media upload or an attachment.

The platform refuses a fileName with a leading ".", a trailing "/", whitespace, or any of
\\{^}%`]">[~<#| (UploadMediaRequest). A guest's file name is kept as far as those rules allow;
what is left empty becomes "attachment" with the detected type's extension.
"""

from __future__ import annotations

import mimetypes
import re

_FORBIDDEN = re.compile(r'[\s\\{^}%`\]">\[~<#|/]+')
MAX_LENGTH = 200

# Extensions mimetypes does not know, or knows other than a chat shows them.
_EXTENSIONS = {"audio/mpeg": ".mp3", "audio/mp4": ".m4a", "audio/ogg": ".ogg", "image/jpeg": ".jpg"}


def platform_file_name(name: str, mime_type: str) -> str:
    cleaned = _FORBIDDEN.sub("_", name).lstrip("._").rstrip("_")
    if len(cleaned) > MAX_LENGTH:
        _, dot, ext = cleaned.rpartition(".")
        keep = ext if dot and len(ext) <= 10 else ""
        cleaned = cleaned[: MAX_LENGTH - len(keep) - 1].rstrip(".") + ("." + keep if keep else "")
    if cleaned:
        return cleaned
    extension = _EXTENSIONS.get(mime_type) or mimetypes.guess_extension(mime_type) or ""
    return "attachment" + extension
