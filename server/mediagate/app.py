"""Assembles the server from settings: store, worker lanes, use cases, the gRPC edge, health,
reflection, and the HTTP media endpoint."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import signal
import ssl
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection
from prometheus_client import REGISTRY

from mediagate.api.admin_servicer import AdminServicer
from mediagate.api.authn import AuthenticateCalls
from mediagate.api.decoding import ParseRequestsHere
from mediagate.api.observe import ObserveCalls
from mediagate.api.reflection import enable_reflection
from mediagate.api.servicer import AttachmentServicer
from mediagate.api.tls_credentials import server_credentials
from mediagate.auth.authenticate import Authenticator, CallersFile
from mediagate.config import Settings
from mediagate.genesys.client import GenesysClient, GenesysConfig
from mediagate.genesys.events import ConversationEvents, EventOptions
from mediagate.genesys.regions import api_host
from mediagate.genesys.retry import RetryPolicy
from mediagate.http.media import media_app
from mediagate.http.metrics import ServerGauges, Sources, metrics_app
from mediagate.http.server import HttpServer
from mediagate.http.tls import ContextReloader, server_context
from mediagate.http.webhooks import add_webhook
from mediagate.pipeline.accepted import AcceptedHooks
from mediagate.pipeline.finish import FinishStep
from mediagate.pipeline.scan_step import ScanStep
from mediagate.pipeline.strip_step import StripMetadata
from mediagate.pipeline.upload import UploadPipeline
from mediagate.policy.profiles import load_profiles
from mediagate.scanning.clamd import Clamd, parse_address
from mediagate.signing.keys import load_signer
from mediagate.sources.announced import is_message_topic
from mediagate.sources.url_fetch import UrlFetcher
from mediagate.sources.url_policy import DEFAULT_GENESYS_MEDIA_HOSTS, FetchPolicy
from mediagate.store.attachments import AttachmentStore
from mediagate.store.blobs import BlobStore, FileBlobStore
from mediagate.store.catalog import SqliteCatalog
from mediagate.store.deliveries import DeliveryLedger, DeliveryMethod, SqliteDeliveries
from mediagate.store.inbox import InboxLedger, SqliteInbox
from mediagate.store.reads import StoreReads
from mediagate.store.s3_blobs import S3BlobStore
from mediagate.store.s3_client import S3Location, make_client
from mediagate.store.space import DiskSpace
from mediagate.store.usage import Limits
from mediagate.telemetry.exporting import start_tracing
from mediagate.tls.files import TlsFiles
from mediagate.transcripts.engines import engine_from_setting
from mediagate.usecases.admin import Admin
from mediagate.usecases.admission import AdmissionLimits, UploadAdmission
from mediagate.usecases.attachments import Attachments
from mediagate.usecases.deliveries import Deliveries, DeliveryOptions
from mediagate.usecases.display_renditions import DisplayRenditions
from mediagate.usecases.imports import Imports
from mediagate.usecases.inbox import Inbox, InboxOptions
from mediagate.usecases.media_links import LinkLifetimes, MediaLinks, Presigner
from mediagate.usecases.previews import PREVIEW_KEY_PREFIX, Previews
from mediagate.usecases.uploads import Uploads
from mediagate.usecases.voice_messages import VoiceMessages, VoiceOptions
from mediagate.v1 import (
    admin_service_pb2,
    admin_service_pb2_grpc,
    attachment_service_pb2,
    attachment_service_pb2_grpc,
)
from mediagate.voice.model import RenditionCodec, RenditionSettings
from mediagate.workers.lanes import Lane, LaneLimits, Lanes

if TYPE_CHECKING:
    from mediagate.store.pg_catalog import PgCatalog

log = logging.getLogger("mediagate")
# The "listening on HOST:PORT" line is what supervisors and tests wait for, so it is printed
# whatever MEDIAGATE_LOG_LEVEL says.
ready_log = logging.getLogger("mediagate.ready")
ready_log.setLevel(logging.INFO)

SERVICE_NAME = attachment_service_pb2.DESCRIPTOR.services_by_name["AttachmentService"].full_name
ADMIN_SERVICE_NAME = admin_service_pb2.DESCRIPTOR.services_by_name["AdminService"].full_name
# Modules the worker processes import once, before any job, so a replacement starts fast.
WORKER_PRELOAD = [
    "mediagate.inspect.entry",
    "mediagate.inspect.probe",
    "mediagate.preview.entry",
    "mediagate.preview.render",
    "mediagate.strip.entry",
    "mediagate.strip.jpeg",
    "mediagate.strip.pdf",
    "mediagate.strip.png",
    "mediagate.strip.webp",
    "mediagate.preview.display",
    "mediagate.voice.entry",
    "mediagate.voice.process",
]


def _catalog(s: Settings) -> SqliteCatalog | PgCatalog:
    """The embedded SQLite catalog, or PostgreSQL's when replicas share one (config.py)."""
    if s.catalog_backend == "sqlite":
        return SqliteCatalog(s.data_dir / "catalog.sqlite3")
    # Imported here: the embedded default never loads psycopg.
    from mediagate.store.pg_catalog import PgCatalog

    dsn = s.postgres_dsn.get_secret_value()
    if not dsn:
        raise ValueError("MEDIAGATE_CATALOG_BACKEND=postgres needs MEDIAGATE_POSTGRES_DSN")
    return PgCatalog(dsn, s.postgres_pool_size, s.postgres_connect_timeout_seconds)


