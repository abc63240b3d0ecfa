"""The metrics endpoint: GET /metrics in Prometheus' text format on a port of its own, so it can
be firewalled from callers and scraped while the gRPC port is saturated.

Besides the counters and histograms the server keeps as it works (telemetry/metrics.py), some
values are read when Prometheus scrapes, from where they live: the worker lanes' queues, the
upload slots, and the storage and quota use the catalog keeps. The exposition is built in a
thread (the catalog is read there), never on the event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from aiohttp import web
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from mediagate.store.usage import Limits, Usage
from mediagate.workers.pool import WorkerPool

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


@dataclass(frozen=True)
class Sources:
    """Where the scrape-time values come from."""

    lanes: Iterable[WorkerPool]
    uploads_in_flight: Callable[[], int]
    usage: Callable[[], tuple[Mapping[str, Usage], int]]  # per tenant, and physical bytes
    limits: Limits


class ServerGauges(Collector):
    def __init__(self, sources: Sources) -> None:
        self._sources = sources

    def collect(self) -> Iterator[Metric]:
        s = self._sources
        waiting = GaugeMetricFamily(
            "mediagate_lane_queue_depth", "Jobs waiting for a worker, by lane", labels=["lane"]
        )
        busy = GaugeMetricFamily(
            "mediagate_lane_busy_workers", "Workers running a job, by lane", labels=["lane"]
        )
        size = GaugeMetricFamily("mediagate_lane_workers", "Workers, by lane", labels=["lane"])
        replaced = GaugeMetricFamily(
            "mediagate_lane_workers_replaced",
            "Workers killed or lost and started anew since the server started, by lane",
            labels=["lane"],
        )
        for pool in s.lanes:
            waiting.add_metric([pool.name], pool.waiting)
            busy.add_metric([pool.name], pool.busy)
            size.add_metric([pool.name], pool.size)
            replaced.add_metric([pool.name], pool.replaced)
        yield from (waiting, busy, size, replaced)
        yield GaugeMetricFamily(
            "mediagate_uploads_in_flight", "Uploads holding a slot", value=s.uploads_in_flight()
        )
        tenants, stored = s.usage()
        yield GaugeMetricFamily(
            "mediagate_storage_bytes",
            "Bytes of every distinct stored blob (what the storage cap counts)",
            value=stored,
        )
        used = GaugeMetricFamily(
            "mediagate_tenant_bytes", "A tenant's attachments' sizes (logical)", labels=["tenant"]
        )
        count = GaugeMetricFamily(
            "mediagate_tenant_attachments", "A tenant's attachments", labels=["tenant"]
        )
        for tenant, usage in sorted(tenants.items()):
            used.add_metric([tenant], usage.tenant_bytes)
            count.add_metric([tenant], usage.tenant_attachments)
        yield from (used, count)
        limits = GaugeMetricFamily(
            "mediagate_limit",
            "Configured storage limits (0: none): quota_bytes and quota_attachments per tenant, "
            "storage_cap_bytes for the server",
            labels=["limit"],
        )
        limits.add_metric(["quota_bytes"], s.limits.quota_bytes)
        limits.add_metric(["quota_attachments"], s.limits.quota_attachments)
        limits.add_metric(["storage_cap_bytes"], s.limits.storage_cap_bytes)
        yield limits


def metrics_app(registry: CollectorRegistry = REGISTRY) -> web.Application:
    async def metrics(_: web.Request) -> web.Response:
        body = await asyncio.to_thread(generate_latest, registry)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE})

    app = web.Application()
    app.router.add_get("/metrics", metrics)
    return app
