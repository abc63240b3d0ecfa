"""The derived blobs that are a cache (previews) stay under their byte budget, least recently
used out first, in step with puts, hits, deletes and restarts; the others (voice results) are
neither counted nor evicted."""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable
from pathlib import Path

from mediagate.store.blobs import FileBlobStore
from mediagate.store.cache_index import BLOCK_BYTES, blocks_of

PREFIX = "preview-"
ENTRY = 3 * BLOCK_BYTES  # each test entry: exactly three blocks
BUDGET = 10 * BLOCK_BYTES  # three entries fit, a fourth does not


def source(blobs: FileBlobStore, content: bytes) -> str:
    """A stored blob to derive from (a cache entry is only kept while its source exists)."""
    sha = hashlib.sha256(content).hexdigest()
    staged = blobs.staging_dir / f"s-{os.urandom(8).hex()}"
    staged.write_bytes(content)
    blobs.adopt(staged, sha)
    return sha


def cache_files(root: Path) -> dict[str, int]:
    """Every preview file under derived/, by source/key, with its size."""
    return {
        f"{p.parent.name}/{p.name}": p.stat().st_size
        for p in (root / "derived").glob("??/*/*")
        if p.name.startswith(PREFIX)
    }


def charged(files: dict[str, int]) -> int:
    return sum(blocks_of(size) for size in files.values()) * BLOCK_BYTES


def test_puts_evict_the_least_recently_used_and_hits_count_as_use(tmp_path: Path) -> None:
    blobs = FileBlobStore(tmp_path, cache_bytes=BUDGET, cache_prefixes=[PREFIX])
    sha = source(blobs, b"photo")
    for key in ("preview-a", "preview-b", "preview-c"):
        blobs.put_derived(sha, key, b"x" * ENTRY)
    assert blobs.get_derived(sha, "preview-a") is not None  # a is used again: b is the oldest
    blobs.put_derived(sha, "preview-d", b"x" * ENTRY)
    assert blobs.get_derived(sha, "preview-b") is None
    assert all(blobs.get_derived(sha, k) for k in ("preview-a", "preview-c", "preview-d"))
    files = cache_files(tmp_path)
    assert charged(files) <= BUDGET
    assert blobs.cache_usage() == (len(files), charged(files), BUDGET)


def test_voice_results_are_neither_counted_nor_evicted(tmp_path: Path) -> None:
    blobs = FileBlobStore(tmp_path, cache_bytes=BUDGET, cache_prefixes=[PREFIX])
    sha = source(blobs, b"recording")
    blobs.put_derived(sha, "voice-64-aac", b"v" * (2 * BUDGET))  # larger than the whole budget
    for n in range(10):
        blobs.put_derived(sha, f"preview-{n}", b"x" * ENTRY)
    assert blobs.get_derived(sha, "voice-64-aac") == b"v" * (2 * BUDGET)
    assert blobs.cache_usage()[1] <= BUDGET


def test_an_entry_larger_than_the_budget_is_not_written(tmp_path: Path) -> None:
    blobs = FileBlobStore(tmp_path, cache_bytes=BUDGET, cache_prefixes=[PREFIX])
    sha = source(blobs, b"photo")
    blobs.put_derived(sha, "preview-small", b"x" * ENTRY)
    blobs.put_derived(sha, "preview-huge", b"x" * (BUDGET + 1))
    assert blobs.get_derived(sha, "preview-huge") is None
    assert blobs.get_derived(sha, "preview-small") is not None  # and nothing was evicted for it
    off = FileBlobStore(tmp_path / "off", cache_bytes=0, cache_prefixes=[PREFIX])
    off_sha = source(off, b"photo")
    off.put_derived(off_sha, "preview-a", b"x")
    assert off.get_derived(off_sha, "preview-a") is None


def test_deleting_a_source_takes_its_entries_out_of_the_budget(tmp_path: Path) -> None:
    blobs = FileBlobStore(tmp_path, cache_bytes=BUDGET, cache_prefixes=[PREFIX])
    kept, gone = source(blobs, b"kept"), source(blobs, b"gone")
    blobs.put_derived(kept, "preview-1", b"x" * ENTRY)
    blobs.put_derived(gone, "preview-1", b"x" * ENTRY)
    blobs.put_derived(gone, "preview-2", b"x" * ENTRY)
    blobs.delete(gone)
    assert blobs.cache_usage()[:2] == (1, ENTRY)
    # Had the deleted entries stayed in the index, these puts would evict kept's entry.
    blobs.put_derived(kept, "preview-2", b"x" * ENTRY)
    blobs.put_derived(kept, "preview-3", b"x" * ENTRY)
    assert all(blobs.get_derived(kept, f"preview-{n}") for n in (1, 2, 3))


