"""Sends spans to an OpenTelemetry collector over OTLP/HTTP, when an endpoint is set.

Off by default: with no endpoint no SDK provider is installed and tracing.py's spans are
no-ops. Spans leave in batches from a background thread, so a slow collector costs the server
a bounded queue (dropped spans), never a waiting call.
"""

from __future__ import annotations

from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased


def start_tracing(endpoint: str, service_name: str, sample_ratio: float) -> TracerProvider:
    """Installs the process's tracer provider; `endpoint` is the collector's traces URL
    (http://collector:4318/v1/traces). Parent-based: a caller's sampled trace is kept."""
    provider = TracerProvider(
        resource=Resource.create({SERVICE_NAME: service_name}),
        sampler=ParentBased(TraceIdRatioBased(sample_ratio)),
    )
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint)))
    trace.set_tracer_provider(provider)
    return provider
