"""ZIP archives: held to their bounds from the central directory and local headers alone.

Nothing is inflated. What is checked, per entry: the declared sizes (entry count, total, ratio:
DECOMPRESSION_BOMB), the encryption flag (ENCRYPTED), the name (an absolute path, a drive
letter or a `..` component, with backslashes read as separators: CORRUPT), a symbolic link in
the Unix mode bits (CORRUPT), and the local header's name against the directory's (CORRUPT: two
readers would see two archives). Path tricks and symlinks are refused as CORRUPT rather than as
a reason of their own because the contract has none for them, and APPNOTE 4.4.17 itself forbids
leading slashes, drive letters and backslashes in names: an archive whose entries escape its
own tree is not a well-formed one. The finding's `kind` ("path", "symlink") says which.

Nesting: an entry counts as an archive by its name's extension, or, when it is stored (not
compressed), by its first bytes. A stored inner ZIP is read in place, as a window on the outer
file, and held to the same rules one level deeper; a compressed one cannot be looked into
without inflating it, so it counts as one more level and its content stays unexamined (whoever
extracts it later must bound it). More than MAX_NESTING levels is a DECOMPRESSION_BOMB (the
shape of 42.zip and of zip quines).
"""

from __future__ import annotations

import io
import re
import stat
import struct
import zipfile
from typing import BinaryIO, cast

from mediagate.inspect.errors import failure
from mediagate.inspect.facts import ArchiveFacts, Facts, ProbeLimits
from mediagate.inspect.zip_bounds import check_entries, declared_entry_count, too_many_entries
from mediagate.media.mime import ZIP
from mediagate.reasons import Finding, Reason

# Archives inside the upload, counted from its own entries (1) down.
MAX_NESTING = 2
_ARCHIVE_EXTENSIONS = frozenset(
    {
        ".zip", ".jar", ".war", ".ear", ".apk", ".aab", ".ipa", ".xpi", ".crx", ".nupkg", ".whl",
        ".docx", ".docm", ".xlsx", ".xlsm", ".pptx", ".pptm", ".odt", ".ods", ".odp", ".epub",
        ".7z", ".rar", ".gz", ".tgz", ".bz2", ".xz", ".zst", ".tar", ".cab", ".lzh", ".arj",
    }
)  # fmt: skip
_ARCHIVE_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"7z\xbc\xaf\x27\x1c", b"Rar!", b"\x1f\x8b")
_LOCAL_HEADER = b"PK\x03\x04"
_LOCAL_HEADER_SIZE = 30
_DRIVE = re.compile(r"^[A-Za-z]:")


def probe_archive(path: str, limits: ProbeLimits) -> Facts:
    facts = Facts(mime_type=ZIP)
    with open(path, "rb") as fh:
        _examine(fh, limits, level=0, facts=facts)
    return facts


def _examine(fh: BinaryIO, limits: ProbeLimits, level: int, facts: Facts) -> None:
    """Adds what is wrong with the archive in `fh` (at nesting `level`) to `facts`."""
    where = "" if level == 0 else f" (in an archive nested {level} deep)"
    count = declared_entry_count(fh)
    if count is not None and count > limits.max_zip_entries:
        facts.findings.append(too_many_entries(count, limits))
        return
    try:
        archive = zipfile.ZipFile(fh)
    except Exception as exc:
        fh.seek(0)
        if count is None and fh.read(4) == _LOCAL_HEADER:
            facts.findings.append(
                Finding(Reason.TRUNCATED, f"The archive ends before its central directory{where}.")
            )
        else:
            facts.findings.append(failure(f"The file is not a readable zip archive{where}", exc))
        return
    with archive:
        infos = archive.infolist()
    if level == 0:
        facts.archive = ArchiveFacts(len(infos), sum(info.file_size for info in infos))
    facts.findings.extend(check_entries(infos, limits))
    for info in infos:
        found = _entry_findings(fh, info, where)
        if found is None:
            found = _nested(fh, info, limits, level, facts)
        if found is not None and all(f.reason != found.reason for f in facts.findings):
            facts.findings.append(found)


