"""Is there anything to strip? A quick look at a file's segments or chunks, in the server's
own process, so that the common clean file is kept without a worker's round trip.

Each check only reads the headers a stripper would judge (JPEG: the segments before the first
scan; PNG and WebP: the chunk list, whose bodies are skipped except a bounded eXIf) and
answers False whenever it is unsure (a malformed file, an unknown type): then the stripper
runs in its worker lane as before. A JPEG's bytes after the image's end are not read: the
probe refused those it did not recognise and reported those it did (trailer_offset).
"""

from __future__ import annotations

from mediagate.strip import jpeg, png, webp


def known_clean(path: str, mime: str) -> bool:
    if mime == "image/jpeg":
        return jpeg.header_is_clean(path)
    if mime == "image/png":
        return png.is_clean(path)
    if mime == "image/webp":
        return webp.is_clean(path)
    return False
