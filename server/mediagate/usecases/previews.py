"""Getting a preview: the cache first, then one render per distinct request (single flight) in
the render lane, then the cache again.

The cache lives in the BlobStore as derived blobs of the source (keyed by the source's sha256
and the normalised spec), so identical files share previews and a preview goes when its source
goes. An entry is the rendered image and what is known about it (preview/cache_entry.py). The
keys start with PREVIEW_KEY_PREFIX, which the composition root hands the store as a cache
prefix: the store keeps those entries under a byte budget, least recently used out first.

A preview is at most max_bytes (it travels inline in one response): the renderer guarantees it
(preview/encode.py), and a result over it anyway is PREVIEW_FAILED too_large, never cached. A
cached entry over it (written by an older mediagate, or under a larger setting) is a miss.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from dataclasses import replace

from mediagate.errors import ErrorReason, MediagateError
from mediagate.media.preview_spec import DEFAULT_MAX_PREVIEW_BYTES, PreviewSpec
from mediagate.policy.profiles import Profile
from mediagate.preview.cache_entry import pack, unpack
from mediagate.preview.entry import render_in_worker
from mediagate.preview.result import PREVIEWABLE_TYPES, RenderedPreview, RenderFailure
from mediagate.store.blobs import BlobStore
from mediagate.store.reads import StoreReads
from mediagate.store.records import AttachmentRecord
from mediagate.telemetry import metrics
from mediagate.telemetry.tracing import stage
from mediagate.usecases.attachments import Attachments
from mediagate.workers.failures import stored_file_error
from mediagate.workers.pool import WorkerFailed, WorkerPool

log = logging.getLogger(__name__)


PREVIEW_KEY_PREFIX = "preview-"


def cache_key(spec: PreviewSpec) -> str:
    return f"{PREVIEW_KEY_PREFIX}{spec.cache_key}"


class Previews:
    def __init__(
        self,
        attachments: Attachments,
        blobs: BlobStore,
        reads: StoreReads,
        render_lane: WorkerPool,
        max_pixels: Mapping[str, int],
        default_max_pixels: int,
        max_bytes: int = DEFAULT_MAX_PREVIEW_BYTES,
    ) -> None:
        self._attachments = attachments
        self._blobs = blobs
        self._reads = reads
        self._lane = render_lane
        self._max_pixels = max_pixels  # per profile name: the cap the source was accepted under
        self._default_max_pixels = default_max_pixels
        self._max_bytes = max_bytes
        self._in_flight: dict[tuple[str, str], asyncio.Task[RenderedPreview]] = {}
        self._warming: set[asyncio.Task[None]] = set()

    async def get(self, tenant: str, attachment_id: str, spec: PreviewSpec) -> RenderedPreview:
        record = await self._attachments.get(tenant, attachment_id)
        return await self.of(record, spec)

    async def of(self, record: AttachmentRecord, spec: PreviewSpec) -> RenderedPreview:
        if record.detected_mime_type not in PREVIEWABLE_TYPES:
            metrics.PREVIEWS.labels("unsupported").inc()
            raise MediagateError(
                ErrorReason.PREVIEW_UNSUPPORTED,
                f"There is no preview for {record.detected_mime_type} files.",
                {"detected_mime_type": record.detected_mime_type},
            )
        key = cache_key(spec)
        flight = (record.sha256, key)
        task = self._in_flight.get(flight)
        if task is None:
            # One task per distinct request, from the cache read to the cache write: a request
            # that arrives while it runs waits for it (however far it got), and one that comes
            # after finds the cache written. A task of its own, so that a caller who goes away
            # does not cancel what the others wait for.
            task = asyncio.create_task(self._cached_or_rendered(record, spec, key))
            self._in_flight[flight] = task
            task.add_done_callback(lambda _: self._in_flight.pop(flight, None))
        return await asyncio.shield(task)

    def warm(self, record: AttachmentRecord, profile: Profile) -> None:
        """An on-accepted hook: renders the profile's eager previews in the background. Best
        effort: when the render lane is busy it gives way, and the first GetPreview renders."""
        if record.detected_mime_type not in PREVIEWABLE_TYPES:
            return
        for spec in profile.eager_previews:
            task = asyncio.create_task(self._warm_one(record, spec))
            self._warming.add(task)
            task.add_done_callback(self._warming.discard)

    async def close(self) -> None:
        for task in list(self._warming):
            task.cancel()

    async def _warm_one(self, record: AttachmentRecord, spec: PreviewSpec) -> None:
        try:
            await self.of(record, spec)
        except MediagateError as exc:
            log.info("eager preview of %s skipped: %s", record.id, exc)

    async def _cached_or_rendered(
        self, record: AttachmentRecord, spec: PreviewSpec, key: str
    ) -> RenderedPreview:
        cached = await self._reads.derived(record.sha256, key)
        if cached is not None:
            preview = unpack(cached)
            if preview is not None and len(preview.data) <= self._max_bytes:
                metrics.PREVIEWS.labels("cached").inc()
                return preview
        try:
            with stage("preview", key=key):
                rendered = await self._render(record, spec, key)
        except MediagateError as exc:
            metrics.PREVIEWS.labels(str(exc.reason.value).lower()).inc()
            raise
        metrics.PREVIEWS.labels("rendered").inc()
        return rendered

    async def _render(
        self, record: AttachmentRecord, spec: PreviewSpec, key: str
    ) -> RenderedPreview:
        started = time.perf_counter()
        max_pixels = self._max_pixels.get(record.profile, self._default_max_pixels)
        # Off the loop: a store without local files fetches the blob first (store/s3_blobs.py).
        path = str(await asyncio.to_thread(self._blobs.local_path, record.sha256))
        try:
            result = await self._lane.run(
                render_in_worker,
                path,
                record.detected_mime_type,
                spec,
                max_pixels,
                self._max_bytes,
            )
        except WorkerFailed as failed:
            raise stored_file_error(failed) from failed
        if isinstance(result, RenderFailure):
            raise MediagateError(ErrorReason(result.reason), result.message, result.metadata)
        if len(result.data) > self._max_bytes:
            # The renderer's promise, checked where it matters: an answer that cannot be sent
            # is neither sent nor cached (it would fail the same way for every later caller).
            log.error("preview over its budget sha256=%s key=%s", record.sha256[:16], key)
            raise MediagateError(
                ErrorReason.PREVIEW_FAILED,
                f"The preview does not fit in {self._max_bytes} bytes.",
                {"kind": "too_large", "limit": str(self._max_bytes)},
            )
        if not result.frame_count:
            # Renderers leave it to intake, which has already counted an animation's frames.
            result = _with_frame_count(result, record)
        try:
            await asyncio.to_thread(self._blobs.put_derived, record.sha256, key, pack(result))
        except OSError as exc:  # a cache: losing an entry costs one more render, no more
            log.warning("could not cache a preview of %s: %s", record.sha256[:16], exc)
        log.info(
            "preview rendered sha256=%s key=%s in %.0f ms",
            record.sha256[:16],
            key,
            (time.perf_counter() - started) * 1000,
        )
        return result


def _with_frame_count(result: RenderedPreview, record: AttachmentRecord) -> RenderedPreview:
    image = record.media.get("image")
    return replace(result, frame_count=int(image["frame_count"]) if image else 0)
