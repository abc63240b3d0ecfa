"""Quotas, the storage cap and a full disk in the upload flow, with real parts below it (a real
probe lane, a real store) and tenants of their own: the API has one tenant so far, the use case
already takes any."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from mediagate.app import WORKER_PRELOAD
from mediagate.errors import ErrorReason, MediagateError
from mediagate.intake.parts import HeaderFields, Part
from mediagate.pipeline.accepted import AcceptedHooks
from mediagate.pipeline.upload import UploadPipeline
from mediagate.policy.profiles import BUILT_IN
from mediagate.store.attachments import AttachmentStore
from mediagate.store.blobs import FileBlobStore
from mediagate.store.catalog import SqliteCatalog
from mediagate.store.reads import StoreReads
from mediagate.store.space import DiskSpace
from mediagate.store.usage import Limits
from mediagate.usecases.admission import AdmissionLimits, Caller, UploadAdmission
from mediagate.usecases.uploads import Uploads
from mediagate.workers.pool import WorkerPool
from tests.support.small_disk import MIB, fill, small_disk

CHUNK = 64 * 1024


def text_of(size: int, seed: int) -> bytes:
    """Plain text of exactly `size` bytes, different for each seed."""
    line = f"line {seed:06d} of a plain text attachment\n".encode()
    return (line * (size // len(line) + 1))[:size]


async def parts(
    data: bytes,
    name: str = "f.txt",
    declared: int | None = None,
    pause: asyncio.Barrier | None = None,
) -> AsyncIterator[Part]:
    yield HeaderFields(
        file_name=name,
        declared_size_bytes=len(data) if declared is None else declared,
        sha256=hashlib.sha256(data).hexdigest(),
    )
    # Asked for the first chunk: the use case has read the room this upload has.
    if pause is not None:
        await pause.wait()
    for start in range(0, len(data), CHUNK):
        yield data[start : start + CHUNK]


Test = Callable[[Uploads, AttachmentStore], Awaitable[None]]


def scenario(root: Path, limits: Limits, test: Test, min_free: int = 0) -> None:
    async def run() -> None:
        blobs = FileBlobStore(root)
        store = AttachmentStore(
            blobs, SqliteCatalog(root / "catalog.sqlite3"), limits, DiskSpace(root, min_free)
        )
        reads = StoreReads(store.catalog, blobs)
        lane = WorkerPool("probe", 2, 16, 30.0, 1024 * MIB, preload=WORKER_PRELOAD)
        await lane.start()
        pipeline = UploadPipeline(BUILT_IN, blobs.staging_dir, MIB, lane)
        admission = UploadAdmission(AdmissionLimits())
        uploads = Uploads(pipeline, store, reads, AcceptedHooks(), "web-messaging", admission)
        try:
            await test(uploads, store)
        finally:
            await lane.close()
            reads.close()
            store.close()

    asyncio.run(run())


def test_one_tenants_full_quota_does_not_refuse_another(tmp_path: Path) -> None:
    async def test(uploads: Uploads, store: AttachmentStore) -> None:
        await uploads.upload(parts(text_of(6000, 1)), Caller("t1"))
        with pytest.raises(MediagateError) as error:
            await uploads.upload(parts(text_of(5000, 2)), Caller("t1"))
        assert error.value.reason is ErrorReason.QUOTA_EXCEEDED
        assert error.value.metadata == {"limit": "10000", "actual": "11000", "unit": "bytes"}
        # t2 has a quota of its own, untouched by t1's.
        await uploads.upload(parts(text_of(5000, 2)), Caller("t2"))
        await uploads.upload(parts(text_of(5000, 3)), Caller("t2"))
        assert store.catalog.usage("t1").tenant_bytes == 6000
        assert store.catalog.usage("t2").tenant_bytes == 10000
        # The same bytes t1 stores count for t2 too: a quota counts what a tenant sees.
        with pytest.raises(MediagateError) as error:
            await uploads.upload(parts(text_of(6000, 1)), Caller("t2"))
        assert error.value.reason is ErrorReason.QUOTA_EXCEEDED

    scenario(tmp_path, Limits(quota_bytes=10_000), test)


def test_the_attachment_count_quota_is_per_tenant(tmp_path: Path) -> None:
    async def test(uploads: Uploads, store: AttachmentStore) -> None:
        for seed in range(2):
            await uploads.upload(parts(text_of(100, seed)), Caller("t1"))
        with pytest.raises(MediagateError) as error:
            await uploads.upload(parts(text_of(100, 9)), Caller("t1"))
        assert error.value.reason is ErrorReason.QUOTA_EXCEEDED
        assert error.value.metadata == {"limit": "2", "actual": "3", "unit": "attachments"}
        await uploads.upload(parts(text_of(100, 9)), Caller("t2"))
        # Deleting frees the quota.
        first = (await asyncio.to_thread(store.catalog.list_page, "t1", "", "", 1))[0]
        await asyncio.to_thread(store.delete, "t1", first.id)
        await uploads.upload(parts(text_of(100, 9)), Caller("t1"))

    scenario(tmp_path, Limits(quota_attachments=2), test)


def test_uploads_racing_for_the_last_bytes_keep_only_those_that_fit(tmp_path: Path) -> None:
    """Eight uploads of 10,000 bytes into a quota with room for three. Each reads the room
    before any of them commits (the barrier holds every stream until all eight have), so every
    early check passes: the commit's check alone must keep the quota."""
    size, racers = 10_000, 8
    quota = 3 * size + size // 2

    async def test(uploads: Uploads, store: AttachmentStore) -> None:
        everyone_started = asyncio.Barrier(racers)
        results = await asyncio.gather(
            *(
                uploads.upload(parts(text_of(size, seed), pause=everyone_started), Caller("t1"))
                for seed in range(racers)
            ),
            return_exceptions=True,
        )
        kept = [r for r in results if not isinstance(r, BaseException)]
        refused = [r for r in results if isinstance(r, BaseException)]
        assert len(kept) == 3, results
        assert all(
            isinstance(r, MediagateError) and r.reason is ErrorReason.QUOTA_EXCEEDED
            for r in refused
        ), refused
        usage = store.catalog.usage("t1")
        assert usage.tenant_bytes == 3 * size <= quota
        assert usage.tenant_attachments == 3
        assert sorted(store.blobs.all_digests()) == sorted(r.sha256 for r in kept)
        assert not list(store.blobs.staging_dir.iterdir())

    scenario(tmp_path, Limits(quota_bytes=quota), test)


