from __future__ import annotations

import io
import zlib
from pathlib import Path

from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject

from mediagate.inspect.facts import DocumentFacts, ProbeLimits
from mediagate.reasons import Reason
from tests.samples import archives, damage, pdfs
from tests.unit.inspect.probing import only, probe, reasons


def test_a_pdf_gives_its_page_count(tmp_path: Path) -> None:
    facts = probe(tmp_path, pdfs.pdf(pages=3))
    assert facts.mime_type == "application/pdf"
    assert facts.findings == []
    assert facts.document == DocumentFacts(3)


def test_too_many_pages(tmp_path: Path) -> None:
    facts = probe(tmp_path, pdfs.pdf(pages=5), ProbeLimits(max_pages=3))
    finding = only(facts, Reason.TOO_MANY_PAGES)
    assert finding.metadata["limit"] == "3"
    assert int(finding.metadata["actual"]) > 3


def test_document_javascript_is_active_content(tmp_path: Path) -> None:
    finding = only(probe(tmp_path, pdfs.pdf(javascript=True)), Reason.ACTIVE_CONTENT)
    assert finding.metadata["kind"] == "javascript"


def test_a_launch_action_is_active_content(tmp_path: Path) -> None:
    finding = only(probe(tmp_path, pdfs.pdf(launch=True)), Reason.ACTIVE_CONTENT)
    assert finding.metadata["kind"] == "launch"


def _object_stream_pdf(action: bytes) -> bytes:
    """A PDF 1.5 whose objects all live in one compressed object stream, with an xref stream
    (pypdf does not write these)."""
    objects = {
        2: b"<< /Type /Catalog /Pages 3 0 R /OpenAction 5 0 R >>",
        3: b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        4: b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 100 100] >>",
        5: action,
    }
    index = body = b""
    for number, source in objects.items():
        index += b"%d %d " % (number, len(body))
        body += source + b"\n"
    packed = zlib.compress(index + body)
    out = b"%PDF-1.5\n"
    stream_at = len(out)
    out += (
        b"1 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (len(objects), len(index), len(packed))
        + packed
        + b"\nendstream\nendobj\n"
    )
    xref_at = len(out)
    rows = b"\x00" + (0).to_bytes(4, "big") + (65535).to_bytes(2, "big")
    rows += b"\x01" + stream_at.to_bytes(4, "big") + b"\x00\x00"
    for position in range(len(objects)):
        rows += b"\x02" + (1).to_bytes(4, "big") + position.to_bytes(2, "big")
    rows += b"\x01" + xref_at.to_bytes(4, "big") + b"\x00\x00"
    out += (
        b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 2 0 R /Length %d >>\nstream\n"
        % len(rows)
        + rows
        + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at
    )
    return out


def test_an_object_stream_pdf_is_read(tmp_path: Path) -> None:
    facts = probe(tmp_path, _object_stream_pdf(b"<< /S /URI /URI (https://example.org/) >>"))
    assert facts.findings == []
    assert facts.document == DocumentFacts(1)


def test_javascript_inside_an_object_stream_is_found(tmp_path: Path) -> None:
    data = _object_stream_pdf(b"<< /S /JavaScript /JS (app.alert(1)) >>")
    # Compressed, the names are invisible to a byte scan: only the object walk sees them.
    assert b"/JavaScript" not in data
    finding = only(probe(tmp_path, data), Reason.ACTIVE_CONTENT)
    assert finding.metadata == {
        "kind": "javascript",
        "part": "object 5",
        "detected_mime_type": "application/pdf",
    }


def test_a_hex_escaped_name_is_still_javascript(tmp_path: Path) -> None:
    # /Java#53cript is /JavaScript to every PDF reader.
    data = pdfs.pdf().replace(
        b"/Type /Catalog",
        b"/Type /Catalog /OpenAction << /S /Java#53cript /J#53 (app.alert(1)) >>",
    )
    finding = only(probe(tmp_path, data), Reason.ACTIVE_CONTENT)
    assert finding.metadata["kind"] == "javascript"


def _insert_before_xref(pdf: bytes, extra: bytes) -> bytes:
    """Puts bytes before the xref table and moves the startxref offset to match."""
    at = pdf.index(b"\nxref") + 1
    head, tail = pdf[:at], pdf[at:]
    start = tail.rindex(b"startxref\n") + len(b"startxref\n")
    end = tail.index(b"\n", start)
    return head + extra + tail[:start] + str(at + len(extra)).encode() + tail[end:]


