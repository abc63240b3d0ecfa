"""Legacy Office (doc, xls, ppt): OLE2 compound files, checked from their structure.

The header and FAT are read first, by hand, so that a file cut short says TRUNCATED rather than
whatever a reader trips over later; olefile then parses the directory, and the main stream's
name gives the type (WordDocument, Workbook or Book, PowerPoint Document). Macros: olevba finds
VBA projects (storage layout, and compressed VBA source in any stream); Excel 4.0 (XLM) macro
sheets are read here from the workbook's BOUNDSHEET records, since olevba looks for them only
when the root storage carries Excel's CLSID, which the file's author chooses. Encryption: an
EncryptionInfo stream, Word's fEncrypted bit, Excel's FILEPASS record and PowerPoint's
encrypted session, as oletools.crypto.is_encrypted tells (with msoffcrypto when it is there).
Nothing is decrypted or run; what is read is bounded by the file, which the profile bounds.
"""

from __future__ import annotations

import os
import struct
import warnings
from typing import Any, BinaryIO

import olefile

from mediagate.inspect.errors import failure
from mediagate.inspect.facts import Facts
from mediagate.media.mime import DOC, LEGACY_OFFICE, PPT, XLS
from mediagate.reasons import Finding, Reason

# What libmagic says for a compound file it cannot name (no summary information, or a head
# that ends before the directory): the streams inside decide.
GENERIC_OLE = frozenset(
    {"application/x-ole-storage", "application/cdfv2", "application/vnd.ms-office"}
)
OLE_TYPES = LEGACY_OFFICE | GENERIC_OLE

# Main stream -> type, in the order checked.
_MAIN_STREAMS = (
    ("WordDocument", DOC),
    ("Workbook", XLS),
    ("Book", XLS),
    ("PowerPoint Document", PPT),
)
_SIGNATURE = olefile.MAGIC
_HEADER = 512
_MAX_SECTOR_ID = 0xFFFFFFFA  # larger values are markers (free, end of chain, FAT, DIFAT)
_IN_USE_MARKERS = (0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFC)  # end of chain, FAT sector, DIFAT sector
# The workbook globals come first in the stream: BOUNDSHEET and FILEPASS records are in them.
_MAX_BIFF_BYTES = 16 * 1024 * 1024
_BOFS = (0x0809, 0x0409, 0x0209, 0x0009)  # BIFF5-8, 4, 3, 2
_EOF, _FILEPASS, _BOUNDSHEET = 0x000A, 0x002F, 0x0085
_SHEET_KINDS = {0x01: "Excel 4.0 (XLM) macro sheet", 0x06: "Excel 5.0 VBA module sheet"}


def probe_ole(path: str, mime: str) -> Facts:
    facts = Facts(mime_type=mime)
    with open(path, "rb") as fh:
        cut = _cut_short(fh)
        if cut:
            facts.findings.append(Finding(Reason.TRUNCATED, cut))
            return facts
        try:
            ole = olefile.OleFileIO(fh)
        except Exception as exc:
            facts.findings.append(failure("The file is not a readable OLE2 compound file", exc))
            return facts
        with ole:
            _inspect(ole, path, facts)
    return facts


def _inspect(ole: Any, path: str, facts: Facts) -> None:
    main = next(((name, kind) for name, kind in _MAIN_STREAMS if ole.exists(name)), None)
    if main is None:
        if facts.mime_type in LEGACY_OFFICE:
            facts.findings.append(
                Finding(
                    Reason.CORRUPT,
                    "The compound file holds no WordDocument, Workbook or PowerPoint Document "
                    "stream, so it is no Office document.",
                )
            )
        else:
            facts.mime_type = "application/x-ole-storage"
        return
    stream, facts.mime_type = main
    if ole.get_type(stream) != olefile.STGTY_STREAM:
        facts.findings.append(
            Finding(Reason.CORRUPT, f"{stream} is not a stream.", {"part": stream})
        )
        return
    encrypted = _encryption(ole, stream)
    if encrypted:
        facts.findings.append(encrypted)
    if facts.mime_type == XLS:
        facts.findings.extend(_workbook_findings(ole, stream, skip_encryption=bool(encrypted)))
    facts.findings.extend(_vba(path, facts.mime_type))


