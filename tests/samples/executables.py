"""Executables: a minimal x86-64 ELF."""

from __future__ import annotations

import struct


def elf_executable() -> bytes:
    """A minimal x86-64 ELF executable header (ELF64 header plus one PT_LOAD program header)."""
    header = struct.pack(
        "<4sBBBBB7sHHIQQQIHHHHHH",
        b"\x7fELF",
        2,  # 64-bit
        1,  # little-endian
        1,  # ELF version
        0,  # System V ABI
        0,
        b"\x00" * 7,
        2,  # ET_EXEC
        0x3E,  # x86-64
        1,
        0x400078,  # entry point
        64,  # program headers right after this header
        0,
        0,
        64,
        56,
        1,
        64,
        0,
        0,
    )
    program = struct.pack("<IIQQQQQQ", 1, 5, 0, 0x400000, 0x400000, 0x80, 0x80, 0x1000)
    # A body of "exit(0)": mov edi, 0; mov eax, 60; syscall.
    body = b"\xbf\x00\x00\x00\x00\xb8\x3c\x00\x00\x00\x0f\x05"
    return header + program + body
