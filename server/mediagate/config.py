"""Every setting in one place: typed, embedded defaults, overridable by MEDIAGATE_* variables."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from mediagate.media.preview_spec import DEFAULT_MAX_PREVIEW_BYTES

MIB = 1024 * 1024
KIB = 1024


def _cores() -> int:
    return os.cpu_count() or 2


def _env(*names: str) -> AliasChoices:
    """The variables a setting is read from, the first one preferred (older names still work)."""
    return AliasChoices(*(f"MEDIAGATE_{name}" for name in names))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MEDIAGATE_", frozen=True, populate_by_name=True)

    host: str = "127.0.0.1"
    # 0 picks a free port; the chosen address is logged ("listening on HOST:PORT").
    port: int = 50051
    data_dir: Path = Path("./data")
    # Where attachment metadata lives (store/): "sqlite", the embedded default (a file in
    # data_dir), or "postgres", shared by replicas (store/pg_catalog.py; its schema is
    # migrated at start, once however many replicas start together). postgres_dsn is a libpq
    # URL or "key=value" string, e.g. postgresql://mediagate:PASSWORD@db:5432/mediagate.
    catalog_backend: Literal["sqlite", "postgres"] = "sqlite"
    postgres_dsn: SecretStr = SecretStr("")
    # Connections per process to PostgreSQL: the read threads, the commits and the sweeper
    # share them; a call waits for one at most postgres_connect_timeout_seconds.
    postgres_pool_size: int = Field(default=10, ge=1)
    postgres_connect_timeout_seconds: float = Field(default=30.0, gt=0)
    # With the postgres backend, deliveries and the inbox live in the same database and
    # replicas share the work (store/pg_leases.py): a delivery or an item being imported is
    # leased to one replica, which renews its leases every lease_seconds / 3; when a replica
    # dies, another takes its work over once the lease has expired (so within lease_seconds
    # plus a third of it). The Genesys event worker runs on one replica at a time, the holder
    # of a PostgreSQL advisory lock; the others try to take it every lease_seconds / 3.
    # Shorter takes over sooner; each replica's renewals and looks cost a few queries per
    # period. Unused with the embedded SQLite files (one process owns everything).
    lease_seconds: float = Field(default=30.0, ge=1.0)
    # A TOML file whose [profiles.NAME] tables override or add to the built-in profiles.
    profiles_file: Path | None = None
    default_profile: str = "web-messaging"
    # Larger chunks are refused. 1 MiB measured fastest (bench/upload_throughput.py: 348 MB/s
    # against 259 at 256 KiB and 46 at 16 KiB); memory per upload is two chunks either way.
    max_chunk_bytes: int = MIB
    recommended_chunk_bytes: int = MIB
    download_chunk_bytes: int = 256 * KIB
    # Previews. The cache: bytes of cached previews on disk (each file counted in whole 4 KiB
    # blocks), least recently used out first; 0 caches none. Voice-message results, also kept
    # beside their source, are not part of it (one small entry per stored recording).
    preview_cache_bytes: int = Field(default=1024 * MIB, ge=0)
    # Where blobs live (store/s3_blobs.py has the details). "files": under data_dir, the
    # embedded default. "s3": in an S3-compatible bucket that replicas share (AWS S3, SeaweedFS,
    # MinIO); data_dir then keeps only the upload spool (staging/) and local copies of blobs
    # for the worker processes (s3-copies/, at most s3_local_copy_bytes of idle ones).
    blob_backend: Literal["files", "s3"] = "files"
    # The S3 endpoint ("" = AWS for s3_region), the bucket (it must exist: checked at start),
    # and a key prefix so one bucket can hold several deployments (e.g. "mediagate/").
    s3_endpoint: str = ""
    s3_bucket: str = ""
    s3_region: str = "us-east-1"
    s3_prefix: str = ""
    # Credentials; both empty = boto3's own chain (AWS_* variables, an instance role, ...).
    s3_access_key_id: str = ""
    s3_secret_access_key: SecretStr = SecretStr("")
    # Blobs up to this size go up in one PUT, larger ones as multipart uploads of parts this
    # size (one part in memory per upload at a time); S3 needs at least 5 MiB.
    s3_part_bytes: int = Field(default=8 * MIB, ge=5 * MIB)
    s3_local_copy_bytes: int = Field(default=2 * 1024 * MIB, ge=0)
    # CreateSignedUrl answers with the object store's own presigned GET URL for an
    # attachment's bytes (or a voice rendition's), so downloads do not pass through mediagate.
    # Previews and links made for a delivery (whose fetches mediagate must see) stay
    # mediagate's own signed URLs.
    s3_presigned_urls: bool = False
    # The most one preview may be: WebP and JPEG are encoded at a lower quality, then any format
    # at a smaller size, until it fits (preview/encode.py). It is one inline message, so clients
    # must accept messages this large (gRPC's default is 4 MiB).
    preview_max_bytes: int = Field(default=DEFAULT_MAX_PREVIEW_BYTES, ge=1)
    # Worker lanes (workers/lanes.py): killable processes, one pool per kind of work, so that
    # one kind's burst never refuses another's. Per lane: processes, jobs that may wait for one
    # before callers get RESOURCE_EXHAUSTED (OVERLOADED), a time limit per job, and a memory cap
    # per process.
    # probe: every upload's structural probe. MEDIAGATE_WORKERS, MEDIAGATE_WORKER_QUEUE still
    # name it, as before lanes.
    probe_workers: int = Field(
        default_factory=_cores, validation_alias=_env("PROBE_WORKERS", "WORKERS")
    )
    probe_queue: int = Field(default=64, validation_alias=_env("PROBE_QUEUE", "WORKER_QUEUE"))
    probe_timeout_seconds: float = 10.0
    probe_memory_bytes: int = 1024 * MIB
    # render: previews (on demand and eager).
    render_workers: int = Field(default_factory=_cores)
    render_queue: int = 64
    render_timeout_seconds: float = 10.0
    render_memory_bytes: int = 1024 * MIB
    # voice: a voice message's decode, loudness and rendition.
    voice_workers: int = Field(default_factory=lambda: max(1, _cores() // 2))
    voice_queue: int = 32
    voice_timeout_seconds: float = 20.0
    voice_memory_bytes: int = 1024 * MIB
    # Seconds a stopping server gives in-flight RPCs before it cancels them.
    shutdown_grace_seconds: float = 10.0
    # How often the retention sweeper looks for expired attachments.
    sweep_interval_seconds: float = 300.0
    # A last-resort cap on concurrent RPCs of every kind, health included (0 = none). Uploads
    # have their own admission below, so this stays off: it is what let idle upload streams
    # refuse health checks.
    max_concurrent_rpcs: int = 0

    # Admission of uploads (usecases/admission.py): how many may be in flight server-wide (this
    # bounds the memory uploads take: about two chunks each), per caller and per connection;
    # how many may wait for a server-wide slot, and for how long, before being refused.
    max_uploads: int = 64
    # A caller is the authenticated identity; with auth off it is the peer address, and one
    # address may be many callers (a proxy, a sidecar, every client on a loopback test), so the
    # per-caller limit is the server-wide one unless set lower; a connection may hold half.
    max_uploads_per_caller: int = 64
    max_uploads_per_connection: int = 32
    max_upload_waiters: int = 256
    upload_slot_wait_seconds: float = 10.0
    # Chunks must average at least this many bytes (after the first 16): a stream of tiny
    # chunks costs the server per message, far more than the bytes it carries.
    min_chunk_bytes: int = 4 * 1024
    # An upload that sends nothing for this long is cancelled and its spool removed.
    upload_idle_timeout_seconds: float = 30.0
    # A download whose reader takes no message for this long is ended.
    download_write_timeout_seconds: float = 30.0
    # Connections: HTTP/2 streams per connection, keepalive pings (a peer that does not answer
    # one within the timeout is closed), idle connections closed, and connection age (0 = no
    # limit; then closed after the grace, which lets in-flight calls finish).
    max_streams_per_connection: int = 128
    keepalive_time_seconds: float = 60.0
    keepalive_timeout_seconds: float = 20.0
    max_connection_idle_seconds: float = 300.0
    max_connection_age_seconds: float = 0.0
    max_connection_age_grace_seconds: float = 60.0
    # Storage limits (store/usage.py, store/space.py); 0 means none. Refused uploads are
    # RESOURCE_EXHAUSTED: QUOTA_EXCEEDED for a tenant's quota, STORAGE_FULL (with RetryInfo)
    # for the server's storage. Checked at the header from the declared size, while bytes
    # arrive, and again inside the commit's transaction.
    # Per tenant: the sum of its attachments' sizes (logical: identical files count each
    # time), and how many attachments it has (a voice message's rendition is one).
    quota_bytes: int = 0
    quota_attachments: int = 0
    # The whole server: the bytes of every distinct stored blob (physical: identical files
    # count once). Previews and other caches are not counted.
    storage_cap_bytes: int = 0
    # Free space on the data directory's filesystem below which uploads stop, kept for reads
    # and deletes.
    min_free_bytes: int = 512 * MIB
    # A file of this size in the data directory (reserved-space) that the store gives up when
    # a delete finds the disk full, so that deleting never needs free space; 0: none.
    delete_reserve_bytes: int = 8 * MIB
    log_level: str = "INFO"
    # "json": one JSON object a line, with trace ids (what log pipelines read); "text": plain
    # lines for a terminal. Either way, one line per RPC and per HTTP request.
    log_format: str = Field(default="json", pattern="^(json|text)$")
    # Prometheus metrics, GET /metrics on a port of their own (0 picks a free one; the ready
    # line prints it as metrics=http://HOST:PORT); metrics_host "" means the same as host.
    metrics_enabled: bool = True
    metrics_host: str = ""
    metrics_port: int = 9464
    # OpenTelemetry traces over OTLP/HTTP to this URL (e.g. http://collector:4318/v1/traces);
    # "" sends none. A caller's sampled trace is always kept; new traces at this ratio.
    otlp_traces_endpoint: str = ""
    otlp_service_name: str = "mediagate"
    trace_sample_ratio: float = Field(default=1.0, ge=0.0, le=1.0)

    # Voice messages.
    voice_profile: str = "voice"  # used when a voice upload's header names no profile
    waveform_bins: int = 64
    rendition_codec: str = "aac"  # aac (M4A), mp3 or opus (Ogg)
    rendition_bitrate_bps: int = 48_000
    rendition_normalise_loudness: bool = True
    # Quieter than this throughout (dBFS) is silence: refused as EMPTY.
    silence_dbfs: float = -50.0
    # Speech-to-text: "" (none: the placeholder), "command:/path/to/program" (called with the
    # audio file's path and a language hint; prints the transcript), or the URL of an
    # OpenAI-compatible /v1/audio/transcriptions endpoint (a Whisper server).
    stt_engine: str = ""
    stt_timeout_seconds: float = 30.0
    # Transcriptions running at once (threads of their own: a slow engine holds nothing else).
    stt_concurrency: int = 2
    # Threads that read the catalog and cached previews for the event loop (store/reads.py).
    read_threads: int = 4
    transcript_placeholder: str = "Voice message, {duration}"

    # The media endpoint (http/media.py): signed URLs to attachments, previews and voice
    # renditions, served over plain HTTP on its own port (0 picks a free one; the ready line
    # prints it as media=http://HOST:PORT). media_host "" means the same as host.
    media_host: str = ""
    media_port: int = 8080
    # The base of every signed URL, as callers reach the endpoint (a load balancer or CDN in
    # front of it, which must pass /v1/media/... through unchanged); "" means
    # http://{media_host}:{bound port}.
    public_media_url: str = ""
    # URL signing keys, "kid1:base64secret,kid2:base64secret" (each secret at least 32 bytes):
    # every key verifies, url_signing_key_id signs ("" = the first). Unset: a key made once in
    # {data_dir}/url-signing-keys (mode 0600) and reused, so URLs survive a restart.
    url_signing_keys: str = Field(default="", repr=False)
    url_signing_key_id: str = ""
    # A signed URL's lifetime: the default when a caller names none, raised to the minimum (the
    # platform's crawler retries for minutes), lowered to the maximum.
    # The media endpoint reads blobs in chunks of this size: memory per fetch is about two of
    # them. 1 MiB matched a bare aiohttp FileResponse for a 10 MiB GET where 256 KiB reached
    # half of it (bench/media_endpoint.py).
    media_chunk_bytes: int = Field(default=MIB, ge=4 * KIB)
    signed_url_default_seconds: float = Field(default=900.0, gt=0)
    signed_url_min_seconds: float = Field(default=300.0, gt=0)
    signed_url_max_seconds: float = Field(default=7 * 86400.0, gt=0)

    # Delivery into Genesys Cloud (usecases/deliveries.py, genesys/). Without a client
    # id and secret the server runs and DeliverAttachment answers FAILED_PRECONDITION
    # DELIVERY_NOT_CONFIGURED. The OAuth client (client credentials) needs the permissions
    # conversation:message:create and conversation:message:view (and, for OPEN_MESSAGING,
    # conversation:message:receive on the integration).
    genesys_client_id: str = ""
    genesys_client_secret: SecretStr = SecretStr("")
    # The org's region (the SDK's PureCloudRegionHosts names: us_east_1, eu_west_1, ...), or a
    # base URL that wins over it (a proxy, or tests/fakes/genesys on loopback).
    genesys_region: str = "us_east_1"
    genesys_base_url: str = ""
    # The Open Messaging integration OPEN_MESSAGING deliveries post to.
    genesys_integration_id: str = ""
    # UPLOAD or OPEN_MESSAGING: the method of a DeliverAttachment that names none.
    genesys_default_method: str = "UPLOAD"
    # Per platform call: the HTTP timeout, and the seconds 429 waits, 5xx backoffs and
    # timeouts may take in all before the delivery fails RETRIES_EXHAUSTED.
    genesys_timeout_seconds: float = 10.0
    genesys_retry_budget_seconds: float = 60.0
    # Platform calls at once (SDK threads), and the pace: the platform allows an OAuth client
    # about 300 requests a minute, so 5 a second on average, bursts of 20.
    genesys_concurrency: int = Field(default=8, ge=1)
    genesys_requests_per_second: float = Field(default=5.0, ge=0)
    genesys_burst: int = Field(default=20, ge=1)
    # A delivery not DELIVERED this long after it (re)started fails TIMED_OUT.
    genesys_delivery_timeout_seconds: float = 600.0
    # Status checks (media valid? message sent?): first after this, doubling, at most the max.
    genesys_poll_first_seconds: float = 1.0
    genesys_poll_max_seconds: float = 5.0

    # Guests' media from Genesys Cloud (usecases/inbox.py). The event worker (genesys/events.py)
    # runs inside `serve` when genesys_events is on, or alone as `mediagate genesys-events`; it
    # needs the client id and secret above, and topics, comma-separated, e.g.
    # "v2.routing.queues.{queueId}.conversations.messages" or
    # "v2.users.{userId}.conversations.messages".
    genesys_events: bool = False
    genesys_event_topics: str = ""
    # A socket with nothing on it (not even the ~30 s heartbeat) for this long is replaced.
    genesys_event_silence_seconds: float = Field(default=75.0, gt=0)
    # The Open Messaging integration's outbound webhook secret(s), comma-separated (several
    # while rotating). Without one, POST /v1/genesys/open-messaging/webhook answers 401.
    genesys_webhook_secrets: SecretStr = SecretStr("")
    # Imports of announced media at once; attempts per item (a 5xx, 429 or timeout of the media
    # URL, or a busy server, is tried again after a backoff starting at inbox_retry_seconds).
    inbox_workers: int = Field(default=4, ge=1)
    inbox_max_attempts: int = Field(default=5, ge=1)
    inbox_retry_seconds: float = Field(default=2.0, gt=0)
    # The tenant announced media is stored under, and the participant attributes' prefix.
    inbox_tenant: str = "default"
    inbox_attribute_prefix: str = "mediagate."

    # Fetching URLs (ImportFromUrl and announced media; sources/url_policy.py has the threat
    # model). Hosts, comma-separated: exact names or "*.suffix"; empty means Genesys Cloud's
    # media hosts in every region. http:// and ports other than 443 only with import_allow_http.
    import_allowed_hosts: str = ""
    import_allow_http: bool = False
    # Loopback, private, link-local, CGNAT ... addresses; or only the networks listed
    # (comma-separated CIDRs, e.g. "127.0.0.1/32" for a local test server).
    import_allow_private: bool = False
    import_allowed_networks: str = ""
    import_connect_timeout_seconds: float = Field(default=5.0, gt=0)
    import_read_timeout_seconds: float = Field(default=15.0, gt=0)
    import_total_timeout_seconds: float = Field(default=120.0, gt=0)
    # Attempts per fetch (429 after its Retry-After, 5xx, a reset connection), and the longest
    # Retry-After honoured.
    import_retry_budget: int = Field(default=3, ge=1)
    import_retry_max_wait_seconds: float = Field(default=10.0, ge=0)

    # Malware scanning (pipeline/scan_step.py, scanning/clamd.py): clamd's address,
    # "unix:/run/clamav/clamd.ctl", "/path/clamd.sock", "tcp://127.0.0.1:3310" or
    # "127.0.0.1:3310"; "" scans nothing. Every accepted file is streamed to it (INSTREAM)
    # before it is kept; clamd's StreamMaxLength must be at least the largest profile's
    # max_size_bytes, or larger files fail its size limit.
    clamd: str = ""
    # When clamd gives no verdict (unreachable, slower than the timeout, an error): false
    # refuses the upload (UNAVAILABLE SCANNER_UNAVAILABLE, nothing kept); true keeps it unscanned
    # and logs a warning per file.
    clamd_fail_open: bool = False
    # One scan at most (connecting included); connecting alone at most 2 s of it.
    clamd_timeout_seconds: float = Field(default=10.0, gt=0)

    # Who may call (api/authn.py; auth/authenticate.py has the threat model). A TOML file of
    # callers, each with a tenant, scopes, hashed bearer tokens and/or client certificate
    # subjects, reread when it changes; set, every RPC but health needs credentials. Unset, auth
    # is off: one tenant ("default"), every caller may do everything, which is only allowed on
    # a loopback host unless allow_unauthenticated says otherwise.
    auth_callers_file: Path | None = None
    allow_unauthenticated: bool = False
    # gRPC server reflection (what grpcurl and ghz read the contract from). With auth on it
    # needs an authenticated caller.
    reflection: bool = False
    # TLS for the gRPC port and the HTTP endpoints (media URLs, webhooks), from PEM files that
    # are reloaded when they change (gRPC at the next handshake, HTTP within
    # tls_reload_seconds). A client CA file makes the gRPC port mutual TLS: every connection
    # must present a client certificate that CA signed, valid today (grpc-python cannot ask for
    # one without requiring it); its CN or SAN maps to a caller in the callers file, and a
    # bearer token, if sent as well, decides instead.
    tls_cert_file: Path | None = None
    tls_key_file: Path | None = None
    tls_client_ca_file: Path | None = None
    tls_reload_seconds: float = Field(default=5.0, gt=0)

    @property
    def max_send_message_bytes(self) -> int:
        """The largest message the server sends: four download chunks (and the Attachment that
        rides on the first), or a whole preview, with room for the fields around them.
        ListAttachments pages are cut to fit it (api/convert.py)."""
        return max(4 * self.download_chunk_bytes, self.preview_max_bytes) + 256 * KIB

    def summary(self) -> str:
        """One line for the start-up log: what a person checks first when something is off."""
        return (
            f"data_dir={self.data_dir.resolve()} catalog={self._catalog_summary()} "
            f"default_profile={self.default_profile} "
            f"profiles_file={self.profiles_file or '-'} "
            f"lanes=probe:{self.probe_workers}/{self.probe_queue}/{self.probe_timeout_seconds:g}s,"
            f"render:{self.render_workers}/{self.render_queue}/{self.render_timeout_seconds:g}s,"
            f"voice:{self.voice_workers}/{self.voice_queue}/{self.voice_timeout_seconds:g}s "
            f"max_chunk={self.max_chunk_bytes} grace={self.shutdown_grace_seconds}s "
            f"quota={self.quota_bytes or '-'}B/{self.quota_attachments or '-'} "
            f"storage_cap={self.storage_cap_bytes or '-'} min_free={self.min_free_bytes} "
            f"preview_cache={self.preview_cache_bytes} preview_max={self.preview_max_bytes} "
            f"blobs={self._blobs_summary()} "
            f"genesys={self._genesys_summary()} "
            f"events={'on' if self.genesys_events else 'off'} "
            f"webhook={'on' if self.webhook_secrets else 'off'} "
            f"import_hosts={self.import_allowed_hosts or 'genesys'} "
            f"clamd={self._clamd_summary()} "
            f"auth={self._auth_summary()} tls={self._tls_summary()} "
            f"reflection={'on' if self.reflection else 'off'} "
            f"traces={self.otlp_traces_endpoint or 'off'}"
        )

    def _blobs_summary(self) -> str:
        """Where blobs go, never the secret."""
        if self.blob_backend == "files":
            return "files"
        where = self.s3_endpoint or f"aws:{self.s3_region}"
        presigned = ",presigned-urls" if self.s3_presigned_urls else ""
        return f"s3({where}/{self.s3_bucket}/{self.s3_prefix}{presigned})"

    @property
    def tls_on(self) -> bool:
        return self.tls_cert_file is not None

    def _catalog_summary(self) -> str:
        if self.catalog_backend == "sqlite":
            return "sqlite"
        from psycopg.conninfo import conninfo_to_dict  # only when it is used

        try:  # where, never the password
            info = conninfo_to_dict(self.postgres_dsn.get_secret_value())
        except Exception:
            return "postgres(unparsable dsn)"
        where = f"{info.get('host', '')}:{info.get('port', 5432)}/{info.get('dbname', '')}"
        return f"postgres({where},pool={self.postgres_pool_size})"

    def _auth_summary(self) -> str:
        if self.auth_callers_file is not None:
            return f"on({self.auth_callers_file})"
        return "OFF(every caller is tenant default with every scope)"

    def _tls_summary(self) -> str:
        if not self.tls_on:
            return "off(plaintext)"
        return "mutual" if self.tls_client_ca_file else "on"

    @property
    def event_topics(self) -> tuple[str, ...]:
        return _listed(self.genesys_event_topics)

    @property
    def webhook_secrets(self) -> tuple[str, ...]:
        return _listed(self.genesys_webhook_secrets.get_secret_value())

    def _clamd_summary(self) -> str:
        if not self.clamd:
            return "off"
        mode = "fail-open" if self.clamd_fail_open else "fail-closed"
        return f"{self.clamd},{mode},{self.clamd_timeout_seconds:g}s"

    def _genesys_summary(self) -> str:
        """Where deliveries go, never the secret."""
        if not (self.genesys_client_id and self.genesys_client_secret.get_secret_value()):
            return "off"
        return self.genesys_base_url or self.genesys_region


def _listed(value: str) -> tuple[str, ...]:
    """A comma-separated setting's items, without blanks."""
    return tuple(item.strip() for item in value.split(",") if item.strip())
