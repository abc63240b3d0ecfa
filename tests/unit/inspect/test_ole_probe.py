from __future__ import annotations

from pathlib import Path

import olefile
import pytest

from mediagate.media.mime import DOC, PPT, XLS
from mediagate.reasons import Reason
from tests.samples import damage, legacy_office
from tests.samples.cfb import SIGNATURE
from tests.unit.inspect.probing import only, probe, reasons


def test_the_writer_makes_compound_files_olefile_reads() -> None:
    data = legacy_office.doc(vba=True, padding=10_000)
    with olefile.OleFileIO(data) as ole:
        assert ["Macros", "VBA", "dir"] in ole.listdir()
        assert ole.openstream("WordDocument").read()[:2] == b"\xec\xa5"


@pytest.mark.parametrize(
    ("data", "mime"),
    [
        (legacy_office.doc(), DOC),
        (legacy_office.doc(padding=200_000), DOC),  # the directory past libmagic's head
        (legacy_office.xls(), XLS),
        (legacy_office.ppt(), PPT),
    ],
    ids=["doc", "large doc", "xls", "ppt"],
)
def test_clean_legacy_office_files_give_their_type(tmp_path: Path, data: bytes, mime: str) -> None:
    facts = probe(tmp_path, data)
    assert facts.mime_type == mime
    assert facts.findings == []


def test_the_main_stream_decides_the_type_not_libmagic(tmp_path: Path) -> None:
    assert probe(tmp_path, legacy_office.xls(), mime=DOC).mime_type == XLS
    # libmagic names no type for a compound file without summary information.
    assert probe(tmp_path, legacy_office.ppt(), mime="application/x-ole-storage").mime_type == PPT


def test_a_compound_file_that_is_no_office_document_stays_generic(tmp_path: Path) -> None:
    facts = probe(tmp_path, legacy_office.ole_without_office_streams())
    assert facts.mime_type == "application/x-ole-storage"
    assert facts.findings == []


def test_a_doc_by_libmagic_without_a_word_stream_is_corrupt(tmp_path: Path) -> None:
    facts = probe(tmp_path, legacy_office.ole_without_office_streams(), mime=DOC)
    only(facts, Reason.CORRUPT)


@pytest.mark.parametrize(
    ("data", "part"),
    [
        (legacy_office.doc(vba=True), "Macros"),
        (legacy_office.xls(vba=True), "_VBA_PROJECT_CUR"),
    ],
    ids=["doc", "xls"],
)
def test_a_vba_project_is_active_content(tmp_path: Path, data: bytes, part: str) -> None:
    finding = only(probe(tmp_path, data), Reason.ACTIVE_CONTENT)
    assert finding.metadata["kind"] == "vba"
    assert finding.metadata["part"] == part


def test_an_xlm_macro_sheet_is_active_content(tmp_path: Path) -> None:
    finding = only(probe(tmp_path, legacy_office.xls(xlm=True)), Reason.ACTIVE_CONTENT)
    assert finding.metadata["kind"] == "xlm"
    assert finding.metadata["part"] == "Workbook/Macro1"
    assert "Excel 4.0" in finding.message


def test_an_xlm_sheet_is_found_without_excels_clsid(tmp_path: Path) -> None:
    # olevba looks for XLM only when the root storage says Excel; the file's author decides that.
    from tests.samples.cfb import cfb

    data = cfb({"Workbook": legacy_office.workbook_stream(xlm=True)})
    facts = probe(tmp_path, data)
    assert facts.mime_type == XLS
    assert only(facts, Reason.ACTIVE_CONTENT).metadata["kind"] == "xlm"


@pytest.mark.parametrize(
    ("data", "part"),
    [
        (legacy_office.doc(encrypted=True), "WordDocument"),
        (legacy_office.xls(filepass=True), "Workbook"),
        (legacy_office.doc_with_encryption_info(), "EncryptionInfo"),
    ],
    ids=["word fEncrypted", "excel FILEPASS", "EncryptionInfo stream"],
)
def test_encryption_is_found(tmp_path: Path, data: bytes, part: str) -> None:
    finding = only(probe(tmp_path, data), Reason.ENCRYPTED)
    assert finding.metadata["part"] == part


def test_a_cut_compound_file_is_truncated(tmp_path: Path) -> None:
    facts = probe(tmp_path, damage.truncate(legacy_office.doc(padding=20_000)), mime=DOC)
    finding = only(facts, Reason.TRUNCATED)
    assert "sectors" in finding.message


def test_a_cut_header_is_truncated(tmp_path: Path) -> None:
    only(probe(tmp_path, legacy_office.doc()[:300], mime=DOC), Reason.TRUNCATED)


def test_a_damaged_compound_file_is_corrupt(tmp_path: Path) -> None:
    data = bytearray(legacy_office.doc())
    data[30:32] = (7).to_bytes(2, "little")  # a sector size no compound file has
    assert reasons(probe(tmp_path, bytes(data), mime=DOC)) == [Reason.CORRUPT]
    garbage = SIGNATURE + bytes(2040)
    assert reasons(probe(tmp_path, garbage, mime="application/x-ole-storage")) == [Reason.CORRUPT]


def test_a_workbook_stream_without_bof_is_corrupt(tmp_path: Path) -> None:
    from tests.samples.cfb import cfb

    finding = only(probe(tmp_path, cfb({"Workbook": b"\x00" * 64})), Reason.CORRUPT)
    assert finding.metadata["part"] == "Workbook"