def test_the_storage_cap_is_the_servers_whatever_the_tenant(tmp_path: Path) -> None:
    async def test(uploads: Uploads, store: AttachmentStore) -> None:
        await uploads.upload(parts(text_of(6000, 1)), Caller("t1"))
        # Identical bytes are stored once: another tenant's copy adds nothing to the cap.
        await uploads.upload(parts(text_of(6000, 1)), Caller("t2"))
        with pytest.raises(MediagateError) as error:
            await uploads.upload(parts(text_of(5000, 2)), Caller("t2"))
        assert error.value.reason is ErrorReason.STORAGE_FULL
        assert error.value.metadata["scope"] == "cap"
        assert error.value.retry_after_seconds

    scenario(tmp_path, Limits(storage_cap_bytes=10_000), test)


def test_a_disk_that_fills_while_bytes_arrive_is_storage_full(tmp_path: Path) -> None:
    """The room said yes at the header; then something else filled the disk. The spool's next
    write finds no space: STORAGE_FULL, and the spool is gone."""
    data = text_of(MIB, 1)

    async def filling_midway() -> AsyncIterator[Part]:
        chunks = parts(data)
        yield await anext(chunks)  # the header
        yield await anext(chunks)  # the first chunk
        fill(disk)
        async for chunk in chunks:
            yield chunk

    async def test(uploads: Uploads, store: AttachmentStore) -> None:
        with pytest.raises(MediagateError) as error:
            await uploads.upload(filling_midway(), Caller("t1"))
        assert error.value.reason is ErrorReason.STORAGE_FULL
        assert error.value.metadata["scope"] == "disk"
        assert not list(store.blobs.staging_dir.iterdir())
        assert not list(store.blobs.all_digests())

    with small_disk(tmp_path / "disk", 8 * MIB) as disk:
        scenario(disk, Limits(), test)


def test_an_upload_below_the_free_space_reserve_is_refused_before_any_byte(
    tmp_path: Path,
) -> None:
    pulled: list[int] = []

    async def counted(data: bytes, declared: int) -> AsyncIterator[Part]:
        async for part in parts(data, declared=declared):
            pulled.append(1)
            yield part

    async def test(uploads: Uploads, store: AttachmentStore) -> None:
        # 2 MiB declared on a 4 MiB disk that keeps 3 MiB free: refused at the header.
        with pytest.raises(MediagateError) as error:
            await uploads.upload(counted(text_of(2 * MIB, 1), 2 * MIB), Caller("t1"))
        assert error.value.reason is ErrorReason.STORAGE_FULL
        assert error.value.metadata["limit"] == str(3 * MIB)
        assert len(pulled) == 1  # the header, no chunk
        # Declaring nothing does not get past it: stopped once the bytes pass what is left.
        pulled.clear()
        with pytest.raises(MediagateError) as error:
            await uploads.upload(counted(text_of(2 * MIB, 1), 0), Caller("t1"))
        assert error.value.reason is ErrorReason.STORAGE_FULL
        assert len(pulled) < 2 * MIB // CHUNK
        assert not list(store.blobs.staging_dir.iterdir())
        # A small file still fits.
        await uploads.upload(parts(text_of(1000, 2)), Caller("t1"))

    with small_disk(tmp_path / "disk", 4 * MIB) as disk:
        scenario(disk, Limits(), test, min_free=3 * MIB)
