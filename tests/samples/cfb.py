"""A small writer of OLE2 compound files (CFB v3, [MS-CFB]), since olefile only reads them.

Enough of the format for tests: 512-byte sectors, one FAT (no DIFAT sectors, so up to about
7 MiB), a mini stream for streams under 4096 bytes, and storages nested to any depth. A tree
is a mapping of names to bytes (a stream) or to another mapping (a storage).
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass, field

Tree = Mapping[str, "bytes | Tree"]

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
_FREE = 0xFFFFFFFF
_END = 0xFFFFFFFE
_FATSECT = 0xFFFFFFFD
_NONE = 0xFFFFFFFF
_STORAGE, _STREAM, _ROOT = 1, 2, 5
_BLACK = 1
SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Root-entry CLSIDs Office writes ([MS-DOC], [MS-XLS], [MS-PPT]), in the on-disk byte order.
WORD_CLSID = bytes.fromhex("0609020000000000c000000000000046")
EXCEL_CLSID = bytes.fromhex("2008020000000000c000000000000046")
POWERPOINT_CLSID = bytes.fromhex("108d81649b4fcf1186ea00aa00b929e8")


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    children: list[int] = field(default_factory=list)
    left: int = _NONE
    right: int = _NONE
    child: int = _NONE
    start: int = _END
    size: int = 0
    clsid: bytes = bytes(16)


def cfb(tree: Tree, clsid: bytes = bytes(16)) -> bytes:
    """The compound file holding `tree` under its Root Entry."""
    entries = [_Entry("Root Entry", _ROOT, clsid=clsid)]
    _add(entries, 0, tree)
    for entry in entries:
        entry.child = _balanced(entries, sorted(entry.children, key=lambda i: _key(entries[i])))

    mini = bytearray()
    minifat: list[int] = []
    big: list[tuple[_Entry, bytes]] = []
    for entry in entries[1:]:
        if entry.kind != _STREAM:
            continue
        entry.size = len(entry.data)
        if not entry.data:
            entry.start = _END
        elif len(entry.data) < MINI_CUTOFF:
            entry.start = len(mini) // MINI_SECTOR
            count = -(-len(entry.data) // MINI_SECTOR)
            minifat += [entry.start + i + 1 for i in range(count - 1)] + [_END]
            mini += entry.data.ljust(count * MINI_SECTOR, b"\0")
        else:
            big.append((entry, entry.data))

    # Sector runs after the FAT: directory, mini FAT, mini stream, then the large streams.
    directory_size = -(-len(entries) // 4) * 4 * 128
    minifat_bytes = b"".join(struct.pack("<I", v) for v in minifat)
    runs = [bytes(directory_size)]
    if minifat:
        runs += [minifat_bytes, bytes(mini)]
    runs += [data for _, data in big]
    counts = [-(-len(data) // SECTOR) for data in runs]
    fat_sectors = 1
    while fat_sectors * (SECTOR // 4) < fat_sectors + sum(counts):
        fat_sectors += 1
    if fat_sectors > 109:
        raise ValueError("the writer has no DIFAT sectors: keep test files under ~7 MiB")

    fat = [_FATSECT] * fat_sectors
    starts = []
    for count in counts:
        first = len(fat)
        starts.append(first)
        fat += [first + i + 1 for i in range(count - 1)] + [_END]
    fat += [_FREE] * (fat_sectors * (SECTOR // 4) - len(fat))

    for (entry, _), first in zip(big, starts[len(runs) - len(big) :], strict=True):
        entry.start = first
    root = entries[0]
    root.start = starts[2] if minifat else _END
    root.size = len(mini)

    body = bytearray()
    body += b"".join(struct.pack("<I", v) for v in fat)
    runs[0] = _directory(entries, directory_size)
    for data in runs:
        body += data.ljust(-(-len(data) // SECTOR) * SECTOR, b"\0")

    header = bytearray(SECTOR)
    header[0:8] = SIGNATURE
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<I", header, 44, fat_sectors)
    struct.pack_into("<I", header, 48, starts[0])
    struct.pack_into("<I", header, 56, MINI_CUTOFF)
    minifat_sectors = counts[1] if minifat else 0
    struct.pack_into("<II", header, 60, starts[1] if minifat else _END, minifat_sectors)
    struct.pack_into("<II", header, 68, _END, 0)
    difat = list(range(fat_sectors)) + [_FREE] * (109 - fat_sectors)
    struct.pack_into("<109I", header, 76, *difat)
    return bytes(header + body)


def _add(entries: list[_Entry], parent: int, tree: Tree) -> None:
    for name, value in tree.items():
        index = len(entries)
        if isinstance(value, bytes):
            entries.append(_Entry(name, _STREAM, data=value))
        else:
            entries.append(_Entry(name, _STORAGE))
            _add(entries, index, value)
        entries[parent].children.append(index)


def _key(entry: _Entry) -> tuple[int, str]:
    # [MS-CFB] 2.6.4: shorter names first, then a case-insensitive comparison.
    return (len(entry.name), entry.name.upper())


def _balanced(entries: list[_Entry], ordered: list[int]) -> int:
    """Siblings as a balanced binary search tree (all black: readers do not check colours)."""
    if not ordered:
        return _NONE
    middle = len(ordered) // 2
    node = entries[ordered[middle]]
    node.left = _balanced(entries, ordered[:middle])
    node.right = _balanced(entries, ordered[middle + 1 :])
    return ordered[middle]


def _directory(entries: list[_Entry], size: int) -> bytes:
    out = bytearray(size)
    for i in range(len(entries), size // 128):
        struct.pack_into("<III", out, i * 128 + 68, _NONE, _NONE, _NONE)
    for i, entry in enumerate(entries):
        name = entry.name.encode("utf-16-le") + b"\0\0"
        base = i * 128
        out[base : base + len(name)] = name
        struct.pack_into("<HBB", out, base + 64, len(name), entry.kind, _BLACK)
        struct.pack_into("<III", out, base + 68, entry.left, entry.right, entry.child)
        out[base + 80 : base + 96] = entry.clsid
        struct.pack_into("<IQ", out, base + 116, entry.start, entry.size)
    return bytes(out)
