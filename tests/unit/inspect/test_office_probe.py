from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from mediagate.inspect.facts import DocumentFacts, ProbeLimits
from mediagate.media.mime import DOCX, PPTX, XLSX
from mediagate.reasons import Reason
from tests.samples import archives, damage, office
from tests.unit.inspect.probing import only, probe, reasons


def _rezip(data: bytes, drop: str = "", add: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename != drop:
                dst.writestr(info, src.read(info))
        for name, body in (add or {}).items():
            dst.writestr(name, body)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "mime", "pages"),
    [
        (office.docx(pages=3), DOCX, 3),
        (office.xlsx(), XLSX, 1),
        (office.pptx(slides=4), PPTX, 4),
    ],
    ids=["docx", "xlsx", "pptx"],
)
def test_ooxml_documents_give_their_type_and_pages(
    tmp_path: Path, data: bytes, mime: str, pages: int
) -> None:
    facts = probe(tmp_path, data)
    assert facts.mime_type == mime
    assert facts.findings == []
    assert facts.document == DocumentFacts(pages)


def test_the_main_part_decides_the_type_not_libmagic(tmp_path: Path) -> None:
    assert probe(tmp_path, office.xlsx(), mime="application/zip").mime_type == XLSX
    assert probe(tmp_path, office.pptx(), mime=DOCX).mime_type == PPTX


def test_a_plain_zip_stays_a_zip(tmp_path: Path) -> None:
    facts = probe(tmp_path, archives.zip_archive())
    assert facts.mime_type == "application/zip"
    assert facts.findings == []


def test_without_content_types_it_is_only_a_zip(tmp_path: Path) -> None:
    data = _rezip(office.docx(), drop="[Content_Types].xml")
    assert probe(tmp_path, data, mime=DOCX).mime_type == "application/zip"


def test_a_docm_with_a_vba_project_is_active_content(tmp_path: Path) -> None:
    facts = probe(tmp_path, office.docm_with_vba())
    assert facts.mime_type == DOCX
    finding = only(facts, Reason.ACTIVE_CONTENT)
    assert finding.metadata["kind"] == "vba"
    assert finding.metadata["part"] == "word/vbaProject.bin"


def test_an_xlm_macro_sheet_is_active_content_without_any_vba(tmp_path: Path) -> None:
    finding = only(probe(tmp_path, office.xlsx_with_xlm_macrosheet()), Reason.ACTIVE_CONTENT)
    assert finding.metadata["kind"] == "xlm"
    assert finding.metadata["part"] == "xl/macrosheets/sheet1.xml"


def test_a_macro_enabled_content_type_alone_is_active_content(tmp_path: Path) -> None:
    types = zipfile.ZipFile(io.BytesIO(office.docx())).read("[Content_Types].xml")
    types = types.replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml",
    )
    data = _rezip(office.docx(), drop="[Content_Types].xml", add={"[Content_Types].xml": types})
    finding = only(probe(tmp_path, data), Reason.ACTIVE_CONTENT)
    assert finding.metadata["kind"] == "vba"
    assert finding.metadata["part"] == "word/document.xml"


def test_a_zip_bomb_part_is_found_from_the_directory(tmp_path: Path) -> None:
    facts = probe(tmp_path, office.docx_zip_bomb())
    assert facts.mime_type == DOCX
    finding = only(facts, Reason.DECOMPRESSION_BOMB)
    assert finding.metadata["part"] == "word/media/padding.bin"
    assert float(finding.metadata["actual"]) > ProbeLimits().max_compression_ratio


def test_total_uncompressed_size_is_limited(tmp_path: Path) -> None:
    limits = ProbeLimits(max_uncompressed_bytes=1000)
    finding = only(probe(tmp_path, office.docx(), limits), Reason.DECOMPRESSION_BOMB)
    assert finding.metadata["limit"] == "1000"


def test_entry_count_is_limited_before_the_directory_is_parsed(tmp_path: Path) -> None:
    finding = only(
        probe(tmp_path, office.docx(), ProbeLimits(max_zip_entries=2)), Reason.DECOMPRESSION_BOMB
    )
    assert finding.metadata == {"limit": "2", "actual": "4", "detected_mime_type": DOCX}


def test_an_entity_in_content_types_is_active_content(tmp_path: Path) -> None:
    finding = only(probe(tmp_path, office.docx_with_entity()), Reason.ACTIVE_CONTENT)
    assert finding.metadata["kind"] == "entity"
    assert finding.metadata["part"] == "[Content_Types].xml"


def test_a_dtd_in_any_xml_part_is_active_content(tmp_path: Path) -> None:
    document = (
        b'<?xml version="1.0"?>\n'
        + b"<!-- padding -->" * 2000  # the prolog is read to its end, however long
        + b'<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>'
    )
    data = _rezip(office.docx(), drop="word/document.xml", add={"word/document.xml": document})
    finding = only(probe(tmp_path, data), Reason.ACTIVE_CONTENT)
    assert finding.metadata == {
        "kind": "entity",
        "part": "word/document.xml",
        "detected_mime_type": DOCX,
    }


def test_a_password_protected_office_file_is_encrypted(tmp_path: Path) -> None:
    # What libmagic calls a .docx saved with a password (an OLE "CDFV2 Encrypted" file).
    facts = probe(tmp_path, b"\xd0\xcf\x11\xe0" + bytes(508), mime="application/encrypted")
    assert facts.mime_type == "application/encrypted"
    only(facts, Reason.ENCRYPTED)


def test_a_broken_zip_is_corrupt(tmp_path: Path) -> None:
    facts = probe(tmp_path, damage.truncate(office.docx(), 0.5), mime=DOCX)
    assert reasons(facts) == [Reason.CORRUPT]


def test_a_damaged_entry_is_corrupt(tmp_path: Path) -> None:
    data = bytearray(office.docx())
    # Garble the compressed bytes of the first entry ([Content_Types].xml): its CRC fails.
    start = 30 + len("[Content_Types].xml")
    data[start : start + 40] = bytes(40)
    facts = probe(tmp_path, bytes(data))
    assert Reason.CORRUPT in reasons(facts)
