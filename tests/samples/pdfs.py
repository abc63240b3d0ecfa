"""PDFs: from pypdf (pages, JavaScript, a launch action, encryption), and written by hand with
pages of known colours and geometry."""

from __future__ import annotations

import io
import random

from PIL import Image
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import DictionaryObject, NameObject, TextStringObject


def pdf(
    pages: int = 1,
    javascript: bool = False,
    launch: bool = False,
    user_password: str | None = None,
    owner_password: str | None = None,
) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    if javascript:
        # The document-level JavaScript name tree, run when the file opens.
        writer.add_open_action(JavaScript("app.alert('hello');"))
    if launch:
        writer.root_object[NameObject("/OpenAction")] = DictionaryObject(
            {
                NameObject("/S"): NameObject("/Launch"),
                NameObject("/F"): TextStringObject("calc.exe"),
            }
        )
    if user_password is not None or owner_password is not None:
        writer.encrypt(
            user_password=user_password or "",
            owner_password=owner_password,
            algorithm="AES-256",
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# PDFs written by hand: pypdf cannot draw, and these need pages of known colours and geometry


def pdf_colored(
    colors: tuple[tuple[int, int, int], ...] = ((200, 30, 30),),
    width: float = 200,
    height: float = 200,
    rotate: int = 0,
    user_unit: float | None = None,
    top_color: tuple[int, int, int] | None = None,
) -> bytes:
    """One page per colour, each filled with it; top_color, if given, fills each page's top
    half (in page space, before /Rotate) so that rotation shows."""
    pages = []
    for color in colors:
        content = f"{_pdf_rgb(color)} rg 0 0 {width:g} {height:g} re f\n"
        if top_color is not None:
            content += f"{_pdf_rgb(top_color)} rg 0 {height / 2:g} {width:g} {height / 2:g} re f\n"
        entries = f"/MediaBox [0 0 {width:g} {height:g}]"
        if rotate:
            entries += f" /Rotate {rotate}"
        if user_unit is not None:
            entries += f" /UserUnit {user_unit:g}"
        pages.append((entries, content.encode()))
    return _pdf_document(pages)


def _pdf_rgb(color: tuple[int, int, int]) -> str:
    return " ".join(f"{c / 255:.4f}" for c in color)


def _pdf_document(pages: list[tuple[str, bytes]]) -> bytes:
    """Catalog (1), page tree (2), then per page (its dictionary's entries, its content) a
    page object and its content stream, and an exact cross-reference table."""
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(len(pages)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode(),
    ]
    for i, (entries, content) in enumerate(pages):
        resources = "" if "/Resources" in entries else "/Resources << >> "
        objects.append(
            f"<< /Type /Page /Parent 2 0 R {entries} {resources}"
            f"/Contents {4 + 2 * i} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


# ---------------------------------------------------------------------------------------------
# High-entropy pages: the worst case for a page preview's encoder


def pdf_noise_page(width: int = 1448, height: int = 2048, seed: int = 0) -> bytes:
    """One page that is a photo of pure noise, at 72 dpi (so the page is width x height pt and
    a 2048 box renders it at full detail). Written by Pillow (the image as DCT, quality 90)."""
    data = random.Random(seed).randbytes(width * height * 3)
    out = io.BytesIO()
    Image.frombytes("RGB", (width, height), data).save(out, "PDF", resolution=72.0, quality=90)
    return out.getvalue()


def pdf_dense_text(width: float = 595, height: float = 842, size: float = 3.5) -> bytes:
    """An A4 page covered edge to edge in tiny random characters (Helvetica): a page of small
    print, high in detail at every scale."""
    rng = random.Random(7)
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    per_line = int(width / (size * 0.5))
    lines = []
    y = height - size
    while y > 0:
        text = "".join(rng.choice(alphabet) for _ in range(per_line))
        lines.append(f"BT /F1 {size:g} Tf 2 {y:.2f} Td ({text}) Tj ET")
        y -= size * 1.1
    entries = (
        f"/MediaBox [0 0 {width:g} {height:g}] /Resources << /Font << /F1 << /Type /Font "
        "/Subtype /Type1 /BaseFont /Helvetica >> >> >>"
    )
    return _pdf_document([(entries, "\n".join(lines).encode())])


def pdf_with_metadata(author: str = "A. Guest") -> bytes:
    """A one-page PDF with a document information dictionary and an XMP metadata stream."""
    from pypdf.generic import StreamObject

    from tests.samples.images import XMP_PACKET

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Author": author, "/Title": "My address", "/Creator": "Word"})
    xmp = StreamObject()
    xmp.set_data(XMP_PACKET)
    xmp.update(
        {NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")}
    )
    writer.root_object[NameObject("/Metadata")] = writer._add_object(xmp)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
