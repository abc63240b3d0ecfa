"""Photos as phones write them: a Google Motion Photo (a JPEG whose XMP announces the MP4
appended after its end) and a Samsung JPEG with its SEF trailer after the end."""

from __future__ import annotations

import struct
from collections.abc import Sequence

from tests.samples import audio, images

XMP_PREFIX = b"http://ns.adobe.com/xap/1.0/\x00"


def with_xmp(jpeg: bytes, xmp: str) -> bytes:
    """The JPEG with an APP1 XMP segment right after SOI."""
    body = XMP_PREFIX + xmp.encode()
    return jpeg[:2] + b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body + jpeg[2:]


def motion_photo_xmp(video_length: int, older: bool = False) -> str:
    if older:  # Pixel 2-era "MicroVideo": the offset counts from the end of the file
        inner = (
            f'<rdf:Description rdf:about="" GCamera:MicroVideo="1" GCamera:MicroVideoVersion="1" '
            f'GCamera:MicroVideoOffset="{video_length}"/>'
        )
    else:
        inner = (
            '<rdf:Description rdf:about="" GCamera:MotionPhoto="1" GCamera:MotionPhotoVersion="1" '
            'GCamera:MotionPhotoPresentationTimestampUs="500000">'
            "<Container:Directory><rdf:Seq>"
            '<rdf:li rdf:parseType="Resource"><Container:Item Item:Mime="image/jpeg" '
            'Item:Semantic="Primary" Item:Length="0" Item:Padding="0"/></rdf:li>'
            '<rdf:li rdf:parseType="Resource"><Container:Item Item:Mime="video/mp4" '
            f'Item:Semantic="MotionPhoto" Item:Length="{video_length}"/></rdf:li>'
            "</rdf:Seq></Container:Directory></rdf:Description>"
        )
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:GCamera="http://ns.google.com/photos/1.0/camera/" '
        'xmlns:Container="http://ns.google.com/photos/1.0/container/" '
        'xmlns:Item="http://ns.google.com/photos/1.0/container/item/">'
        f"{inner}</rdf:RDF></x:xmpmeta>"
    )


def motion_photo(
    video: bytes | None = None, announced: int | None = None, older: bool = False
) -> bytes:
    """A real JPEG announcing `announced` bytes of video (default: the video's length), then
    the video (default: a real one-second MP4)."""
    video = audio.mp4_with_video(1.0) if video is None else video
    length = len(video) if announced is None else announced
    return with_xmp(images.jpeg(320, 240), motion_photo_xmp(length, older)) + video


def sef_block(kind: int, name: str, data: bytes) -> bytes:
    encoded = name.encode()
    return struct.pack("<HHI", 0, kind, len(encoded)) + encoded + data


DEFAULT_BLOCKS = (
    (0x0A01, "Image_UTC_Data", b"1700000000000"),
    (0x0A30, "MotionPhoto_Data", b"\x00\x00\x00\x1cftypisom" + bytes(64)),
    (0x0A41, "Camera_Capture_Mode_Info", b"1"),
)


def samsung_trailer(
    blocks: Sequence[tuple[int, str, bytes]] = DEFAULT_BLOCKS, gap: bytes = b""
) -> bytes:
    """A Samsung SEF trailer: the blocks (with `gap` before the first, which a well-formed
    trailer does not have), the SEFH directory pointing back to each, its length and SEFT."""
    data = gap
    placed = []
    for kind, name, payload in blocks:
        block = sef_block(kind, name, payload)
        placed.append((kind, len(data), len(block)))
        data += block
    directory = b"SEFH" + struct.pack("<II", 106, len(placed))
    for kind, at, length in placed:
        directory += struct.pack("<HHII", 0, kind, len(data) - at, length)
    return data + directory + struct.pack("<I", len(directory)) + b"SEFT"


def samsung_jpeg(trailer: bytes | None = None) -> bytes:
    return images.jpeg(320, 240) + (samsung_trailer() if trailer is None else trailer)
