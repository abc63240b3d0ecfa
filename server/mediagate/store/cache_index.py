"""The in-memory index of the derived blobs that are a cache (previews): what each costs, in
least-recently-used order, against a byte budget.

Pure bookkeeping, no I/O and no lock: FileBlobStore holds the lock, does the file operations,
and keeps the index in step with the files (store/blobs.py). Each operation is O(1) per entry
it touches, so a put costs the same whatever the cache holds.

An entry is charged its size rounded up to whole 4 KiB blocks, at least one block: that is
what a file takes on ext4 or XFS, and it bounds the number of entries (and so the index's own
memory) at budget / 4 KiB however small the previews an abuser asks for.
"""

from __future__ import annotations

from collections import OrderedDict

BLOCK_BYTES = 4096


def blocks_of(size: int) -> int:
    """The 4 KiB blocks an entry of size bytes is charged (at least one)."""
    return max(1, -(-size // BLOCK_BYTES))


class CacheIndex:
    """Entries are names (a source digest and a key, e.g. "<sha256>/preview-300x300-...").
    The oldest-used entry is first; a hit or a put moves an entry to the end."""

    def __init__(self, max_bytes: int) -> None:
        if max_bytes < 0:
            raise ValueError("a cache budget cannot be negative")
        self.max_blocks = max_bytes // BLOCK_BYTES
        # Blocks per entry: small ints, which CPython shares, so an entry costs its name and
        # one slot of the ordered dict.
        self._blocks: OrderedDict[str, int] = OrderedDict()
        self._total = 0

    @property
    def max_bytes(self) -> int:
        return self.max_blocks * BLOCK_BYTES

    @property
    def charged_bytes(self) -> int:
        return self._total * BLOCK_BYTES

    def __len__(self) -> int:
        return len(self._blocks)

    def __contains__(self, name: object) -> bool:
        return name in self._blocks

    def admits(self, size: int) -> bool:
        """Whether an entry of this size can be kept at all (a larger one would evict the whole
        cache and still not fit)."""
        return blocks_of(size) <= self.max_blocks

    def touch(self, name: str) -> None:
        """A hit: the entry becomes the most recently used (nothing if it is not indexed)."""
        if name in self._blocks:
            self._blocks.move_to_end(name)

    def add(self, name: str, size: int) -> list[str]:
        """Records an entry just written (replacing its earlier size, if any) as the most
        recently used; returns the entries to remove, oldest-used first, so that the total fits
        the budget again. The entry itself is never among them when admits(size)."""
        self.remove(name)
        blocks = blocks_of(size)
        self._blocks[name] = blocks
        self._total += blocks
        victims: list[str] = []
        while self._total > self.max_blocks and self._blocks:
            victim, freed = self._blocks.popitem(last=False)
            self._total -= freed
            victims.append(victim)
        return victims

    def remove(self, name: str) -> None:
        blocks = self._blocks.pop(name, None)
        if blocks is not None:
            self._total -= blocks
