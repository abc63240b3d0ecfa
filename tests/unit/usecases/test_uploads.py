"""The upload flow as Upload, Validate and voice messages share it, with real parts below it: a
real probe lane, a real store in a temporary directory, no server in between."""

from __future__ import annotations

import asyncio
import hashlib
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from mediagate.app import WORKER_PRELOAD
from mediagate.errors import ErrorReason, MediagateError, Rejected
from mediagate.intake.parts import HeaderFields, Part
from mediagate.pipeline.accepted import AcceptedHooks
from mediagate.pipeline.upload import Examined, UploadPipeline
from mediagate.policy.profiles import BUILT_IN, Profile
from mediagate.reasons import Reason
from mediagate.store.attachments import AttachmentStore
from mediagate.store.blobs import FileBlobStore
from mediagate.store.catalog import SqliteCatalog
from mediagate.store.reads import StoreReads
from mediagate.store.records import AttachmentRecord
from mediagate.usecases.admission import AdmissionLimits, Caller, UploadAdmission
from mediagate.usecases.uploads import Kind, Uploads
from mediagate.workers.pool import WorkerPool
from tests.samples import audio, executables, images

TENANT = Caller("t1", "127.0.0.1", "ipv4:127.0.0.1:1000")


@dataclass
class Rig:
    uploads: Uploads
    store: AttachmentStore
    accepted: list[str]
    staging: Path


async def parts(data: bytes, name: str = "f.jpg", **fields: object) -> AsyncIterator[Part]:
    yield HeaderFields(
        file_name=name,
        declared_size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        **fields,  # type: ignore[arg-type]
    )
    for start in range(0, len(data), 64 * 1024):
        yield data[start : start + 64 * 1024]


def scenario(tmp_path: Path, test: Callable[[Rig], Awaitable[None]]) -> None:
    """Runs test against a fresh store and a one-worker probe lane, closing both after."""

    async def run() -> None:
        blobs = FileBlobStore(tmp_path)
        store = AttachmentStore(blobs, SqliteCatalog(tmp_path / "catalog.sqlite3"))
        reads = StoreReads(store.catalog, blobs)
        lane = WorkerPool("probe", 1, 4, 30.0, 1024 * 1024 * 1024, preload=WORKER_PRELOAD)
        await lane.start()
        accepted: list[str] = []

        def remember(record: AttachmentRecord, profile: Profile) -> None:
            accepted.append(record.id)

        pipeline = UploadPipeline(BUILT_IN, blobs.staging_dir, 1024 * 1024, lane)
        admission = UploadAdmission(AdmissionLimits())
        uploads = Uploads(
            pipeline, store, reads, AcceptedHooks([remember]), "web-messaging", admission
        )
        try:
            await test(Rig(uploads, store, accepted, blobs.staging_dir))
        finally:
            await lane.close()
            reads.close()
            store.close()

    asyncio.run(run())


def test_an_upload_is_stored_once_and_its_hooks_run_once(tmp_path: Path) -> None:
    async def test(rig: Rig) -> None:
        photo = images.jpeg(32, 24)
        first = await rig.uploads.upload(parts(photo, idempotency_key="k"), TENANT)
        again = await rig.uploads.upload(parts(photo, "again.jpg", idempotency_key="k"), TENANT)
        assert again == first and first.sha256 == hashlib.sha256(photo).hexdigest()
        with pytest.raises(MediagateError) as error:
            await rig.uploads.upload(parts(images.png(), idempotency_key="k"), TENANT)
        assert error.value.reason is ErrorReason.IDEMPOTENCY_KEY_REUSED
        assert rig.accepted == [first.id]
        assert rig.store.blobs.exists(first.sha256)
        assert not list(rig.staging.iterdir())

    scenario(tmp_path, test)


def test_a_refused_file_leaves_nothing(tmp_path: Path) -> None:
    async def test(rig: Rig) -> None:
        with pytest.raises(Rejected) as rejected:
            await rig.uploads.upload(parts(images.png_with_zip_appended(), "a.png"), TENANT)
        assert rejected.value.findings[0].reason is Reason.POLYGLOT
        assert rig.accepted == []
        assert not list(rig.staging.iterdir())
        assert not list(rig.store.blobs.all_digests())

    scenario(tmp_path, test)


