"""The strip finishing step: for profiles with strip_metadata, the stored bytes lose their
metadata (strip/), losslessly, and the Examined says what happened.

It runs in the probe lane: stripping is short and may meet hostile bytes, so it runs where a
stuck or ballooning job is killed, and where uploads already wait (the render lane's previews
must never hold an upload up). A file a stripper cannot read, or whose job fails, is refused
as CORRUPT, never kept with its metadata.

When bytes were removed: the stripped copy becomes the spool (durable, in the staging folder),
the spool as sent is discarded, original_sha256 is the sha256 of the bytes as sent, and
sha256 and size are the stored bytes'. When nothing was removed the spool stays and
original_sha256 stays "". A JPEG, PNG or WebP whose headers show nothing to remove
(strip/clean.py) skips the worker altogether: the clean file costs a header walk.
Either way `metadata` is the report (a PDF's is reported, never
removed). The header's declared sha256 was checked against the bytes as sent by intake.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from mediagate.errors import Rejected
from mediagate.intake.spool import Spool
from mediagate.pipeline.upload import Examined
from mediagate.store.space import DiskSpace, is_no_space
from mediagate.strip.clean import known_clean
from mediagate.strip.entry import REPORTED_TYPES, STRIPPED_TYPES, strip_in_worker
from mediagate.workers.failures import refusal
from mediagate.workers.pool import WorkerFailed, WorkerPool


class StripMetadata:
    """A FinishStep (pipeline/finish.py) that changes what is kept."""

    judges_only = False

    def __init__(self, lane: WorkerPool, staging_dir: Path, space: DiskSpace) -> None:
        self._lane = lane
        self._staging_dir = staging_dir
        self._space = space

    async def __call__(self, examined: Examined) -> None:
        mime = examined.facts.mime_type
        sent = examined.spool
        if not examined.profile.strip_metadata or sent is None:
            return
        if mime not in STRIPPED_TYPES and mime not in REPORTED_TYPES:
            return
        image = examined.facts.image
        trailer = image.trailer_offset if image else 0
        if not trailer and await asyncio.to_thread(known_clean, str(sent.path), mime):
            return  # nothing to remove (the common case): no worker round trip
        out = Spool(self._staging_dir)
        try:
            stripped = await self._lane.run(
                strip_in_worker,
                str(sent.path),
                str(out.path),
                mime,
                image.trailer_offset if image else 0,
                image.trailer_kind if image else "",
            )
            if stripped.no_space:
                raise self._space.full()
            if stripped.changed:
                await asyncio.to_thread(out.make_durable)
        except WorkerFailed as failed:
            out.discard()
            raise Rejected([refusal(failed, mime)]) from None
        except BaseException as exc:
            out.discard()
            if is_no_space(exc):
                raise self._space.full() from exc
            raise
        examined.metadata = list(stripped.items)
        if not stripped.changed:
            out.discard()
            return
        examined.original_sha256 = examined.sha256
        examined.sha256, examined.size = stripped.sha256, stripped.size
        examined.spool = out
        sent.discard()