def test_an_entry_for_a_source_deleted_meanwhile_is_not_kept(tmp_path: Path) -> None:
    """A render that finishes after its source was deleted must not leave a preview behind."""
    blobs = FileBlobStore(tmp_path, cache_bytes=BUDGET, cache_prefixes=[PREFIX])
    sha = source(blobs, b"photo")
    blobs.delete(sha)
    blobs.put_derived(sha, "preview-late", b"x" * ENTRY)
    assert blobs.get_derived(sha, "preview-late") is None
    assert blobs.cache_usage()[:2] == (0, 0)
    assert not cache_files(tmp_path)


def test_a_restart_rebuilds_the_index_oldest_written_first(tmp_path: Path) -> None:
    blobs = FileBlobStore(tmp_path, cache_bytes=BUDGET, cache_prefixes=[PREFIX])
    sha = source(blobs, b"photo")
    for n, key in enumerate(("preview-old", "preview-mid", "preview-new")):
        blobs.put_derived(sha, key, b"x" * ENTRY)
        path = tmp_path / "derived" / sha[:2] / sha / key
        os.utime(path, (1_000_000 + n, 1_000_000 + n))
    crashed_put = tmp_path / "derived" / sha[:2] / sha / ".tmp-0123456789abcdef"
    crashed_put.write_bytes(b"torn")
    # A restart with room for two: the oldest written goes, and the crashed put's temp file.
    again = FileBlobStore(tmp_path, cache_bytes=7 * BLOCK_BYTES, cache_prefixes=[PREFIX])
    assert again.get_derived(sha, "preview-old") is None
    assert not crashed_put.exists()
    assert again.cache_usage() == (2, 2 * ENTRY, 7 * BLOCK_BYTES)
    # And the rebuilt order holds: mid is older than new, so it goes next.
    again.put_derived(sha, "preview-next", b"x" * ENTRY)
    assert again.get_derived(sha, "preview-mid") is None
    assert again.get_derived(sha, "preview-new") is not None


def test_concurrent_puts_hits_and_deletes_keep_the_index_and_the_files_in_step(
    tmp_path: Path,
) -> None:
    blobs = FileBlobStore(tmp_path, cache_bytes=BUDGET, cache_prefixes=[PREFIX])
    digests = [source(blobs, f"source-{n}".encode()) for n in range(4)]
    start = threading.Barrier(6)
    errors: list[BaseException] = []

    def putter(worker: int) -> None:
        start.wait()
        for n in range(200):
            sha = digests[(worker + n) % len(digests)]
            blobs.put_derived(sha, f"preview-{worker}-{n % 7}", b"x" * (BLOCK_BYTES * (1 + n % 3)))
            blobs.get_derived(sha, f"preview-{(worker + 1) % 4}-{n % 7}")

    def deleter() -> None:
        start.wait()
        for n in range(50):
            sha = digests[n % len(digests)]
            blobs.delete(sha)
            source(blobs, f"source-{n % len(digests)}".encode())  # stored again

    def run(target: Callable[..., None], *args: int) -> None:
        try:
            target(*args)
        except BaseException as exc:  # reported below, from the test's own thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(putter, w)) for w in range(4)]
    threads += [threading.Thread(target=run, args=(deleter,)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    files = cache_files(tmp_path)
    entries, charged_bytes, _ = blobs.cache_usage()
    # The files never pass the budget, and the index never charges less than they hold.
    assert charged(files) <= charged_bytes <= BUDGET
    assert not list((tmp_path / "derived").glob("??/*/.tmp-*"))
    # A restart counts exactly what is there.
    again = FileBlobStore(tmp_path, cache_bytes=BUDGET, cache_prefixes=[PREFIX])
    assert again.cache_usage()[:2] == (len(files), charged(files))
    assert entries >= len(files)
