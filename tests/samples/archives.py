"""ZIP archives: a plain one, the writer that OOXML files and polyglot images build on, and
hostile ones: a bomb, unsafe names, a symlink, an encrypted entry, nested archives."""

from __future__ import annotations

import io
import stat
import struct
import zipfile
from collections.abc import Mapping


def zip_of(parts: Mapping[str, bytes]) -> bytes:
    """A deflated ZIP holding these parts, in this order."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return out.getvalue()


def zip_archive() -> bytes:
    return zip_of({"readme.txt": b"just a zip\n", "data/values.csv": b"a,b\n1,2\n"})


def zip_bomb(zero_bytes: int = 16 * 1024 * 1024) -> bytes:
    """One entry of zeros that deflates about 1000:1: a bomb from its declared sizes alone."""
    return zip_of({"readme.txt": b"look inside\n", "zeros.bin": b"\0" * zero_bytes})


def zip_with_names(*names: str) -> bytes:
    """Entries named exactly so (zipfile keeps "../x", "/x" and backslashes as given)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("readme.txt", b"hello\n")
        for name in names:
            zf.writestr(zipfile.ZipInfo(name), b"payload\n")
    return out.getvalue()


def zip_with_symlink(target: str = "/etc/passwd") -> bytes:
    """An Info-ZIP Unix symlink: S_IFLNK in the external attributes, the target as data."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("readme.txt", b"hello\n")
        link = zipfile.ZipInfo("passwd")
        link.create_system = 3
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, target.encode())
    return out.getvalue()


def zip_with_encrypted_entry() -> bytes:
    """A zip whose second entry has the "encrypted" flag set in both headers (the bytes are not
    really encrypted: the flag is what readers and the probe go by)."""
    data = bytearray(zip_of({"readme.txt": b"hello\n", "secret.txt": b"the secret\n"}))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("secret.txt")
        local = info.header_offset
    data[local + 6] |= 0x01
    # The central directory's record for it: walk the records from the directory's start.
    end = data.rfind(b"PK\x05\x06")
    pos = struct.unpack_from("<I", data, end + 16)[0]
    while data[pos : pos + 4] == b"PK\x01\x02":
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, pos + 28)
        if data[pos + 46 : pos + 46 + name_len] == b"secret.txt":
            data[pos + 8] |= 0x01
        pos += 46 + name_len + extra_len + comment_len
    return bytes(data)


def nested_zip(levels: int, stored: bool = True) -> bytes:
    """A zip holding a zip holding ... `levels` archives below the outer one (stored, so that
    each inner archive's bytes sit in its parent as they are)."""
    data = zip_archive()
    for level in range(levels):
        out = io.BytesIO()
        method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        with zipfile.ZipFile(out, "w", method) as zf:
            zf.writestr(f"level{levels - level}.zip", data)
        data = out.getvalue()
    return data
