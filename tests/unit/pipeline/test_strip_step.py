"""The strip step on its own, with a real probe lane: it swaps the spool only when bytes were
removed, refuses a file its stripper cannot read, and leaves no staged file behind."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path

import pytest

from mediagate.app import WORKER_PRELOAD
from mediagate.errors import Rejected
from mediagate.inspect.facts import Facts, ImageFacts
from mediagate.intake.header import Header
from mediagate.intake.spool import Spool
from mediagate.media.declared import Declared
from mediagate.pipeline.strip_step import StripMetadata
from mediagate.pipeline.upload import Examined
from mediagate.policy.profiles import WEB_MESSAGING
from mediagate.reasons import Reason
from mediagate.store.space import DiskSpace
from mediagate.workers.pool import WorkerPool
from tests.samples import images


def examined(staging: Path, data: bytes, mime: str, trailer_offset: int = 0) -> Examined:
    spool = Spool(staging)
    spool.path.write_bytes(data)
    spool.make_durable()
    image = ImageFacts(64, 48, 1, False, 0, "JPEG", trailer_offset, "motion-photo")
    return Examined(
        header=Header(Declared(file_name="f"), "web-messaging", "", {}, ""),
        profile=WEB_MESSAGING,
        facts=Facts(mime_type=mime, image=image),
        findings=[],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        spool=spool,
    )


def staged(staging: Path) -> list[Path]:
    return list(staging.iterdir())


def scenario(tmp_path: Path, test: Callable[[StripMetadata, Path], Awaitable[None]]) -> None:
    async def run() -> None:
        lane = WorkerPool("probe", 1, 4, 30.0, 1024**3, preload=WORKER_PRELOAD)
        await lane.start()
        try:
            await test(StripMetadata(lane, tmp_path, DiskSpace(tmp_path)), tmp_path)
        finally:
            await lane.close()

    asyncio.run(run())


def test_stripped_bytes_become_the_spool(tmp_path: Path) -> None:
    sent, offset = images.jpeg_with_motion_photo()

    async def test(step: StripMetadata, staging: Path) -> None:
        file = examined(staging, sent, "image/jpeg", offset)
        first = file.spool
        await step(file)
        assert file.spool is not None and file.spool is not first
        stored = file.spool.path.read_bytes()
        assert staged(staging) == [file.spool.path]  # the sent bytes are gone
        assert file.original_sha256 == hashlib.sha256(sent).hexdigest()
        assert (file.sha256, file.size) == (hashlib.sha256(stored).hexdigest(), len(stored))
        assert {i.kind for i in file.metadata} >= {"exif-gps", "motion-photo"}
        file.discard()

    scenario(tmp_path, test)


def test_a_clean_file_keeps_its_spool(tmp_path: Path) -> None:
    async def test(step: StripMetadata, staging: Path) -> None:
        file = examined(staging, images.jpeg(), "image/jpeg")
        first, sha256 = file.spool, file.sha256
        assert first is not None
        await step(file)
        assert file.spool is first and file.sha256 == sha256 and file.original_sha256 == ""
        assert file.metadata == [] and staged(staging) == [first.path]
        file.discard()

    scenario(tmp_path, test)


def test_a_profile_without_stripping_is_left_alone(tmp_path: Path) -> None:
    async def test(step: StripMetadata, staging: Path) -> None:
        file = examined(staging, images.jpeg_phone(), "image/jpeg")
        file.profile = replace(WEB_MESSAGING, strip_metadata=False)
        first = file.spool
        await step(file)
        assert file.spool is first and file.metadata == [] and file.original_sha256 == ""
        file.discard()

    scenario(tmp_path, test)


def test_a_file_the_stripper_cannot_read_is_refused(tmp_path: Path) -> None:
    async def test(step: StripMetadata, staging: Path) -> None:
        file = examined(staging, images.jpeg_phone()[:600], "image/jpeg")
        with pytest.raises(Rejected) as refused:
            await step(file)
        assert refused.value.findings[0].reason is Reason.CORRUPT
        assert refused.value.findings[0].metadata["kind"] == "probe_error"
        assert str(staging) not in refused.value.findings[0].message
        file.discard()
        assert staged(staging) == []

    scenario(tmp_path, test)