def _ledgers(s: Settings) -> tuple[DeliveryLedger, InboxLedger, Callable[[], None]]:
    """Deliveries and the inbox: SQLite files of their own in data_dir, or, with the postgres
    backend, tables in the catalog's database (migrated with it), worked under leases so that
    replicas share them. The third item closes what they share."""
    if s.catalog_backend == "sqlite":
        data = s.data_dir
        return (
            SqliteDeliveries(data / "deliveries.sqlite3"),
            SqliteInbox(data / "inbox.sqlite3"),
            _noop,
        )
    from mediagate.store.pg_deliveries import PgDeliveries
    from mediagate.store.pg_inbox import PgInbox
    from mediagate.store.pg_leases import Lease, open_pool

    lease = Lease(s.lease_seconds)
    pool = open_pool(
        s.postgres_dsn.get_secret_value(),
        s.postgres_pool_size,
        s.postgres_connect_timeout_seconds,
        "mediagate-ledgers",
    )
    log.info("replica %s: deliveries and imports under %gs leases", lease.owner, lease.seconds)
    return PgDeliveries(pool, lease), PgInbox(pool, lease), pool.close


def _noop() -> None:
    pass


class MediagateServer:
    """The composition root: builds every part from settings and wires use cases to the edge."""

    def __init__(self, settings: Settings) -> None:
        self.settings = s = settings
        self.authenticator = _authenticator(s)
        self.tls_files = _tls_files(s)
        self.profiles = load_profiles(s.profiles_file)
        for name in (s.default_profile, s.voice_profile):
            if name not in self.profiles:
                raise ValueError(f"profile {name!r} is not defined")
        data = s.data_dir
        # Before anything makes a span: with no endpoint, spans stay no-ops (telemetry/).
        self.tracing = (
            start_tracing(s.otlp_traces_endpoint, s.otlp_service_name, s.trace_sample_ratio)
            if s.otlp_traces_endpoint
            else None
        )
        catalog = _catalog(s)
        delivery_ledger, inbox_ledger, self._close_ledgers = _ledgers(s)
        blobs = _blob_store(s)
        self.store = AttachmentStore(
            blobs,
            catalog,
            Limits(s.quota_bytes, s.quota_attachments, s.storage_cap_bytes),
            DiskSpace(data, s.min_free_bytes, s.delete_reserve_bytes),
        )
        self.reads = StoreReads(self.store.catalog, self.store.blobs, s.read_threads)
        self.lanes = Lanes(
            {
                Lane.PROBE: LaneLimits(
                    s.probe_workers, s.probe_queue, s.probe_timeout_seconds, s.probe_memory_bytes
                ),
                Lane.RENDER: LaneLimits(
                    s.render_workers,
                    s.render_queue,
                    s.render_timeout_seconds,
                    s.render_memory_bytes,
                ),
                Lane.VOICE: LaneLimits(
                    s.voice_workers, s.voice_queue, s.voice_timeout_seconds, s.voice_memory_bytes
                ),
            },
            preload=WORKER_PRELOAD,
        )
        self.stt_threads = ThreadPoolExecutor(
            max_workers=max(1, s.stt_concurrency), thread_name_prefix="speech-to-text"
        )
        self.attachments = Attachments(self.store, self.reads, s.download_chunk_bytes)
        self.previews = Previews(
            self.attachments,
            self.store.blobs,
            self.reads,
            self.lanes.render,
            {name: p.max_pixels for name, p in self.profiles.items()},
            self.profiles[s.default_profile].max_pixels,
            s.preview_max_bytes,
        )
        accepted = AcceptedHooks([self.previews.warm])
        pipeline = UploadPipeline(
            profiles=self.profiles,
            staging_dir=self.store.blobs.staging_dir,
            max_chunk_bytes=s.max_chunk_bytes,
            probe_lane=self.lanes.probe,
            min_chunk_bytes=s.min_chunk_bytes,
        )
        self.admission = UploadAdmission(
            AdmissionLimits(
                server_wide=s.max_uploads,
                per_caller=s.max_uploads_per_caller,
                per_connection=s.max_uploads_per_connection,
                max_waiting=s.max_upload_waiters,
                wait_seconds=s.upload_slot_wait_seconds,
            )
        )
        # What runs on an accepted file before it is kept, in order (pipeline/finish.py): a
        # malware scan of the bytes as sent goes first, before anything changes them; the
        # strip_metadata profiles' stripping comes last.
        self.scanner = Clamd(parse_address(s.clamd), s.clamd_timeout_seconds) if s.clamd else None
        finish_steps: list[FinishStep] = []
        if self.scanner is not None:
            finish_steps.append(ScanStep(self.scanner, s.clamd_fail_open))
        finish_steps.append(
            StripMetadata(self.lanes.probe, self.store.blobs.staging_dir, self.store.space)
        )
        self.uploads = Uploads(
            pipeline,
            self.store,
            self.reads,
            accepted,
            s.default_profile,
            self.admission,
            finish_steps=finish_steps,
            displays=DisplayRenditions(self.store, self.lanes.render, self.store.blobs.staging_dir),
        )
        self.voice = VoiceMessages(
            self.uploads,
            self.attachments,
            self.store,
            self.reads,
            self.lanes.voice,
            self.stt_threads,
            VoiceOptions(
                profile=s.voice_profile,
                bins=s.waveform_bins,
                rendition=RenditionSettings(
                    codec=RenditionCodec(s.rendition_codec),
                    bitrate_bps=s.rendition_bitrate_bps,
                    normalise_loudness=s.rendition_normalise_loudness,
                ),
                silence_dbfs=s.silence_dbfs,
                placeholder=s.transcript_placeholder,
                engine=engine_from_setting(s.stt_engine, s.stt_timeout_seconds),
                staging_dir=self.store.blobs.staging_dir,
            ),
        )
        # Signed media URLs and the HTTP endpoint that serves them; delivery observes fetches
        # with self.media_links.observe(callback).
        self.media_links = MediaLinks(
            load_signer(s.url_signing_keys, s.url_signing_key_id, data),
            self.attachments,
            self.previews,
            self.voice,
            LinkLifetimes(
                s.signed_url_default_seconds, s.signed_url_min_seconds, s.signed_url_max_seconds
            ),
            s.media_chunk_bytes,
            presign=_presigner(s, blobs),
        )
        genesys, missing = _genesys_client(s)
        self.genesys = genesys
        # Files taken in from URLs: ImportFromUrl, and guests' media Genesys Cloud announces.
        self.imports = Imports(
            self.uploads,
            self.voice,
            UrlFetcher(fetch_policy(s)),
            inbox_ledger,
            lambda name: self.profiles[name].max_size_bytes if name in self.profiles else 0,
            s.default_profile,
            s.voice_profile,
        )
        self.inbox = Inbox(
            self.imports.ledger,
            self.imports,
            self.media_links,
            genesys,
            InboxOptions(
                tenant=s.inbox_tenant,
                workers=s.inbox_workers,
                max_attempts=s.inbox_max_attempts,
                retry_first_seconds=s.inbox_retry_seconds,
                attribute_prefix=s.inbox_attribute_prefix,
            ),
        )
        self.events: ConversationEvents | None = None
        if s.genesys_events:
            if genesys is None:
                raise ValueError(f"MEDIAGATE_GENESYS_EVENTS needs {missing}")
            if not s.event_topics:
                raise ValueError("MEDIAGATE_GENESYS_EVENTS needs MEDIAGATE_GENESYS_EVENT_TOPICS")
            self.events = ConversationEvents(
                genesys,
                EventOptions(s.event_topics, silence_seconds=s.genesys_event_silence_seconds),
                self._on_event,
                self.inbox.catch_up,
            )
        self._events_task: asyncio.Task[None] | None = None
        media = media_app(self.media_links)
        add_webhook(media, s.webhook_secrets, self.inbox.on_open_messaging)
        self.media_host = s.media_host or s.host
        self.http_tls: ssl.SSLContext | None = None
        self.http_tls_reloader: ContextReloader | None = None
        if self.tls_files is not None:
            self.http_tls = server_context(self.tls_files)
            self.http_tls_reloader = ContextReloader(
                self.tls_files, self.http_tls, s.tls_reload_seconds
            )
        self.media_server = HttpServer(
            media, self.media_host, s.media_port, s.shutdown_grace_seconds, self.http_tls
        )
        self.deliveries = Deliveries(
            delivery_ledger,
            self.attachments,
            self.voice,
            self.media_links,
            genesys,
            DeliveryOptions(
                default_method=DeliveryMethod(s.genesys_default_method.upper()),
                timeout_seconds=s.genesys_delivery_timeout_seconds,
                poll_first_seconds=s.genesys_poll_first_seconds,
                poll_max_seconds=s.genesys_poll_max_seconds,
            ),
            missing,
        )
        # Read when Prometheus scrapes (http/metrics.py); registered while the server runs.
        self.gauges = ServerGauges(
            Sources(
                lanes=list(self.lanes.pools.values()),
                uploads_in_flight=lambda: self.admission.in_flight,
                usage=catalog.usage_by_tenant,
                limits=self.store.limits,
            )
        )
        self.metrics_host = s.metrics_host or s.host
        self.metrics_server = (
            HttpServer(metrics_app(), self.metrics_host, s.metrics_port, 1.0)
            if s.metrics_enabled
            else None
        )
        # Operators' requests (AdminService): every tenant's storage at once.
        self.admin = Admin(
            self.store,
            delivery_ledger.counts,
            self.imports.ledger.counts,
            self.profiles,
            (s.default_profile, s.voice_profile),
        )
        self.health = health.aio.HealthServicer()
        self.port = 0
        self._server: grpc.aio.Server | None = None
        self._sweeper: asyncio.Task[None] | None = None

    async def start(self) -> int:
        self.store.recover(_orphan_grace(self.settings))
        await self.lanes.start()
        s = self.settings
        server = grpc.aio.server(
            options=[
                # Room for a chunk up to twice the limit plus the header, so a somewhat
                # oversized chunk gets CHUNK_TOO_LARGE with details instead of grpc's own error.
                ("grpc.max_receive_message_length", 2 * s.max_chunk_bytes + 256 * 1024),
                ("grpc.max_send_message_length", s.max_send_message_bytes),
                # BDP probing grows each stream's window to megabytes; with 50 uploads at once
                # that cost ~100 MiB of buffered chunks (tests/integration/test_load_and_memory).
                ("grpc.http2.bdp_probe", 0),
                *_connection_options(s),
            ],
            maximum_concurrent_rpcs=s.max_concurrent_rpcs or None,
            # ObserveCalls first: the outermost, so it sees every call's whole time and status
            # (refusals by authentication included); then who is calling; then parsing.
            interceptors=[
                ObserveCalls(),
                *([AuthenticateCalls(self.authenticator)] if self.authenticator else []),
                ParseRequestsHere(f"/{SERVICE_NAME}/", f"/{ADMIN_SERVICE_NAME}/"),
            ],
        )
        attachment_service_pb2_grpc.add_AttachmentServiceServicer_to_server(
            AttachmentServicer(
                self.uploads,
                self.attachments,
                self.previews,
                self.voice,
                list(self.profiles.values()),
                s.default_profile,
                s.max_chunk_bytes,
                s.recommended_chunk_bytes,
                s.upload_idle_timeout_seconds,
                s.download_write_timeout_seconds,
                s.max_send_message_bytes,
                self.media_links,
                self.deliveries,
                self.imports,
            ),
            server,
        )
        admin_service_pb2_grpc.add_AdminServiceServicer_to_server(AdminServicer(self.admin), server)
        health_pb2_grpc.add_HealthServicer_to_server(self.health, server)
        if s.reflection:
            enable_reflection(
                [
                    SERVICE_NAME,
                    ADMIN_SERVICE_NAME,
                    health_pb2.DESCRIPTOR.services_by_name["Health"].full_name,
                    reflection.SERVICE_NAME,
                ],
                server,
            )
        address = f"{s.host}:{s.port}"
        if self.tls_files is not None:
            credentials = server_credentials(self.tls_files)
            self.port = server.add_secure_port(address, credentials)
        else:
            self.port = server.add_insecure_port(address)
        if self.port == 0:
            raise OSError(f"cannot listen on {s.host}:{s.port}")
        await server.start()
        for name in ("", SERVICE_NAME):
            await self.health.set(name, health_pb2.HealthCheckResponse.SERVING)
        self._server = server
        self._sweeper = asyncio.create_task(self._sweep_forever())
        media_port = await self.media_server.start()
        if self.http_tls_reloader is not None:
            self.http_tls_reloader.start()
        scheme = "https" if self.http_tls is not None else "http"
        media_url = f"{scheme}://{self.media_host}:{media_port}"
        self.media_links.serve_at(s.public_media_url or media_url)
        resumed = await self.deliveries.resume()
        if resumed:
            log.info("resumed %d unfinished deliveries", resumed)
        await self._start_inbound()
        await self._check_scanner()
        metrics_url = await self._start_metrics()
        ready_log.info(
            "mediagate listening on %s:%d media=%s metrics=%s %s",
            s.host,
            self.port,
            media_url,
            metrics_url,
            s.summary(),
        )
        return self.port

    async def _start_metrics(self) -> str:
        if self.metrics_server is None:
            return "off"
        REGISTRY.register(self.gauges)
        port = await self.metrics_server.start()
        return f"http://{self.metrics_host}:{port}/metrics"

    async def _stop_metrics(self) -> None:
        if self.metrics_server is not None and self.metrics_server.port:
            await self.metrics_server.stop()
            REGISTRY.unregister(self.gauges)
        if self.tracing is not None:
            await asyncio.to_thread(self.tracing.shutdown)  # sends the spans still queued

    async def _check_scanner(self) -> None:
        """Logs whether clamd answers now; it may come later, so the server starts either way
        (each upload asks it anew)."""
        if self.scanner is None:
            return
        if await self.scanner.ping():
            log.info("clamd at %s answers", self.scanner.address)
        else:
            log.warning(
                "clamd at %s does not answer PING: uploads will be %s until it does",
                self.scanner.address,
                "kept unscanned" if self.settings.clamd_fail_open else "refused",
            )

    async def stop(self) -> None:
        """Refuses new RPCs, lets in-flight ones drain within the grace, then closes the rest."""
        await self.health.enter_graceful_shutdown()
        if self._sweeper:
            self._sweeper.cancel()
        await self._stop_inbound()
        await self.previews.close()
        await self.deliveries.close()
        await self.media_server.stop()
        if self.http_tls_reloader is not None:
            await self.http_tls_reloader.stop()
        if self._server:
            await self._server.stop(self.settings.shutdown_grace_seconds)
        await self.uploads.close()
        await self.lanes.close()
        self.stt_threads.shutdown(wait=False, cancel_futures=True)
        self.reads.close()
        self.store.close()
        self._close_ledgers()
        await self._stop_metrics()
        log.info("mediagate stopped")

    async def start_events_only(self) -> None:
        """`mediagate genesys-events`: the event worker and the inbox alone, no listeners (the
        preview links it writes point at MEDIAGATE_PUBLIC_MEDIA_URL, served by `serve`)."""
        if self.events is None:
            raise ValueError("set MEDIAGATE_GENESYS_EVENTS=true and the topics to read events")
        self.store.recover(_orphan_grace(self.settings))
        await self.lanes.start()
        s = self.settings
        self.media_links.serve_at(s.public_media_url or f"http://{self.media_host}:{s.media_port}")
        await self._start_inbound()
        ready_log.info("mediagate reading Genesys Cloud events %s", s.summary())

    async def stop_events_only(self) -> None:
        await self._stop_inbound()
        await self.previews.close()
        await self.uploads.close()
        await self.lanes.close()
        self.stt_threads.shutdown(wait=False, cancel_futures=True)
        self.reads.close()
        self.store.close()
        self._close_ledgers()

    async def _start_inbound(self) -> None:
        await self.inbox.start()
        if self.events is not None:
            self._events_task = asyncio.create_task(self._read_events(), name="genesys-events")

    async def _read_events(self) -> None:
        """The event worker: here, or with the postgres backend on one replica at a time (the
        holder of an advisory lock; the others wait to take over, store/pg_leader.py)."""
        assert self.events is not None
        s = self.settings
        if s.catalog_backend == "sqlite":
            await self.events.run()
            return
        from mediagate.store.pg_leader import EVENTS_LOCK, lead

        await lead(
            s.postgres_dsn.get_secret_value(),
            EVENTS_LOCK,
            self.events.run,
            s.lease_seconds / 3,
            s.postgres_connect_timeout_seconds,
            name="Genesys event worker",
        )

    async def _stop_inbound(self) -> None:
        if self._events_task is not None:
            self._events_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._events_task
        await self.inbox.close()
        if self.genesys is not None:
            await self.genesys.close()
        self.imports.ledger.close()

    async def _on_event(self, topic: str, body: object) -> None:
        if is_message_topic(topic):
            await self.inbox.on_conversation_event(body)

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


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _authenticator(s: Settings) -> Authenticator | None:
    """The callers file's authenticator; None with auth off, which only a loopback host may
    run without saying so (anyone who reaches the port would own every attachment)."""
    if s.auth_callers_file is not None:
        return Authenticator(CallersFile(s.auth_callers_file))
    if not is_loopback(s.host) and not s.allow_unauthenticated:
        raise ValueError(
            f"refusing to listen on {s.host} with authentication off: set "
            "MEDIAGATE_AUTH_CALLERS_FILE, or MEDIAGATE_ALLOW_UNAUTHENTICATED=true to accept "
            "that anyone who reaches the port may read and delete every attachment"
        )
    return None


