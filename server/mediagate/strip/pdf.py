"""PDF: the document information dictionary and the XMP metadata stream, reported and left in
place (removing them means rewriting the file, which a signature or an incremental update
would not survive).

    pdf-info   the trailer's /Info dictionary (author, creator tool, dates, ...)
    pdf-xmp    the catalog's /Metadata stream

pypdf reads leniently, as the probe does; the file went through the probe already, and this
runs in a worker lane under its time and memory caps. Anything unreadable reports nothing.
"""

from __future__ import annotations

import io
import logging
import warnings

from pypdf import PdfReader
from pypdf.generic import DictionaryObject, StreamObject

from mediagate.store.records import MetadataItem

# An /Info dictionary past this is reported at this size, without writing it all out.
_MAX_INFO_BYTES = 1024 * 1024


def find_pdf_metadata(src: str) -> list[MetadataItem]:
    """What metadata the PDF carries (removed=False: the file is not changed)."""
    logger = logging.getLogger("pypdf")
    saved = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with open(src, "rb") as fh, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _found(PdfReader(fh, strict=False))
    except Exception:
        return []
    finally:
        logger.setLevel(saved)


def _found(reader: PdfReader) -> list[MetadataItem]:
    items = []
    info = reader.trailer.get("/Info")
    info = info.get_object() if info is not None else None
    if isinstance(info, DictionaryObject) and len(info) > 0:
        items.append(MetadataItem("pdf-info", _written_size(info), removed=False))
    root = reader.trailer.get("/Root")
    root = root.get_object() if root is not None else None
    if isinstance(root, DictionaryObject):
        stream = root.get("/Metadata")
        stream = stream.get_object() if stream is not None else None
        if isinstance(stream, StreamObject):
            length = stream.get("/Length")
            length = length.get_object() if length is not None else None
            size = int(length) if isinstance(length, int) else len(stream._data)
            items.append(MetadataItem("pdf-xmp", size, removed=False))
    return items


def _written_size(info: DictionaryObject) -> int:
    if len(info) > 10_000:
        return _MAX_INFO_BYTES
    out = io.BytesIO()
    info.write_to_stream(out)
    return min(out.tell(), _MAX_INFO_BYTES)
