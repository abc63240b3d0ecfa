"""Data phones append after a JPEG's end, announced and well-formed, told apart from a second
file riding along.

Two kinds are recognised, each only when every byte after the image is accounted for:
  - a Google Motion Photo: the XMP (APP1) says GCamera:MotionPhoto="1" and lists a
    Container:Item with Item:Semantic="MotionPhoto" and its Item:Length (or, in the older
    format, GCamera:MicroVideoOffset, the video's length counted from the end of the file);
    the bytes after EOI are exactly that long and start with an MP4 'ftyp' box;
  - a Samsung trailer: the file ends with a 4-byte length and "SEFT"; that length leads back
    to a "SEFH" directory whose entries (offsets counted back from SEFH, lengths) cover every
    byte from the end of the image to the directory, in order, with no gaps, and none of whose
    blocks holds a program or an archive.
Anything else after EOI is judged by trailing_data (POLYGLOT when it is more than padding).
"""

from __future__ import annotations

import os
import re
from typing import BinaryIO

from mediagate.inspect.trailing_data import signature

MOTION_PHOTO = "motion-photo"
SAMSUNG_TRAILER = "samsung-trailer"

XMP_PREFIX = b"http://ns.adobe.com/xap/1.0/\x00"
_MOTION_PHOTO = re.compile(rb"GCamera:MotionPhoto\s*(?:=\s*[\"']1[\"']|>\s*1\s*<)")
_CONTAINER_ITEM = re.compile(rb"<Container:Item\b([^>]*)>")
_ITEM_ATTRIBUTE = re.compile(rb"Item:(\w+)\s*=\s*[\"']([^\"']*)[\"']")
_MICRO_VIDEO_OFFSET = re.compile(rb"GCamera:MicroVideoOffset\s*(?:=\s*[\"']|>\s*)(\d{1,12})")

_SEF_FOOTER = 8  # int32u directory length + "SEFT"
_SEF_HEADER = 12  # "SEFH" + int32u version + int32u entry count
_SEF_ENTRY = 12  # int16u, int16u type, int32u offset back from SEFH, int32u length
_SEF_BLOCK_HEADER = 8  # int16u, int16u type, int32u name length; then the name, then data
_MAX_SEF_ENTRIES = 1000


def announced_video_length(app1: bytes) -> int | None:
    """The length of the MP4 an APP1 XMP packet announces after the image, or None."""
    if not app1.startswith(XMP_PREFIX):
        return None
    xmp = app1[len(XMP_PREFIX) :]
    if _MOTION_PHOTO.search(xmp):
        for item in _CONTAINER_ITEM.finditer(xmp):
            attributes = dict(_ITEM_ATTRIBUTE.findall(item.group(1)))
            length = attributes.get(b"Length", b"")
            if attributes.get(b"Semantic") == b"MotionPhoto" and length.isdigit():
                return int(length)
    older = _MICRO_VIDEO_OFFSET.search(xmp)
    return int(older.group(1)) if older else None


def recognised_trailer(fh: BinaryIO, start: int, video_length: int | None) -> str:
    """The kind of the well-formed, announced trailer from `start` to the end, or ""."""
    end = fh.seek(0, os.SEEK_END)
    if end <= start:
        return ""
    if video_length is not None and _motion_photo(fh, start, end, video_length):
        return MOTION_PHOTO
    if _samsung_trailer(fh, start, end):
        return SAMSUNG_TRAILER
    return ""


def _motion_photo(fh: BinaryIO, start: int, end: int, video_length: int) -> bool:
    if video_length != end - start:
        return False
    fh.seek(start)
    box = fh.read(8)
    size = int.from_bytes(box[:4], "big")
    return box[4:8] == b"ftyp" and 8 <= size <= video_length


def _samsung_trailer(fh: BinaryIO, start: int, end: int) -> bool:
    if end - start < _SEF_FOOTER + _SEF_HEADER:
        return False
    fh.seek(end - _SEF_FOOTER)
    footer = fh.read(_SEF_FOOTER)
    if footer[4:] != b"SEFT":
        return False
    directory_length = int.from_bytes(footer[:4], "little")
    directory_at = end - _SEF_FOOTER - directory_length
    if directory_length < _SEF_HEADER or directory_at < start:
        return False
    fh.seek(directory_at)
    directory = fh.read(directory_length)
    count = int.from_bytes(directory[8:12], "little")
    if (
        directory[:4] != b"SEFH"
        or not 0 < count <= _MAX_SEF_ENTRIES
        or _SEF_HEADER + count * _SEF_ENTRY > directory_length
    ):
        return False
    blocks = []
    for index in range(count):
        entry = directory[_SEF_HEADER + index * _SEF_ENTRY :][:_SEF_ENTRY]
        back = int.from_bytes(entry[4:8], "little")
        length = int.from_bytes(entry[8:12], "little")
        blocks.append((directory_at - back, length))
    position = start
    for block_at, length in sorted(blocks):
        if block_at != position or not _harmless_block(fh, block_at, length):
            return False
        position += length
    return position == directory_at


def _harmless_block(fh: BinaryIO, at: int, length: int) -> bool:
    """A block with its header, whose data is not a program or an archive."""
    if length < _SEF_BLOCK_HEADER:
        return False
    fh.seek(at)
    header = fh.read(_SEF_BLOCK_HEADER)
    name_length = int.from_bytes(header[4:8], "little")
    if _SEF_BLOCK_HEADER + name_length > length:
        return False
    fh.seek(at + _SEF_BLOCK_HEADER + name_length)
    data = fh.read(min(length - _SEF_BLOCK_HEADER - name_length, 64))
    return signature(data) is None