def _tls_files(s: Settings) -> TlsFiles | None:
    if s.tls_cert_file is None and s.tls_key_file is None:
        if s.tls_client_ca_file is not None:
            raise ValueError("client certificates need MEDIAGATE_TLS_CERT_FILE and _KEY_FILE")
        return None
    if s.tls_cert_file is None or s.tls_key_file is None:
        raise ValueError("TLS needs both MEDIAGATE_TLS_CERT_FILE and MEDIAGATE_TLS_KEY_FILE")
    return TlsFiles(s.tls_cert_file, s.tls_key_file, s.tls_client_ca_file)


def _genesys_client(s: Settings) -> tuple[GenesysClient | None, str]:
    """The Genesys Cloud connector, or None and the first setting that is missing."""
    secret = s.genesys_client_secret.get_secret_value()
    if not s.genesys_client_id:
        return None, "MEDIAGATE_GENESYS_CLIENT_ID"
    if not secret:
        return None, "MEDIAGATE_GENESYS_CLIENT_SECRET"
    config = GenesysConfig(
        client_id=s.genesys_client_id,
        client_secret=secret,
        api_host=api_host(s.genesys_region, s.genesys_base_url),
        integration_id=s.genesys_integration_id,
        timeout_seconds=s.genesys_timeout_seconds,
        retry=RetryPolicy(s.genesys_retry_budget_seconds),
        concurrency=s.genesys_concurrency,
        requests_per_second=s.genesys_requests_per_second,
        burst=s.genesys_burst,
    )
    return GenesysClient(config), ""


