"""A hand-written PDF: text in the standard Helvetica font and a JPEG photo on every page.

Written by hand rather than with a PDF library so the benchmark needs nothing beyond what the
service already installs, and so the file's structure is exactly what the bench says it is:
one uncompressed content stream per page (BT/Tf/Tj text), one /DCTDecode image XObject per
page (the JPEG bytes as they are, as phones and scanners embed them), and a classic xref
table with correct byte offsets (no recovery path in either renderer is exercised).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

A4_POINTS = (595, 842)
_HEADER = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"  # the binary comment marks the file as 8-bit


@dataclass(frozen=True)
class PdfPage:
    title: str
    lines: tuple[str, ...]
    jpeg: bytes  # a baseline RGB JPEG, without EXIF orientation (PDF would ignore it)
    jpeg_size: tuple[int, int]


def _text(value: str) -> bytes:
    """A PDF literal string. Only ASCII is used, so WinAnsiEncoding maps it one to one."""
    escaped = value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return b"(" + escaped.encode("ascii") + b")"


def _content(page: PdfPage, number: int, count: int) -> bytes:
    width, height = A4_POINTS
    margin = 56
    # The photo spans the text column at its own aspect ratio, under the title.
    image_w = width - 2 * margin
    image_h = round(image_w * page.jpeg_size[1] / page.jpeg_size[0])
    image_y = height - 90 - image_h
    ops = [
        b"BT /F1 20 Tf %d %d Td " % (margin, height - 70) + _text(page.title) + b" Tj ET",
        b"q %d 0 0 %d %d %d cm /Im1 Do Q" % (image_w, image_h, margin, image_y),
        b"BT /F1 10 Tf 14 TL %d %d Td" % (margin, image_y - 24),
    ]
    ops += [_text(line) + b" Tj T*" for line in page.lines]
    ops.append(b"ET")
    ops.append(
        b"BT /F1 9 Tf %d 30 Td " % (width // 2 - 20) + _text(f"{number} / {count}") + b" Tj ET"
    )
    return b"\n".join(ops) + b"\n"


def build_pdf(pages: list[PdfPage]) -> bytes:
    """Objects: 1 catalog, 2 page tree, 3 font, then per page: page, content, image."""
    out = bytearray(_HEADER)
    offsets: dict[int, int] = {}

    def add(number: int, body: bytes) -> None:
        offsets[number] = len(out)
        out.extend(b"%d 0 obj\n" % number + body + b"\nendobj\n")

    def stream(number: int, entries: bytes, data: bytes) -> None:
        head = b"<< " + entries + b" /Length %d >>\nstream\n" % len(data)
        add(number, head + data + b"\nendstream")

    page_numbers = [4 + 3 * i for i in range(len(pages))]
    add(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = b" ".join(b"%d 0 R" % n for n in page_numbers)
    add(2, b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % len(pages))
    add(
        3,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    )
    for i, page in enumerate(pages):
        page_no, content_no, image_no = page_numbers[i], page_numbers[i] + 1, page_numbers[i] + 2
        add(
            page_no,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d]" % A4_POINTS
            + b" /Resources << /Font << /F1 3 0 R >> /XObject << /Im1 %d 0 R >> >>" % image_no
            + b" /Contents %d 0 R >>" % content_no,
        )
        stream(content_no, b"", _content(page, i + 1, len(pages)))
        stream(
            image_no,
            b"/Type /XObject /Subtype /Image /Width %d /Height %d" % page.jpeg_size
            + b" /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode",
            page.jpeg,
        )

    size = max(offsets) + 1
    xref_at = len(out)
    out.extend(b"xref\n0 %d\n" % size)
    # Every entry is exactly 20 bytes (offset, generation, type, two-byte end of line).
    out.extend(b"0000000000 65535 f \n")
    for number in range(1, size):
        out.extend(b"%010d 00000 n \n" % offsets[number])
    out.extend(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref_at))
    return bytes(out)


def check_xref(data: bytes) -> int:
    """Checks that every xref entry points at its own "N 0 obj" and returns the object count.

    Both renderers silently rebuild a broken xref, so opening the file proves nothing about
    the offsets; this does.
    """
    start = int(data.rsplit(b"startxref", 1)[1].split()[0])
    if not data.startswith(b"xref", start):
        raise ValueError(f"startxref {start} does not point at the xref table")
    header = re.match(rb"xref\s+0 (\d+)\s+", data[start:])
    if header is None:
        raise ValueError("malformed xref subsection header")
    count = int(header.group(1))
    entries = data[start + header.end() : start + header.end() + 20 * count]
    for number in range(1, count):
        entry = entries[20 * number : 20 * number + 20]
        offset = int(entry[:10])
        if entry[17:18] != b"n" or not data.startswith(b"%d 0 obj" % number, offset):
            raise ValueError(f"xref entry for object {number} is wrong: {entry!r}")
    return count - 1
