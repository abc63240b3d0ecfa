from __future__ import annotations

from pathlib import Path

import pytest

from mediagate.inspect.sniff import sniff
from mediagate.reasons import Reason
from tests.samples import texts
from tests.unit.inspect.probing import only, probe


def test_utf8_text_and_csv_are_fine(tmp_path: Path) -> None:
    text = probe(tmp_path, texts.text())
    assert (text.mime_type, text.findings) == ("text/plain", [])
    assert text.text is not None and text.text.charset == "utf-8"
    csv = probe(tmp_path, texts.csv())
    assert (csv.mime_type, csv.findings) == ("text/csv", [])
    assert csv.text is not None and csv.text.charset == "utf-8"


@pytest.mark.parametrize(
    ("data", "charset"),
    [
        (texts.csv_in("cp1252"), "windows-1252"),
        (texts.csv_in("latin-1", rows="Café;Größe;naïve\n"), "iso-8859-1"),
        # 0x81 is undefined in Windows-1252: the bytes can only be ISO-8859-1.
        (texts.csv_in("cp1252") + b"\x81\n", "iso-8859-1"),
        (b"id;name\n1;plain\n", "utf-8"),
        (texts.csv_in("utf-8"), "utf-8"),
        (texts.csv_in("utf-8-sig"), "utf-8-sig"),
        (texts.csv_in("utf-16-le", rows="\ufeff" + texts.EXCEL_ROWS, repeat=1), "utf-16-le"),
        (texts.csv_in("utf-16-be", rows="\ufeff" + texts.EXCEL_ROWS, repeat=1), "utf-16-be"),
    ],
    ids=[
        "cp1252",
        "latin-1",
        "latin-1-c1",
        "ascii",
        "utf-8",
        "utf-8-bom",
        "utf-16-le",
        "utf-16-be",
    ],
)
def test_each_charset_is_accepted_and_named(tmp_path: Path, data: bytes, charset: str) -> None:
    facts = probe(tmp_path, data)
    assert facts.mime_type in ("text/plain", "text/csv")
    assert facts.findings == []
    assert facts.text is not None and facts.text.charset == charset
    assert data.decode(charset)  # the name is one Python decodes the bytes with


def test_a_nul_byte_is_binary_data(tmp_path: Path) -> None:
    finding = only(probe(tmp_path, texts.text() + b"\x00tail", mime="text/plain"), Reason.CORRUPT)
    assert "Binary data in a text file" in finding.message and "NUL" in finding.message
    assert finding.metadata["kind"] == "binary"


@pytest.mark.parametrize("byte", [b"\x00", b"\x01", b"\x08", b"\x1b", b"\x1a"])
def test_a_control_byte_past_the_sniffed_head_is_binary_data(tmp_path: Path, byte: bytes) -> None:
    data = texts.text_with_binary(at=70_000, byte=byte)
    facts = probe(tmp_path, data)
    assert facts.mime_type == "text/plain"  # libmagic saw only the first 64 KiB
    finding = only(facts, Reason.CORRUPT)
    assert finding.message.startswith("Binary data in a text file")
    assert "at byte 70000" in finding.message
    assert facts.text is None


def test_tab_form_feed_and_crlf_are_text(tmp_path: Path) -> None:
    facts = probe(tmp_path, b"a\tb\r\nc\x0cd\r\n", mime="text/plain")
    assert facts.findings == []


def test_a_final_end_of_file_mark_is_text(tmp_path: Path) -> None:
    data = texts.csv_in("cp1252") + b"\x1a"
    assert sniff(data).mime_type == "text/plain"
    facts = probe(tmp_path, data)
    assert facts.findings == []
    assert facts.text is not None and facts.text.charset == "windows-1252"
    # Not at the end, it is binary data.
    only(probe(tmp_path, data + b"more\n", mime="text/plain"), Reason.CORRUPT)


def test_binary_bytes_in_the_head_are_not_text_to_libmagic() -> None:
    assert sniff(b"hello\x01\x02\x03 world\n").mime_type == "application/octet-stream"


def test_a_bom_that_lies_is_corrupt(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf" + "prix: 10 €\n".encode("cp1252")
    finding = only(probe(tmp_path, data, mime="text/plain"), Reason.CORRUPT)
    assert finding.metadata["kind"] == "utf-8"


def test_a_multibyte_character_cut_at_the_end_is_8_bit_text(tmp_path: Path) -> None:
    # Invalid as UTF-8, so it is read as single-byte text rather than refused.
    facts = probe(tmp_path, "naïve 東".encode()[:-1], mime="text/plain")
    assert facts.findings == []
    assert facts.text is not None and facts.text.charset == "iso-8859-1"


def test_a_character_across_a_read_boundary_is_fine(tmp_path: Path) -> None:
    data = b"a" * (256 * 1024 - 1) + "東京\n".encode()
    facts = probe(tmp_path, data, mime="text/plain")
    assert facts.findings == []
    assert facts.text is not None and facts.text.charset == "utf-8"


def test_utf16_with_a_bom_is_fine_and_without_nul_characters(tmp_path: Path) -> None:
    assert probe(tmp_path, "hello wörld\n".encode("utf-16"), mime="text/plain").findings == []
    finding = only(probe(tmp_path, "a\x00b".encode("utf-16"), mime="text/plain"), Reason.CORRUPT)
    assert "Binary data in a text file" in finding.message


def test_html_keeps_the_type_libmagic_gave_it(tmp_path: Path) -> None:
    facts = probe(tmp_path, b"<html><body><script>alert(1)</script></body></html>")
    assert facts.mime_type == "text/html"
    assert facts.findings == []
