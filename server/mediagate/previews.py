"""Getting a preview: the cache first, then one render per distinct request (single flight) in
a worker process, then the cache again.

The cache lives in the BlobStore as derived blobs of the source (keyed by the source's sha256
and the normalised spec), so identical files share previews and a preview goes when its source
goes. A cache entry is a serialised Preview message: what the caller gets, byte for byte.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from google.protobuf.message import DecodeError

from mediagate.preview.entry import render_in_worker
from mediagate.preview.spec import PREVIEWABLE_TYPES, PreviewSpec, RenderFailure
from mediagate.store.blobs import BlobStore
from mediagate.store.records import AttachmentRecord
from mediagate.v1 import preview_pb2
from mediagate.workers.pool import Overloaded, WorkerFailed, WorkerPool

log = logging.getLogger(__name__)

_FORMATS = {
    "webp": preview_pb2.PREVIEW_FORMAT_WEBP,
    "jpeg": preview_pb2.PREVIEW_FORMAT_JPEG,
    "png": preview_pb2.PREVIEW_FORMAT_PNG,
}


@dataclass
class PreviewError(Exception):
    """Why no preview: reason is an ErrorReason name (PREVIEW_UNSUPPORTED, PREVIEW_FAILED,
    PAGE_OUT_OF_RANGE, WORKER_LOST)."""

    reason: str
    message: str
    metadata: Mapping[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message


def cache_key(spec: PreviewSpec) -> str:
    return f"preview-{spec.cache_key}"


class Previews:
    def __init__(
        self, blobs: BlobStore, pool: WorkerPool, max_pixels: Mapping[str, int], default: int
    ) -> None:
        self._blobs = blobs
        self._pool = pool
        self._max_pixels = max_pixels  # per profile name: the cap the source was accepted under
        self._default_max_pixels = default
        self._in_flight: dict[tuple[str, str], asyncio.Task[preview_pb2.Preview]] = {}
        self._warming: set[asyncio.Task[None]] = set()

    async def get(self, record: AttachmentRecord, spec: PreviewSpec) -> preview_pb2.Preview:
        if record.detected_mime_type not in PREVIEWABLE_TYPES:
            raise PreviewError(
                "PREVIEW_UNSUPPORTED",
                f"There is no preview for {record.detected_mime_type} files.",
                {"detected_mime_type": record.detected_mime_type},
            )
        key = cache_key(spec)
        # A cached preview is a few KiB in the page cache: reading it inline is cheaper than a
        # thread hop, and this is the hot path of a chat full of thumbnails.
        cached = self._blobs.get_derived(record.sha256, key)
        if cached is not None:
            with contextlib.suppress(DecodeError):
                return preview_pb2.Preview.FromString(cached)
        flight = (record.sha256, key)
        task = self._in_flight.get(flight)
        if task is None:
            # A task of its own, so that a caller who goes away does not cancel the render the
            # other callers are waiting for.
            task = asyncio.create_task(self._render(record, spec, key))
            self._in_flight[flight] = task
            task.add_done_callback(lambda _: self._in_flight.pop(flight, None))
        return await asyncio.shield(task)

    def warm(self, record: AttachmentRecord, specs: Iterable[PreviewSpec]) -> None:
        """Renders previews in the background (a profile's eager previews). Best effort: when
        the workers are busy it gives way, and the first GetPreview renders instead."""
        if record.detected_mime_type not in PREVIEWABLE_TYPES:
            return
        for spec in specs:
            task = asyncio.create_task(self._warm_one(record, spec))
            self._warming.add(task)
            task.add_done_callback(self._warming.discard)

    async def close(self) -> None:
        for task in list(self._warming):
            task.cancel()

    async def _warm_one(self, record: AttachmentRecord, spec: PreviewSpec) -> None:
        try:
            await self.get(record, spec)
        except (PreviewError, Overloaded, WorkerFailed) as exc:
            log.info("eager preview of %s skipped: %s", record.id, exc)

    async def _render(
        self, record: AttachmentRecord, spec: PreviewSpec, key: str
    ) -> preview_pb2.Preview:
        started = time.perf_counter()
        max_pixels = self._max_pixels.get(record.profile, self._default_max_pixels)
        path = str(self._blobs.local_path(record.sha256))
        try:
            result = await self._pool.run(
                render_in_worker, path, record.detected_mime_type, spec, max_pixels
            )
        except WorkerFailed as failed:
            if failed.kind == "crashed":
                raise PreviewError(
                    "WORKER_LOST", "The render worker died; it has been replaced. Retry."
                ) from failed
            raise PreviewError(
                "PREVIEW_FAILED",
                f"The preview could not be rendered ({failed.detail}).",
                {"kind": failed.kind},
            ) from failed
        if isinstance(result, RenderFailure):
            raise PreviewError(result.reason, result.message, dict(result.metadata))
        preview = preview_pb2.Preview(
            content=result.data,
            mime_type=result.mime_type,
            width=result.width,
            height=result.height,
            size_bytes=len(result.data),
            spec=preview_pb2.PreviewSpec(
                max_width=spec.max_width,
                max_height=spec.max_height,
                format=_FORMATS[spec.format.value],
                quality=spec.quality,
                page=spec.page,
            ),
            source=preview_pb2.PreviewSource(
                width=result.source_width,
                height=result.source_height,
                page=result.page,
                page_count=result.page_count,
                frame=result.frame,
                frame_count=result.frame_count or _frames_at_intake(record),
            ),
        )
        await asyncio.to_thread(
            self._blobs.put_derived, record.sha256, key, preview.SerializeToString()
        )
        log.info(
            "preview rendered sha256=%s key=%s in %.0f ms",
            record.sha256[:16],
            key,
            (time.perf_counter() - started) * 1000,
        )
        return preview


def _frames_at_intake(record: AttachmentRecord) -> int:
    image = record.media.get("image")
    return int(image["frame_count"]) if image else 0
