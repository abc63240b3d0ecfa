"""Spans: one per RPC (api/observe.py) and a child for each stage below it (intake, inspect,
policy, store, preview, delivery).

Only the OpenTelemetry API is used here. Until exporting.py installs an SDK tracer provider
(MEDIAGATE_OTLP_ENDPOINT set), every span is a non-recording no-op that costs a context
variable lookup, so the stages can always be traced.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, MutableMapping
from contextlib import contextmanager

from opentelemetry import context, propagate, trace
from opentelemetry.trace import Span, SpanKind, Status, StatusCode

TRACER_NAME = "mediagate"


def tracer() -> trace.Tracer:
    # Asked for each time: the provider may be installed after this module is imported.
    return trace.get_tracer(TRACER_NAME)


@contextmanager
def stage(name: str, **attributes: str | int | float | bool) -> Iterator[Span]:
    """A child span of the current one for one stage of the work ("intake", "store", ...).
    An exception escaping it is recorded and marks the span as an error."""
    with tracer().start_as_current_span(f"mediagate.{name}", attributes=attributes) as span:
        yield span


@contextmanager
def server_span(
    name: str, carrier: Mapping[str, str], **attributes: str | int | float | bool
) -> Iterator[Span]:
    """The span of one incoming call, a child of the caller's span when its metadata carries
    W3C trace context (traceparent, tracestate)."""
    parent = propagate.extract(carrier)
    with tracer().start_as_current_span(
        name,
        context=parent,
        kind=SpanKind.SERVER,
        attributes=attributes,
        record_exception=False,
        set_status_on_exception=False,
    ) as span:
        yield span


def fail(span: Span, description: str) -> None:
    span.set_status(Status(StatusCode.ERROR, description))


def inject(headers: MutableMapping[str, str]) -> MutableMapping[str, str]:
    """Adds the current span's trace context to outgoing headers (calls into Genesys Cloud)."""
    propagate.inject(headers)
    return headers


def trace_ids() -> tuple[str, str]:
    """The current trace and span ids in hex, or ("", "") outside a recorded span."""
    span_context = trace.get_current_span().get_span_context()
    if not span_context.is_valid:
        return "", ""
    return format(span_context.trace_id, "032x"), format(span_context.span_id, "016x")


def detached() -> context.Context:
    """A context with no current span: background work (eager previews, resumed deliveries)
    that must not become a child of the call that happened to start it."""
    return trace.set_span_in_context(trace.INVALID_SPAN, context.Context())
