"""Legacy Office files (doc, xls, ppt) as OLE2 compound files, and hostile ones: VBA projects,
an Excel 4.0 (XLM) macro sheet, a Word fEncrypted bit, an Excel FILEPASS record, an
EncryptionInfo stream. Made with tests/samples/cfb.py: only the structure the probes read is
real (a Word FIB's first fields, BIFF8 records), which is what Office and oletools look at
first too."""

from __future__ import annotations

import struct

from tests.samples.cfb import EXCEL_CLSID, POWERPOINT_CLSID, WORD_CLSID, Tree, cfb

_F_ENCRYPTED = 0x0100  # FibBase flags: fEncrypted
_F_WHICH_TABLE = 0x0200  # FibBase flags: the table stream is 1Table


def _fib(encrypted: bool, text: bytes) -> bytes:
    """A WordDocument stream: a FibBase (Word 97's wIdent and nFib), then the text."""
    fib = bytearray(1472)
    flags = _F_WHICH_TABLE | (_F_ENCRYPTED if encrypted else 0)
    struct.pack_into("<HHHHH", fib, 0, 0xA5EC, 0x00C1, 0, 0x0409, 0)
    struct.pack_into("<H", fib, 10, flags)
    struct.pack_into("<H", fib, 12, 0x00BF)  # nFibBack
    return bytes(fib) + text


def _vba_project() -> Tree:
    """The storage layout [MS-OVBA] 2.2.1 requires: PROJECT, VBA/_VBA_PROJECT, VBA/dir."""
    return {
        "PROJECT": b'ID="{00000000-0000-0000-0000-000000000000}"\r\n'
        b"Document=ThisDocument/&H00000000\r\n",
        "PROJECTwm": b"ThisDocument\x00T\x00h\x00i\x00s\x00\x00\x00\x00\x00",
        "VBA": {
            "_VBA_PROJECT": b"\xcc\x61\xff\xff\x00\x00\x00",
            "dir": b"\x01" + bytes(64),
            "ThisDocument": b"\x00" * 64,
        },
    }


def doc(encrypted: bool = False, vba: bool = False, padding: int = 0) -> bytes:
    """A Word 97-2003 document; `padding` bytes of extra text make it larger."""
    text = "Hello from a legacy Word file.\r".encode("cp1252") + b"x" * padding
    tree: dict[str, bytes | Tree] = {
        "WordDocument": _fib(encrypted, text),
        "1Table": bytes(4096),
    }
    if vba:
        tree["Macros"] = _vba_project()
    return cfb(tree, WORD_CLSID)


def doc_with_encryption_info() -> bytes:
    """A WordDocument next to an EncryptionInfo stream, as Office's CryptoAPI/agile modes write."""
    return cfb(
        {
            "WordDocument": _fib(False, b"ciphertext"),
            "1Table": bytes(4096),
            "EncryptionInfo": struct.pack("<HHI", 4, 4, 0x40) + bytes(64),
        },
        WORD_CLSID,
    )


def _record(kind: int, body: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def _bof(substream: int) -> bytes:
    # BIFF8 BOF: version 0x0600, substream type (0x0005 globals, 0x0010 worksheet), build, year.
    return _record(0x0809, struct.pack("<HHHHII", 0x0600, substream, 0x0DBB, 0x07CC, 0, 0x0206))


def _boundsheet(name: str, sheet_type: int, offset: int = 0) -> bytes:
    # BoundSheet8: lbPlyPos, hsState (visible), dt (0 worksheet, 1 macro sheet), then the name
    # as a ShortXLUnicodeString.
    encoded = name.encode("latin-1")
    return _record(0x0085, struct.pack("<IBBBB", offset, 0, sheet_type, len(encoded), 0) + encoded)


def workbook_stream(xlm: bool = False, filepass: bool = False) -> bytes:
    globals_ = _bof(0x0005)
    if filepass:
        # FILEPASS, RC4 CryptoAPI: wEncryptionType 1, then the encryption header (opaque here).
        globals_ += _record(0x002F, struct.pack("<HHH", 1, 4, 2) + bytes(48))
    globals_ += _boundsheet("Sheet1", 0x00)
    if xlm:
        globals_ += _boundsheet("Macro1", 0x01)
    globals_ += _record(0x000A)
    sheet = _bof(0x0010) + _record(0x000A)
    return globals_ + sheet


def xls(xlm: bool = False, filepass: bool = False, vba: bool = False) -> bytes:
    tree: dict[str, bytes | Tree] = {"Workbook": workbook_stream(xlm, filepass)}
    if vba:
        tree["_VBA_PROJECT_CUR"] = _vba_project()
    return cfb(tree, EXCEL_CLSID)


def ppt() -> bytes:
    """A PowerPoint 97-2003 presentation's streams: a DocumentContainer record, Current User."""
    document = struct.pack("<HHI", 0x000F, 0x03E8, 8) + struct.pack("<HHI", 0x0001, 0x03E9, 0)
    current_user = struct.pack("<IIIHHBBH", 20, 0xE391C05F, 0, 0x000B, 0x0002, 0, 3, 0) + b"me"
    return cfb({"PowerPoint Document": document, "Current User": current_user}, POWERPOINT_CLSID)


def ole_without_office_streams() -> bytes:
    """A valid compound file that is no Office document (what an MSG or a Thumbs.db is to us)."""
    return cfb({"Contents": b"just a stream"})