def _cut_short(fh: BinaryIO) -> str:
    """Why the file ends before the sectors its header and FAT use, or "" when it does not.

    Read by hand because olefile trims its FAT to the file's length, so a cut file reads as a
    damaged one, or as a smaller valid one.
    """
    size = fh.seek(0, os.SEEK_END)
    fh.seek(0)
    header = fh.read(_HEADER)
    if len(header) < _HEADER:
        return f"The file ends after {size} bytes, inside the 512-byte compound-file header."
    if header[:8] != _SIGNATURE:
        return ""  # not a compound file: olefile says so
    shift = int.from_bytes(header[30:32], "little")
    if shift not in (9, 12):
        return ""  # olefile refuses the header
    sector = 1 << shift
    # Sector n starts at (n + 1) * sector; a last sector short of its padding still counts
    # (olefile reads it so).
    in_file = max(0, -(-size // sector) - 1)
    directory, minifat, difat = (struct.unpack_from("<I", header, at)[0] for at in (48, 60, 68))
    fat_sectors = [s for s in struct.unpack_from("<109I", header, 76) if s < _MAX_SECTOR_ID]
    per_sector = sector // 4
    # Sectors the FAT cannot describe are a damaged pointer, not a cut: olefile refuses those.
    reach = len(fat_sectors) * per_sector
    used = [s for s in (directory, minifat, difat, *fat_sectors) if s < reach]
    for index, fat_sector in enumerate(fat_sectors):
        if fat_sector >= in_file:
            break  # counted in `used` already
        fh.seek((fat_sector + 1) * sector)
        table = struct.unpack(f"<{per_sector}I", fh.read(sector).ljust(sector, b"\xff"))
        # In use: a chain link within the table's reach, or a chain's end / the FAT's own
        # sectors. A damaged free entry holds anything else, and is damage, not a cut.
        last = max(
            (i for i, value in enumerate(table) if value < reach or value in _IN_USE_MARKERS),
            default=-1,
        )
        if last >= 0:
            used.append(index * per_sector + last)
    needed = max(used, default=-1) + 1
    if needed > in_file:
        return (
            f"The file ends after {in_file} of the {needed} {sector}-byte sectors its "
            "allocation table uses."
        )
    return ""


def _encryption(ole: Any, stream: str) -> Finding | None:
    from oletools import crypto

    for name in ("EncryptionInfo", "EncryptedPackage"):
        if ole.exists(name):
            return _encrypted(name)
    if crypto.is_encrypted(ole):
        return _encrypted(stream)
    return None


def _encrypted(part: str) -> Finding:
    return Finding(
        Reason.ENCRYPTED,
        "The file is a password-protected Office document.",
        {"kind": "office", "part": part},
    )


def _workbook_findings(ole: Any, stream: str, skip_encryption: bool) -> list[Finding]:
    """XLM macro sheets (and FILEPASS) from the workbook globals' records."""
    with ole.openstream(stream) as fh:
        data = fh.read(_MAX_BIFF_BYTES)
    if len(data) < 4 or struct.unpack_from("<H", data)[0] not in _BOFS:
        # Every BIFF version begins the workbook with a BOF record.
        return [
            Finding(
                Reason.CORRUPT,
                f"The {stream} stream does not begin with a BOF record.",
                {"part": stream},
            )
        ]
    pos = 0
    while pos + 4 <= len(data):
        kind, length = struct.unpack_from("<HH", data, pos)
        body = data[pos + 4 : pos + 4 + length]
        pos += 4 + length
        if kind == _EOF:
            break
        if kind == _FILEPASS:
            # What follows is encrypted, BOUNDSHEET's sheet type included.
            return [] if skip_encryption else [_encrypted(stream)]
        if kind == _BOUNDSHEET and len(body) >= 6 and body[5] in _SHEET_KINDS:
            name = _sheet_name(body[6:])
            return [
                Finding(
                    Reason.ACTIVE_CONTENT,
                    f"The workbook has an {_SHEET_KINDS[body[5]]} ({name!r}).",
                    {"kind": "xlm" if body[5] == 0x01 else "vba", "part": f"{stream}/{name}"},
                )
            ]
    return []


def _sheet_name(raw: bytes) -> str:
    if not raw:
        return ""
    count = raw[0]
    if len(raw) >= 2 and raw[1] in (0, 1) and len(raw) >= 2 + count * (1 + raw[1]):
        text = raw[2 : 2 + count * (1 + raw[1])]  # BIFF8: ShortXLUnicodeString
        return text.decode("utf-16-le" if raw[1] else "latin-1", "replace")
    return raw[1 : 1 + count].decode("latin-1", "replace")  # BIFF5: a byte string


def _vba(path: str, mime: str) -> list[Finding]:
    with warnings.catch_warnings():
        # olevba's import builds pyparsing grammars with names pyparsing 3 deprecates.
        warnings.simplefilter("ignore", DeprecationWarning)
        from oletools.olevba import VBA_Parser

    parser = VBA_Parser(path, relaxed=True)
    try:
        if not parser.detect_vba_macros():
            return []
        projects = parser.find_vba_projects() or []
        part = projects[0][0].rstrip("/") if projects and projects[0][0] else ""
        if not part:
            part = "PowerPoint Document" if mime == PPT else "VBA"
    finally:
        parser.close()
    return [
        Finding(
            Reason.ACTIVE_CONTENT,
            f"The document carries VBA macros ({part}).",
            {"kind": "vba", "part": part},
        )
    ]