def test_an_unreferenced_javascript_object_is_found_in_the_bytes(tmp_path: Path) -> None:
    # An object that no cross-reference entry lists: only the raw scan can see it.
    orphan = b"99 0 obj\n<< /S /JavaScript /JS (app.alert(1)) >>\nendobj\n"
    facts = probe(tmp_path, _insert_before_xref(pdfs.pdf(), orphan))
    finding = only(facts, Reason.ACTIVE_CONTENT)
    assert finding.metadata["kind"] == "javascript"


def test_names_inside_stream_data_are_not_actions(tmp_path: Path) -> None:
    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    page.merge_page(page)  # gives the page a content stream
    out = io.BytesIO()
    writer.write(out)
    data = out.getvalue()
    body = b"BT /JS (x) Tj /Launch (y) Tj ET"
    stream = b"stream\n" + body + b"\nendstream"
    extra = b"50 0 obj\n<< /Length %d >>\n" % len(body) + stream + b"\nendobj\n"
    facts = probe(tmp_path, _insert_before_xref(data, extra))
    assert facts.findings == []


def test_an_attached_file_is_accepted(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_attachment("notes.txt", b"hello")
    out = io.BytesIO()
    writer.write(out)
    assert probe(tmp_path, out.getvalue()).findings == []


def test_a_pdf_with_a_user_password_is_encrypted(tmp_path: Path) -> None:
    facts = probe(tmp_path, pdfs.pdf(user_password="secret", owner_password="owner"))
    only(facts, Reason.ENCRYPTED)


def test_a_pdf_with_only_an_owner_password_opens_and_is_fine(tmp_path: Path) -> None:
    facts = probe(tmp_path, pdfs.pdf(pages=2, owner_password="owner"))
    assert facts.findings == []
    assert facts.document == DocumentFacts(2)


def test_javascript_in_an_owner_password_pdf_is_still_found(tmp_path: Path) -> None:
    facts = probe(tmp_path, pdfs.pdf(javascript=True, owner_password="owner"))
    assert only(facts, Reason.ACTIVE_CONTENT).metadata["kind"] == "javascript"


def test_a_truncated_pdf_is_truncated(tmp_path: Path) -> None:
    assert Reason.TRUNCATED in reasons(probe(tmp_path, damage.truncate(pdfs.pdf(3), 0.6)))


def test_a_cut_incremental_update_is_truncated_not_a_polyglot(tmp_path: Path) -> None:
    data = pdfs.pdf() + b"\n5 0 obj\n<< /Type /Annot /Subtype /Text"
    only(probe(tmp_path, data), Reason.TRUNCATED)


def test_a_zip_after_eof_is_a_polyglot(tmp_path: Path) -> None:
    finding = only(probe(tmp_path, pdfs.pdf() + archives.zip_archive()), Reason.POLYGLOT)
    assert finding.metadata["part"] == "after %%EOF"
    assert finding.metadata["kind"] == "application/zip"


def test_whitespace_after_eof_is_fine(tmp_path: Path) -> None:
    assert probe(tmp_path, pdfs.pdf() + b"\r\n\x00\x00  \n").findings == []


def test_a_page_tree_that_loops_is_counted_once(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    pages = writer.root_object["/Pages"]
    assert isinstance(pages, DictionaryObject)
    kids = pages["/Kids"]
    assert isinstance(kids, ArrayObject)
    kids.append(writer.root_object.raw_get("/Pages"))  # the tree lists itself as a kid
    out = io.BytesIO()
    writer.write(out)
    facts = probe(tmp_path, out.getvalue())
    assert facts.document == DocumentFacts(1)


def test_garbage_after_a_pdf_header_is_corrupt(tmp_path: Path) -> None:
    facts = probe(tmp_path, b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF\n")
    assert reasons(facts) == [Reason.CORRUPT]


def test_certificate_encryption_pypdf_cannot_open_is_encrypted(tmp_path: Path) -> None:
    data = pdfs.pdf(user_password="pw").replace(b"/Filter /Standard", b"/Filter /Adobe.PubSec")
    only(probe(tmp_path, data), Reason.ENCRYPTED)