def _entry_findings(fh: BinaryIO, info: zipfile.ZipInfo, where: str) -> Finding | None:
    name = info.filename
    unsafe = _unsafe_path(name)
    if unsafe:
        return Finding(
            Reason.CORRUPT,
            f"The entry {name!r}{where} names {unsafe}: extracted, it would be written outside "
            "the folder the archive is extracted into (zip slip).",
            {"kind": "path", "part": name},
        )
    if stat.S_ISLNK(info.external_attr >> 16):
        return Finding(
            Reason.CORRUPT,
            f"The entry {name!r}{where} is a symbolic link: extracted, it could point outside "
            "the folder the archive is extracted into.",
            {"kind": "symlink", "part": name},
        )
    if info.flag_bits & 0x1:
        return Finding(
            Reason.ENCRYPTED,
            f"The entry {name!r}{where} is encrypted.",
            {"kind": "zip", "part": name},
        )
    return None


def _unsafe_path(name: str) -> str:
    """What makes an entry name escape the extraction folder, or "" when nothing does.

    Backslashes count as separators: Windows extractors treat them so, and "..\\x" is how
    zip-slip payloads reach them past a check that splits on "/" only.
    """
    slashed = name.replace("\\", "/")
    if slashed.startswith("/"):
        return "an absolute path"
    if _DRIVE.match(slashed):
        return "a drive letter"
    if ".." in slashed.split("/"):
        return "a '..' component"
    return ""


def _nested(
    fh: BinaryIO, info: zipfile.ZipInfo, limits: ProbeLimits, level: int, facts: Facts
) -> Finding | None:
    """The local header's name must be the directory's; an archive entry goes one level down."""
    fh.seek(info.header_offset)
    header = fh.read(_LOCAL_HEADER_SIZE)
    if len(header) < _LOCAL_HEADER_SIZE or header[:4] != _LOCAL_HEADER:
        return Finding(
            Reason.CORRUPT,
            f"The directory points {info.filename!r} at bytes that are no local header.",
            {"kind": "local_header", "part": info.filename},
        )
    name_length, extra_length = struct.unpack_from("<HH", header, 26)
    raw_name = fh.read(name_length)
    if _decoded(raw_name, info) != info.orig_filename:
        return Finding(
            Reason.CORRUPT,
            f"The local header of {info.filename!r} names another file: readers that trust "
            "local headers would see another archive.",
            {"kind": "local_header", "part": info.filename},
        )
    stored = info.compress_type == zipfile.ZIP_STORED and not info.is_dir()
    data_start = info.header_offset + _LOCAL_HEADER_SIZE + name_length + extra_length
    magic = b""
    if stored:
        fh.seek(data_start)
        magic = fh.read(8)
    by_name = any(info.filename.lower().endswith(ext) for ext in _ARCHIVE_EXTENSIONS)
    if not by_name and not magic.startswith(_ARCHIVE_MAGIC):
        return None
    depth = level + 1
    if depth > MAX_NESTING:
        return Finding(
            Reason.DECOMPRESSION_BOMB,
            f"{info.filename!r} is an archive nested {depth} deep; the limit is {MAX_NESTING}.",
            {"part": info.filename, "limit": str(MAX_NESTING), "actual": str(depth)},
        )
    if stored and magic.startswith(b"PK"):
        inner = cast(BinaryIO, _Window(fh, data_start, info.compress_size))
        _examine(inner, limits, depth, facts)
    return None


def _decoded(raw: bytes, info: zipfile.ZipInfo) -> str:
    # As zipfile decodes the directory's names, so that the two compare.
    encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
    return raw.decode(encoding, "replace").split("\0", 1)[0]


class _Window(io.RawIOBase):
    """Bytes start..start+length of another file, as a file of their own (an inner stored zip)."""

    def __init__(self, inner: BinaryIO, start: int, length: int) -> None:
        self._inner, self._start, self._length, self._pos = inner, start, length, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._length}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def read(self, size: int = -1) -> bytes:
        left = max(0, self._length - self._pos)
        size = left if size is None or size < 0 else min(size, left)
        self._inner.seek(self._start + self._pos)
        data = self._inner.read(size)
        self._pos += len(data)
        return data

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