def test_validate_judges_without_keeping(tmp_path: Path) -> None:
    async def test(rig: Rig) -> None:
        verdict = await rig.uploads.validate(parts(executables.elf_executable(), "cat.jpg"), TENANT)
        assert not verdict.accepted
        assert verdict.findings[0].reason is Reason.EXECUTABLE
        good = await rig.uploads.validate(parts(images.jpeg(8, 8)), TENANT)
        assert good.accepted and good.facts.mime_type == "image/jpeg"
        assert not list(rig.staging.iterdir())
        assert not list(rig.store.blobs.all_digests())

    scenario(tmp_path, test)


def test_a_key_first_used_for_an_attachment_is_refused_for_a_voice_message(
    tmp_path: Path,
) -> None:
    async def never(examined: Examined, tenant: str) -> tuple[AttachmentRecord, bool]:
        raise AssertionError("a reused key must be refused before anything is kept")

    async def test(rig: Rig) -> None:
        first = await rig.uploads.upload(parts(images.jpeg(8, 8), idempotency_key="k"), TENANT)
        with pytest.raises(MediagateError) as error:
            await rig.uploads.take_in(
                parts(audio.wav(1.0), "v.wav", idempotency_key="k"),
                TENANT,
                "voice",
                Kind.VOICE_MESSAGE,
                never,
            )
        assert error.value.reason is ErrorReason.IDEMPOTENCY_KEY_REUSED
        assert error.value.metadata == {"idempotency_key": "k", "name": first.name}
        # The same key in another tenant is another key.
        other = await rig.uploads.upload(
            parts(images.jpeg(8, 8), idempotency_key="k"), Caller("t2")
        )
        assert other.id != first.id

    scenario(tmp_path, test)


def test_an_unknown_profile_and_a_broken_stream_are_typed_errors(tmp_path: Path) -> None:
    async def headerless() -> AsyncIterator[Part]:
        yield b"bytes before any header"

    async def test(rig: Rig) -> None:
        with pytest.raises(MediagateError) as error:
            await rig.uploads.upload(parts(images.jpeg(8, 8), profile="nope"), TENANT)
        assert error.value.reason is ErrorReason.UNKNOWN_PROFILE
        with pytest.raises(MediagateError) as error:
            await rig.uploads.upload(headerless(), TENANT)
        assert error.value.reason is ErrorReason.MISSING_HEADER

    scenario(tmp_path, test)


@pytest.mark.parametrize("key", ["", "k"])
def test_a_commit_its_caller_left_during_is_undone_unless_keyed(tmp_path: Path, key: str) -> None:
    """The caller goes away while the commit runs in its thread: the commit finishes (it cannot
    be stopped halfway), then is undone if nobody could ever learn its name."""

    async def test(rig: Rig) -> None:
        committing, release = threading.Event(), threading.Event()
        real_commit = rig.store.commit

        committed: list[str] = []

        def slow_commit(staged: Path, record: AttachmentRecord) -> AttachmentRecord:
            committing.set()
            release.wait(30)
            stored = real_commit(staged, record)
            committed.append(stored.id)
            return stored

        rig.store.commit = slow_commit  # type: ignore[method-assign]
        upload = asyncio.create_task(
            rig.uploads.upload(parts(images.jpeg(16, 16), idempotency_key=key), TENANT)
        )
        await asyncio.to_thread(committing.wait, 30)
        upload.cancel()
        release.set()
        with pytest.raises(asyncio.CancelledError):
            await upload
        await rig.uploads.close()
        assert len(committed) == 1  # the commit went through, whatever became of it then
        rows = rig.store.catalog.list_page(TENANT.tenant, "", "", 10)
        assert [r.idempotency_key for r in rows] == ([key] if key else [])
        assert bool(list(rig.store.blobs.all_digests())) == bool(key)

    scenario(tmp_path, test)
