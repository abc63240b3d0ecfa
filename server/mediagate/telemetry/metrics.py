"""Every metric the server exports, defined once (names, labels, buckets), in the process's
default registry, which also carries prometheus-client's process_* and python_* metrics.

Labels are bounded sets (method names, status codes, reason names, lanes, outcomes, states,
tenants): never an attachment id, a caller's address or a URL, which would grow without bound.
Gauges whose value lives elsewhere (queue depth, storage use) are read when Prometheus scrapes,
by collectors the composition root registers (app_metrics.py), not kept up to date here.
"""

from __future__ import annotations

from prometheus_client import Counter, Histogram

# Seconds: from a cached GetAttachment (sub-millisecond) to a long upload or voice rendition.
LATENCY_BUCKETS = (
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
    60.0, 120.0,
)  # fmt: skip

RPCS = Counter(
    "mediagate_rpc_requests", "RPCs handled, by method and status code", ["method", "code"]
)
RPC_SECONDS = Histogram(
    "mediagate_rpc_duration_seconds",
    "Time from an RPC's start to its status, by method and status code",
    ["method", "code"],
    buckets=LATENCY_BUCKETS,
)
RPC_BYTES_IN = Counter(
    "mediagate_rpc_received_bytes", "Request message bytes received, by method", ["method"]
)
RPC_BYTES_OUT = Counter(
    "mediagate_rpc_sent_bytes", "Response message bytes sent, by method", ["method"]
)
REFUSALS = Counter(
    "mediagate_refusals",
    "Failed RPCs by their ErrorReason or RejectionReason (the first, most decisive one)",
    ["method", "reason"],
)
ABUSE_REFUSALS = Counter(
    "mediagate_abuse_limit_refusals",
    "Requests refused by an abuse limit, by kind (uploads_per_connection, uploads_per_caller, "
    "uploads_server, lane_full, chunk_too_small, upload_idle, download_stalled, webhook_*)",
    ["kind"],
)

HTTP_REQUESTS = Counter(
    "mediagate_http_requests",
    "HTTP requests on the media endpoint, by route and status",
    ["route", "status"],
)
HTTP_SECONDS = Histogram(
    "mediagate_http_duration_seconds",
    "Time to answer an HTTP request (the body sent), by route",
    ["route"],
    buckets=LATENCY_BUCKETS,
)
HTTP_BYTES_OUT = Counter(
    "mediagate_http_sent_bytes", "Response bytes sent (headers and body), by route", ["route"]
)

LANE_WAIT_SECONDS = Histogram(
    "mediagate_lane_queue_seconds",
    "Time a job waited for a worker of its lane",
    ["lane"],
    buckets=LATENCY_BUCKETS,
)
LANE_JOBS = Counter(
    "mediagate_lane_jobs",
    "Jobs run in worker lanes, by outcome (ok, error, timeout, crashed, overloaded)",
    ["lane", "outcome"],
)

PREVIEWS = Counter(
    "mediagate_previews",
    "Previews asked for, by outcome (cached, rendered, unsupported, or the failure's reason)",
    ["outcome"],
)
VOICE_MESSAGES = Counter(
    "mediagate_voice_messages",
    "Voice messages taken in, by outcome (accepted, refused, failed)",
    ["outcome"],
)
DELIVERIES = Counter(
    "mediagate_delivery_states",
    "Deliveries entering each state (PENDING ... DELIVERED, FAILED, CANCELLED), by method",
    ["method", "state"],
)
IMPORTS = Counter(
    "mediagate_imports",
    "Files taken in from URLs, by source and outcome",
    ["source", "outcome"],
)
