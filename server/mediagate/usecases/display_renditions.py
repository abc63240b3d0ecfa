"""A photo's JPEG display rendition: when a HEIC, HEIF or AVIF is accepted, a JPEG of it
(upright, sRGB, metadata stripped, preview/display.py) is made in the render lane and kept
with the original in one commit, as an attachment of its own that the original lists as
RenditionRef(purpose="display"). Many displays (Genesys Cloud's message view among them)
cannot show HEIF; deliveries send the rendition instead (usecases/deliveries.py).

The rendition is the original's companion: same tenant, conversation, labels (plus
RENDITION_OF_LABEL naming the original), profile and expiry; deleting the original deletes it
(store/attachments.py). A file that does not decode is refused here (CORRUPT), since the probe
reads HEIF containers without decoding their pixels (inspect/image.py).
"""

from __future__ import annotations

import dataclasses
import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from pathlib import Path, PurePath

from mediagate.errors import Rejected
from mediagate.inspect.facts import ImageFacts
from mediagate.media.mime import HEIF_TYPES
from mediagate.pipeline.records import new_attachment_id, record_for
from mediagate.pipeline.upload import Examined
from mediagate.preview.entry import display_in_worker
from mediagate.preview.result import DisplayJpeg, RenderFailure
from mediagate.reasons import Finding, Reason
from mediagate.store.attachments import AttachmentStore
from mediagate.store.records import RENDITION_OF_LABEL, AttachmentRecord, RenditionRef
from mediagate.workers.failures import refusal
from mediagate.workers.pool import WorkerFailed, WorkerPool

log = logging.getLogger(__name__)

DISPLAY = "display"
DISPLAY_MIME_TYPE = "image/jpeg"

# Runs a commit so that its caller's going away cannot interrupt it (Uploads.committed).
Committed = Callable[
    [Callable[[], AttachmentRecord], AttachmentRecord], Awaitable[AttachmentRecord]
]


def wants_display(examined: Examined) -> bool:
    """Whether an accepted file gets a display rendition."""
    return examined.facts.mime_type in HEIF_TYPES


class DisplayRenditions:
    def __init__(self, store: AttachmentStore, render_lane: WorkerPool, staging_dir: Path) -> None:
        self._store = store
        self._lane = render_lane
        self._staging_dir = staging_dir

    async def keep(
        self, examined: Examined, tenant: str, committed: Committed
    ) -> tuple[AttachmentRecord, bool]:
        """Renders the rendition and commits it with the original; returns the stored original
        and whether it is new (False: the idempotency key was used meanwhile, and then neither
        is kept)."""
        spool = examined.spool
        assert spool is not None  # accepted: the whole file arrived
        original = record_for(examined, tenant)
        out = self._staging_dir / f"display-{secrets.token_hex(12)}"
        try:
            made = await self._render(spool.path, examined, out)
            rendition = display_record(original, made)
            original = with_display(original, rendition)

            def commit() -> AttachmentRecord:
                return self._store.commit_with_renditions(spool.path, original, [out], [rendition])

            stored = await committed(commit, original)
        finally:
            out.unlink(missing_ok=True)  # a no-op once the store adopted it
        return stored, stored.id == original.id

    async def _render(self, path: Path, examined: Examined, out: Path) -> DisplayJpeg:
        mime = examined.facts.mime_type
        started = time.perf_counter()
        try:
            result = await self._lane.run(
                display_in_worker, str(path), mime, examined.profile.max_pixels, str(out)
            )
        except WorkerFailed as failed:
            raise Rejected([refusal(failed, mime)]) from failed
        if isinstance(result, RenderFailure):
            kind = result.metadata.get("kind", "")
            if kind == "no_space":
                raise self._store.space.full()
            reason = Reason.TOO_MANY_PIXELS if kind == "too_many_pixels" else Reason.CORRUPT
            metadata = {"detected_mime_type": mime, **result.metadata}
            raise Rejected([Finding(reason, result.message, metadata)])
        log.info(
            "display rendition sha256=%s %dx%d %d bytes in %.0f ms",
            examined.sha256[:16],
            result.width,
            result.height,
            result.size_bytes,
            (time.perf_counter() - started) * 1000,
        )
        return result


def display_record(
    original: AttachmentRecord, made: DisplayJpeg, now: float | None = None
) -> AttachmentRecord:
    """The rendition's catalog row: the original's companion (see the module's account)."""
    now = time.time() if now is None else now
    stem = PurePath(original.file_name).stem or "photo"
    image = ImageFacts(
        width=made.width,
        height=made.height,
        frame_count=1,
        has_alpha=False,
        exif_orientation=0,  # upright, and no EXIF at all
        format="JPEG",
    )
    return AttachmentRecord(
        id=new_attachment_id(now),
        tenant=original.tenant,
        file_name=f"{stem}.jpg",
        declared_mime_type="",
        detected_mime_type=DISPLAY_MIME_TYPE,
        size_bytes=made.size_bytes,
        sha256=made.sha256,
        profile=original.profile,
        conversation_id=original.conversation_id,
        create_time=now,
        expire_time=original.expire_time,
        labels={**original.labels, RENDITION_OF_LABEL: original.name},
        media={"image": dataclasses.asdict(image)},
    )


def with_display(original: AttachmentRecord, rendition: AttachmentRecord) -> AttachmentRecord:
    """The original listing its display rendition (Attachment.renditions)."""
    ref = RenditionRef(rendition.id, DISPLAY, rendition.detected_mime_type, rendition.size_bytes)
    return dataclasses.replace(original, renditions=(*original.renditions, ref))
