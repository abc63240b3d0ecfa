from __future__ import annotations

from pathlib import Path

from mediagate.reasons import Reason
from tests.samples import texts
from tests.unit.inspect.probing import only, probe


def test_utf8_text_and_csv_are_fine(tmp_path: Path) -> None:
    text = probe(tmp_path, texts.text())
    assert (text.mime_type, text.findings) == ("text/plain", [])
    csv = probe(tmp_path, texts.csv())
    assert (csv.mime_type, csv.findings) == ("text/csv", [])


def test_a_nul_byte_is_corrupt(tmp_path: Path) -> None:
    finding = only(probe(tmp_path, texts.text() + b"\x00tail", mime="text/plain"), Reason.CORRUPT)
    assert "NUL" in finding.message


def test_invalid_utf8_is_corrupt(tmp_path: Path) -> None:
    data = "prix: 10 €\n".encode("cp1252")
    finding = only(probe(tmp_path, data, mime="text/plain"), Reason.CORRUPT)
    assert finding.metadata["kind"] == "utf-8"


def test_a_multibyte_character_cut_at_the_end_is_corrupt(tmp_path: Path) -> None:
    only(probe(tmp_path, "naïve 東".encode()[:-1], mime="text/plain"), Reason.CORRUPT)


def test_a_character_across_a_read_boundary_is_fine(tmp_path: Path) -> None:
    data = b"a" * (256 * 1024 - 1) + "東京\n".encode()
    assert probe(tmp_path, data, mime="text/plain").findings == []


def test_utf16_with_a_bom_is_fine_and_without_nul_characters(tmp_path: Path) -> None:
    assert probe(tmp_path, "hello wörld\n".encode("utf-16"), mime="text/plain").findings == []
    only(probe(tmp_path, "a\x00b".encode("utf-16"), mime="text/plain"), Reason.CORRUPT)


def test_html_keeps_the_type_libmagic_gave_it(tmp_path: Path) -> None:
    facts = probe(tmp_path, b"<html><body><script>alert(1)</script></body></html>")
    assert facts.mime_type == "text/html"
    assert facts.findings == []
