"""Assembles the server from settings: store, worker pool, servicers, health, reflection."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from mediagate.api.reflection import enable_reflection
from mediagate.api.servicer import AttachmentServicer
from mediagate.config import Settings
from mediagate.pipeline import Intake
from mediagate.policy.profiles import load_profiles
from mediagate.previews import Previews
from mediagate.store.attachments import AttachmentStore
from mediagate.store.blobs import FileBlobStore
from mediagate.store.catalog import SqliteCatalog
from mediagate.transcripts.engines import engine_from_setting
from mediagate.v1 import attachment_service_pb2, attachment_service_pb2_grpc
from mediagate.voice.model import RenditionCodec, RenditionSettings
from mediagate.voice_messages import VoiceMessages, VoiceOptions
from mediagate.workers.pool import WorkerPool

log = logging.getLogger("mediagate")
# The "listening on HOST:PORT" line is what supervisors and tests wait for, so it is printed
# whatever MEDIAGATE_LOG_LEVEL says.
ready_log = logging.getLogger("mediagate.ready")
ready_log.setLevel(logging.INFO)

SERVICE_NAME = attachment_service_pb2.DESCRIPTOR.services_by_name["AttachmentService"].full_name
# Modules the worker processes import once, before any job, so a replacement starts fast.
WORKER_PRELOAD = [
    "mediagate.inspect.entry",
    "mediagate.inspect.probe",
    "mediagate.preview.entry",
    "mediagate.preview.render",
    "mediagate.voice.entry",
    "mediagate.voice.process",
]


class MediagateServer:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.profiles = load_profiles(settings.profiles_file)
        if settings.default_profile not in self.profiles:
            raise ValueError(f"default profile {settings.default_profile!r} is not defined")
        data = settings.data_dir
        self.store = AttachmentStore(FileBlobStore(data), SqliteCatalog(data / "catalog.sqlite3"))
        self.pool = WorkerPool(
            size=settings.workers,
            queue_limit=settings.worker_queue,
            timeout_seconds=settings.probe_timeout_seconds,
            memory_bytes=settings.probe_memory_bytes,
            preload=WORKER_PRELOAD,
        )
        self.previews = Previews(
            self.store.blobs,
            self.pool,
            {name: p.max_pixels for name, p in self.profiles.items()},
            self.profiles[settings.default_profile].max_pixels,
        )
        self.voice_options = VoiceOptions(
            profile=settings.voice_profile,
            bins=settings.waveform_bins,
            rendition=RenditionSettings(
                codec=RenditionCodec(settings.rendition_codec),
                bitrate_bps=settings.rendition_bitrate_bps,
                normalise_loudness=settings.rendition_normalise_loudness,
            ),
            silence_dbfs=settings.silence_dbfs,
            placeholder=settings.transcript_placeholder,
            engine=engine_from_setting(settings.stt_engine, settings.stt_timeout_seconds),
        )
        if settings.voice_profile not in self.profiles:
            raise ValueError(f"voice profile {settings.voice_profile!r} is not defined")
        self.health = health.aio.HealthServicer()
        self.port = 0
        self._server: grpc.aio.Server | None = None
        self._sweeper: asyncio.Task[None] | None = None

    async def start(self) -> int:
        self.store.recover()
        await self.pool.start()
        s = self.settings
        server = grpc.aio.server(
            options=[
                # Room for a chunk up to twice the limit plus the header, so a somewhat
                # oversized chunk gets CHUNK_TOO_LARGE with details instead of grpc's own error.
                ("grpc.max_receive_message_length", 2 * s.max_chunk_bytes + 256 * 1024),
                ("grpc.max_send_message_length", 4 * s.download_chunk_bytes + 256 * 1024),
                # BDP probing grows each stream's window to megabytes; with 50 uploads at once
                # that cost ~100 MiB of buffered chunks (tests/integration/test_load_and_memory).
                ("grpc.http2.bdp_probe", 0),
            ],
            maximum_concurrent_rpcs=s.max_concurrent_rpcs,
        )
        intake = Intake(
            profiles=self.profiles,
            default_profile=s.default_profile,
            staging_dir=self.store.blobs.staging_dir,
            max_chunk_bytes=s.max_chunk_bytes,
            pool=self.pool,
        )
        attachment_service_pb2_grpc.add_AttachmentServiceServicer_to_server(
            AttachmentServicer(
                intake,
                self.store,
                self.previews,
                VoiceMessages(intake, self.store, self.pool, self.voice_options),
                s.download_chunk_bytes,
                s.recommended_chunk_bytes,
            ),
            server,
        )
        health_pb2_grpc.add_HealthServicer_to_server(self.health, server)
        enable_reflection(
            [
                SERVICE_NAME,
                health_pb2.DESCRIPTOR.services_by_name["Health"].full_name,
                reflection.SERVICE_NAME,
            ],
            server,
        )
        self.port = server.add_insecure_port(f"{s.host}:{s.port}")
        if self.port == 0:
            raise OSError(f"cannot listen on {s.host}:{s.port}")
        await server.start()
        for name in ("", SERVICE_NAME):
            await self.health.set(name, health_pb2.HealthCheckResponse.SERVING)
        self._server = server
        self._sweeper = asyncio.create_task(self._sweep_forever())
        ready_log.info("mediagate listening on %s:%d %s", s.host, self.port, s.summary())
        return self.port

    async def stop(self) -> None:
        """Refuses new RPCs, lets in-flight ones drain within the grace, then closes the rest."""
        await self.health.enter_graceful_shutdown()
        if self._sweeper:
            self._sweeper.cancel()
        await self.previews.close()
        if self._server:
            await self._server.stop(self.settings.shutdown_grace_seconds)
        await self.pool.close()
        self.store.close()
        log.info("mediagate stopped")

    async def wait(self) -> None:
        if self._server:
            await self._server.wait_for_termination()

    async def _sweep_forever(self) -> None:
        while True:
            try:
                removed = await asyncio.to_thread(self.store.sweep_expired, time.time())
                if removed:
                    log.info("retention sweeper removed %d expired attachments", removed)
            except Exception:
                log.exception("retention sweep failed; will retry")
            await asyncio.sleep(self.settings.sweep_interval_seconds)


async def serve(settings: Settings) -> None:
    server = MediagateServer(settings)
    await server.start()
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stopping.set)
    waiter = asyncio.create_task(server.wait())
    stopper = asyncio.create_task(stopping.wait())
    await asyncio.wait({waiter, stopper}, return_when=asyncio.FIRST_COMPLETED)
    log.info("stopping: draining in-flight calls for up to %gs", settings.shutdown_grace_seconds)
    await server.stop()
    for task in (waiter, stopper):
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
