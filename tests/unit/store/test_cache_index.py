"""The preview cache's index: charges in whole blocks, least recently used out first."""

from __future__ import annotations

import pytest

from mediagate.store.cache_index import BLOCK_BYTES, CacheIndex, blocks_of


def test_entries_are_charged_whole_blocks_and_at_least_one() -> None:
    assert [blocks_of(n) for n in (0, 1, 4096, 4097, 10 * 4096)] == [1, 1, 1, 2, 10]


def test_a_put_evicts_the_least_recently_used_until_the_total_fits() -> None:
    index = CacheIndex(3 * BLOCK_BYTES)
    assert index.add("a", 100) == []
    assert index.add("b", 100) == []
    assert index.add("c", 100) == []
    index.touch("a")  # a hit: b is now the oldest used
    assert index.add("d", 100) == ["b"]
    assert index.add("e", 2 * BLOCK_BYTES) == ["c", "a"]
    assert (len(index), index.charged_bytes) == (2, 3 * BLOCK_BYTES)
    assert "d" in index and "e" in index


def test_a_rewritten_entry_is_charged_once_at_its_new_size() -> None:
    index = CacheIndex(4 * BLOCK_BYTES)
    index.add("a", 3 * BLOCK_BYTES)
    assert index.add("a", BLOCK_BYTES) == []
    assert index.charged_bytes == BLOCK_BYTES


def test_an_entry_larger_than_the_budget_is_not_admitted() -> None:
    index = CacheIndex(2 * BLOCK_BYTES)
    assert index.admits(2 * BLOCK_BYTES)
    assert not index.admits(2 * BLOCK_BYTES + 1)
    assert not CacheIndex(0).admits(1)


def test_removal_and_touching_what_is_not_there() -> None:
    index = CacheIndex(2 * BLOCK_BYTES)
    index.add("a", 1)
    index.remove("a")
    index.remove("a")
    index.touch("never")
    assert (len(index), index.charged_bytes) == (0, 0)
    with pytest.raises(ValueError):
        CacheIndex(-1)
