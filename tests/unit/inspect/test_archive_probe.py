from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from mediagate.inspect.archive import MAX_NESTING
from mediagate.inspect.facts import ArchiveFacts, ProbeLimits
from mediagate.media.mime import DOCX, ZIP
from mediagate.reasons import Reason
from tests.samples import archives, damage, office
from tests.unit.inspect.probing import only, probe


def test_a_clean_zip_gives_its_entries_and_size(tmp_path: Path) -> None:
    facts = probe(tmp_path, archives.zip_archive())
    assert facts.mime_type == ZIP
    assert facts.findings == []
    assert facts.archive == ArchiveFacts(entry_count=2, uncompressed_bytes=19)


def test_ooxml_stays_ooxml(tmp_path: Path) -> None:
    facts = probe(tmp_path, office.docx(), mime=ZIP)
    assert facts.mime_type == DOCX
    assert facts.archive is None


def test_a_zip_bomb_is_found_from_declared_sizes(tmp_path: Path) -> None:
    finding = only(probe(tmp_path, archives.zip_bomb()), Reason.DECOMPRESSION_BOMB)
    assert finding.metadata["part"] == "zeros.bin"
    assert float(finding.metadata["actual"]) > ProbeLimits().max_compression_ratio


def test_the_total_and_the_count_are_limited(tmp_path: Path) -> None:
    data = archives.zip_archive()
    total = only(
        probe(tmp_path, data, ProbeLimits(max_uncompressed_bytes=10)), Reason.DECOMPRESSION_BOMB
    )
    assert total.metadata["limit"] == "10"
    count = only(probe(tmp_path, data, ProbeLimits(max_zip_entries=1)), Reason.DECOMPRESSION_BOMB)
    assert (count.metadata["limit"], count.metadata["actual"]) == ("1", "2")


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("../evil.sh", "'..'"),
        ("docs/../../evil.sh", "'..'"),
        ("/etc/cron.d/evil", "absolute"),
        ("..\\..\\evil.bat", "'..'"),
        ("\\\\server\\share\\evil", "absolute"),
        ("C:/Windows/evil.dll", "drive"),
        ("c:evil.dll", "drive"),
    ],
)
def test_names_that_escape_the_folder_are_refused(tmp_path: Path, name: str, why: str) -> None:
    finding = only(probe(tmp_path, archives.zip_with_names(name)), Reason.CORRUPT)
    assert finding.metadata["kind"] == "path"
    assert finding.metadata["part"] == name
    assert why in finding.message


@pytest.mark.parametrize("name", ["dir\\file.txt", "a..b/c..txt", "..hidden", "dir/./x"])
def test_odd_but_safe_names_pass(tmp_path: Path, name: str) -> None:
    assert probe(tmp_path, archives.zip_with_names(name)).findings == []


def test_a_symlink_is_refused(tmp_path: Path) -> None:
    finding = only(probe(tmp_path, archives.zip_with_symlink()), Reason.CORRUPT)
    assert finding.metadata == {"kind": "symlink", "part": "passwd", "detected_mime_type": ZIP}


def test_an_encrypted_entry_is_encrypted(tmp_path: Path) -> None:
    finding = only(probe(tmp_path, archives.zip_with_encrypted_entry()), Reason.ENCRYPTED)
    assert finding.metadata["part"] == "secret.txt"


def test_a_local_header_naming_another_file_is_corrupt(tmp_path: Path) -> None:
    data = archives.zip_of({"invoice.pdf": b"%PDF-1.4\n"})
    # The local header (offset 30) says "invoice.exe"; the directory still says .pdf.
    data = data[:30] + data[30:41].replace(b".pdf", b".exe") + data[41:]
    finding = only(probe(tmp_path, data, mime=ZIP), Reason.CORRUPT)
    assert finding.metadata["kind"] == "local_header"


def test_stored_nesting_is_followed_to_the_limit(tmp_path: Path) -> None:
    assert probe(tmp_path, archives.nested_zip(MAX_NESTING)).findings == []
    finding = only(probe(tmp_path, archives.nested_zip(MAX_NESTING + 1)), Reason.DECOMPRESSION_BOMB)
    assert finding.metadata["actual"] == str(MAX_NESTING + 1)


def test_a_stored_inner_zip_is_held_to_the_same_rules(tmp_path: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:
        # No archive extension: found by its first bytes, then read in place.
        zf.writestr("photos.dat", archives.zip_with_names("../evil.sh"))
    finding = only(probe(tmp_path, out.getvalue()), Reason.CORRUPT)
    assert finding.metadata["part"] == "../evil.sh"
    assert "nested 1 deep" in finding.message


def test_compressed_inner_archives_count_one_level_unread(tmp_path: Path) -> None:
    # Deflated: their insides cannot be seen without inflating, so only one level counts.
    assert probe(tmp_path, archives.nested_zip(MAX_NESTING + 3, stored=False)).findings == []


def test_a_cut_zip_is_truncated(tmp_path: Path) -> None:
    only(probe(tmp_path, damage.truncate(archives.zip_archive()), mime=ZIP), Reason.TRUNCATED)


def test_garbage_called_zip_is_corrupt(tmp_path: Path) -> None:
    only(probe(tmp_path, b"not a zip at all" * 10, mime=ZIP), Reason.CORRUPT)
