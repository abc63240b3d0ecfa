"""Which HEIF a file is (HEIC, AVIF, or another codec's), from the brands of its ftyp box."""

from __future__ import annotations

import struct

HEIC = "image/heic"
HEIF = "image/heif"
AVIF = "image/avif"

# ISO/IEC 23008-12 brands: HEVC stills and sequences (and their 10-bit and layered kinds);
# AV1's (the AVIF specification); and the structural brands that name no codec.
_HEIC_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"})
_AVIF_BRANDS = frozenset({b"avif", b"avis"})
_HEIF_BRANDS = frozenset({b"mif1", b"mif2", b"msf1"})


def heif_type(head: bytes) -> str | None:
    """image/heic, image/heif or image/avif when the file starts with an ftyp box naming a
    HEIF brand, else None. libmagic answers from the major brand only (and not for every
    brand: image/heif for mif1 with avif among the compatible brands, application/octet-stream
    for brands it does not know), so the brands are read here, the major one first."""
    if len(head) < 16 or head[4:8] != b"ftyp":
        return None
    size = min(struct.unpack(">I", head[:4])[0], len(head))
    brands = [head[8:12]] + [head[i : i + 4] for i in range(16, size - 3, 4)]
    major = brands[0]
    if major in _AVIF_BRANDS:
        return AVIF
    if major in _HEIC_BRANDS:
        return HEIC
    if any(b in _AVIF_BRANDS for b in brands):
        return AVIF
    if any(b in _HEIC_BRANDS for b in brands):
        return HEIC
    if any(b in _HEIF_BRANDS for b in brands):
        return HEIF
    return None
