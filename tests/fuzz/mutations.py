"""Hypothesis strategies that damage real files the ways that matter to parsers.

A mutant is a seed (tests/fuzz/seeds.py) put through one to four operations, each drawn from
Hypothesis so that a failing example shrinks towards fewer, smaller changes nearer the start:

- flip: one byte xor-ed with a bit, or set to 0x00, 0x7F, 0x80, 0xFF or any value
- truncate: cut at any point, including inside the header and after the last byte
- insert: a run of one repeated byte (up to 64 KiB), a few arbitrary bytes, or a copy of a
  slice of the file itself
- delete: a run of bytes anywhere
- splice: the head of this file and the tail of another seed (polyglots, wrong containers)
- field: a length, size, count or offset field near a chunk header (tests/fuzz/layout.py) set
  to 0, 1, 0xFFFF..., 0x7FFF..., 0x8000... (negative as unsigned), the file's size, or the
  current value nudged or doubled; ASCII numbers (PDF, SVG) may also become negative
- duplicate: a chunk, segment, box, page or object repeated in place, up to 64 times, or
  copied elsewhere

Afterwards PNG and Ogg checksums may be recomputed, so the mutation is not simply dropped at
the CRC check and reaches the parser behind it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from hypothesis import strategies as st

from tests.fuzz import layout
from tests.fuzz.seeds import NAMES, SEEDS, seed_bytes

_INTERESTING_BYTES = (0x00, 0x7F, 0x80, 0xFF)
_MAX_RUN = 64 * 1024
_MAX_REPEATS = 64
_MAX_BYTES = 512 * 1024  # a mutant's size stays far below any profile's size limit
_SHOWN_BYTES = 256  # an example this small is shown whole when Hypothesis reports it


@dataclass(frozen=True)
class Mutant:
    """Damaged bytes and how they were made, described for Hypothesis's failure report."""

    seed: str
    operations: tuple[str, ...]
    data: bytes

    @property
    def stored_mime(self) -> str:
        return SEEDS[self.seed].mime

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def __repr__(self) -> str:
        shown = repr(self.data) if len(self.data) <= _SHOWN_BYTES else f"<{len(self.data)} bytes>"
        return (
            f"Mutant(seed={self.seed!r}, operations={self.operations!r}, "
            f"sha256={self.sha256[:16]}..., data={shown})"
        )


Draw = st.DrawFn


def _flip(draw: Draw, data: bytearray) -> str:
    if not data:
        return "flip: nothing to flip"
    at = draw(st.integers(0, len(data) - 1))
    how = draw(st.sampled_from(("bit", "set", "any")))
    if how == "bit":
        bit = draw(st.integers(0, 7))
        data[at] ^= 1 << bit
        return f"flip bit {bit} at {at}"
    value = draw(
        st.sampled_from(_INTERESTING_BYTES) if how == "set" else st.integers(0, 255),
    )
    data[at] = value
    return f"set byte {at} to 0x{value:02X}"


def _truncate(draw: Draw, data: bytearray) -> str:
    at = draw(st.integers(0, len(data)))
    del data[at:]
    return f"truncate at {at}"


def _insert(draw: Draw, data: bytearray) -> str:
    at = draw(st.integers(0, len(data)))
    how = draw(st.sampled_from(("run", "bytes", "copy")))
    if how == "run":
        byte = draw(st.sampled_from((*_INTERESTING_BYTES, 0x20, 0x41)))
        count = draw(st.integers(1, _MAX_RUN))
        data[at:at] = bytes([byte]) * count
        return f"insert {count} x 0x{byte:02X} at {at}"
    if how == "bytes":
        chunk = draw(st.binary(min_size=1, max_size=32))
        data[at:at] = chunk
        return f"insert {chunk!r} at {at}"
    if not data:
        return "copy: nothing to copy"
    start = draw(st.integers(0, len(data) - 1))
    end = draw(st.integers(start + 1, min(len(data), start + 4096)))
    data[at:at] = data[start:end]
    return f"insert a copy of [{start}:{end}] at {at}"


def _delete(draw: Draw, data: bytearray) -> str:
    if not data:
        return "delete: nothing to delete"
    start = draw(st.integers(0, len(data) - 1))
    end = draw(st.integers(start + 1, min(len(data), start + 4096)))
    del data[start:end]
    return f"delete [{start}:{end}]"


def _splice(draw: Draw, data: bytearray) -> str:
    other_name = draw(st.sampled_from(NAMES))
    other = seed_bytes(other_name)
    cut = draw(st.integers(0, len(data)))
    resume = draw(st.integers(0, len(other)))
    data[cut:] = other[resume:]
    return f"keep [:{cut}], then {other_name}[{resume}:]"


def _field(draw: Draw, data: bytearray) -> str:
    fields = layout.layout(bytes(data)).fields
    if not fields:
        return _flip(draw, data)
    chosen = draw(st.sampled_from(fields))
    value = draw(st.sampled_from(layout.extremes(chosen, bytes(data))))
    negative = chosen.encoding == "ascii" and draw(st.booleans())
    layout.write(chosen, data, value, negative)
    shown = f"-{value}" if negative else str(value)
    return f"set {chosen.what} at {chosen.offset} to {shown}"


def _duplicate(draw: Draw, data: bytearray) -> str:
    spans = layout.layout(bytes(data)).spans
    if not spans:
        return _insert(draw, data)
    start, end = draw(st.sampled_from(spans))
    piece = bytes(data[start:end])
    if draw(st.booleans()):
        times = draw(st.integers(1, _MAX_REPEATS))
        data[end:end] = piece * times
        return f"repeat [{start}:{end}] {times} more times"
    at = draw(st.integers(0, len(data)))
    data[at:at] = piece
    return f"copy [{start}:{end}] to {at}"


_OPERATIONS = (_flip, _truncate, _insert, _delete, _splice, _field, _duplicate)


@st.composite
def mutants(draw: Draw, names: tuple[str, ...] = NAMES, max_operations: int = 4) -> Mutant:
    """A seed from `names`, damaged by 1..max_operations operations."""
    name = draw(st.sampled_from(names))
    data = bytearray(seed_bytes(name))
    done = []
    for _ in range(draw(st.integers(1, max_operations))):
        operation = draw(st.sampled_from(_OPERATIONS))
        done.append(operation(draw, data))
        del data[_MAX_BYTES:]
    if layout.has_checksums(data) and draw(st.booleans()):
        layout.fix_checksums(data)
        done.append("fix checksums")
    return Mutant(name, tuple(done), bytes(data))