def fetch_policy(s: Settings) -> FetchPolicy:
    hosts = tuple(h.strip() for h in s.import_allowed_hosts.split(",") if h.strip())
    networks = tuple(n.strip() for n in s.import_allowed_networks.split(",") if n.strip())
    return FetchPolicy(
        allowed_hosts=hosts or DEFAULT_GENESYS_MEDIA_HOSTS,
        allow_http=s.import_allow_http,
        allow_private=s.import_allow_private,
        allowed_networks=networks,
        connect_timeout=s.import_connect_timeout_seconds,
        read_timeout=s.import_read_timeout_seconds,
        total_timeout=s.import_total_timeout_seconds,
        retry_budget=s.import_retry_budget,
        retry_max_wait=s.import_retry_max_wait_seconds,
    )


def _connection_options(s: Settings) -> list[tuple[str, int]]:
    """HTTP/2 settings that close dead and idle peers and bound one connection's streams."""
    ms = 1000
    options = [
        ("grpc.max_concurrent_streams", s.max_streams_per_connection),
        # Ping a connection quiet for keepalive_time; close it if the ping is not answered.
        ("grpc.keepalive_time_ms", int(s.keepalive_time_seconds * ms)),
        ("grpc.keepalive_timeout_ms", int(s.keepalive_timeout_seconds * ms)),
        ("grpc.keepalive_permit_without_calls", 1),
        # Clients may ping as often as every 10 s without being told to go away.
        ("grpc.http2.min_ping_interval_without_data_ms", 10 * ms),
        ("grpc.max_connection_idle_ms", int(s.max_connection_idle_seconds * ms)),
    ]
    if s.max_connection_age_seconds > 0:
        options += [
            ("grpc.max_connection_age_ms", int(s.max_connection_age_seconds * ms)),
            ("grpc.max_connection_age_grace_ms", int(s.max_connection_age_grace_seconds * ms)),
        ]
    return options


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


async def serve_events(settings: Settings) -> None:
    """Runs the Genesys Cloud event worker alone until SIGTERM or SIGINT."""
    server = MediagateServer(settings)
    await server.start_events_only()
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stopping.set)
    await stopping.wait()
    await server.stop_events_only()


def _presigner(s: Settings, blobs: BlobStore) -> Presigner | None:
    """CreateSignedUrl's links from the object store itself (MEDIAGATE_S3_PRESIGNED_URLS)."""
    if not s.s3_presigned_urls:
        return None
    if not isinstance(blobs, S3BlobStore):
        raise ValueError("MEDIAGATE_S3_PRESIGNED_URLS needs MEDIAGATE_BLOB_BACKEND=s3")
    return blobs.presigned_url


# A blob another server sharing the bucket has uploaded and not yet recorded is unreferenced
# for a moment; every upload step times out far below this.
SHARED_ORPHAN_GRACE_SECONDS = 3600.0


def _orphan_grace(s: Settings) -> float:
    """What start-up recovery spares: nothing when this server owns its data directory alone,
    an hour of orphans when the blobs are shared (S3)."""
    return 0.0 if s.blob_backend == "files" else SHARED_ORPHAN_GRACE_SECONDS


def s3_location(s: Settings) -> S3Location:
    """Where the S3 settings point (the server's blob store, and migrate-storage's target)."""
    return S3Location(
        s.s3_endpoint,
        s.s3_bucket,
        s.s3_region,
        s.s3_access_key_id,
        s.s3_secret_access_key.get_secret_value(),
        s.s3_prefix,
    )


def _blob_store(s: Settings) -> BlobStore:
    """The embedded files under data_dir, or an S3 bucket (MEDIAGATE_BLOB_BACKEND)."""
    # Previews are the store's cache entries, under the preview cache's budget.
    cache_bytes, cache_prefixes = s.preview_cache_bytes, (PREVIEW_KEY_PREFIX,)
    if s.blob_backend == "files":
        return FileBlobStore(s.data_dir, cache_bytes=cache_bytes, cache_prefixes=cache_prefixes)
    if not s.s3_bucket:
        raise ValueError("MEDIAGATE_BLOB_BACKEND=s3 needs MEDIAGATE_S3_BUCKET")
    location = s3_location(s)
    return S3BlobStore(
        make_client(location),
        location.bucket,
        s.data_dir,
        prefix=location.prefix,
        local_copy_bytes=s.s3_local_copy_bytes,
        part_bytes=s.s3_part_bytes,
        cache_bytes=cache_bytes,
        cache_prefixes=cache_prefixes,
    )
