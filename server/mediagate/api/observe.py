"""The outermost interceptor: what each RPC did, told three ways when it ends.

It opens the call's CallFacts (api/calls.py) and its server span (a child of the caller's span
when the metadata carries traceparent), counts the request and response message bytes as they
are parsed and serialised, and when the call ends:
- metrics: count and latency by method and status code, bytes in and out, refusals by reason,
  abuse-limit refusals by kind (telemetry/metrics.py);
- one log line (logger "mediagate.rpc"): method, caller, tenant, attachment, status, reason,
  duration, bytes, and the trace id. Never metadata values (tokens), never message contents;
- the span's status and attributes.

It wraps every service's methods, health included, so that every answer is counted.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import grpc
from opentelemetry.trace import Span

from mediagate.api.calls import CallFacts, close_call, open_call
from mediagate.api.tenancy import DEFAULT_TENANT
from mediagate.errors import ErrorReason
from mediagate.telemetry import metrics
from mediagate.telemetry.tracing import fail, server_span

log = logging.getLogger("mediagate.rpc")

# Failures that are an abuse limit at work, by the kind operators alert on. Upload admission and
# the worker lanes count their own refusals where they know the scope.
_ABUSE_KINDS = {
    ErrorReason.CHUNK_TOO_SMALL.value: "chunk_too_small",
    ErrorReason.UPLOAD_IDLE.value: "upload_idle",
    ErrorReason.DOWNLOAD_STALLED.value: "download_stalled",
}

if TYPE_CHECKING:  # grpc's classes are generic only in its stubs
    Continuation = Callable[
        [grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler[Any, Any] | None]
    ]


class ObserveCalls(grpc.aio.ServerInterceptor):
    async def intercept_service(
        self, continuation: Continuation, details: grpc.HandlerCallDetails
    ) -> grpc.RpcMethodHandler[Any, Any] | None:
        handler = await continuation(details)
        if handler is None:
            return None
        full: str = details.method
        metadata = {
            key: value
            for key, value in (details.invocation_metadata or ())
            if isinstance(value, str)
        }
        return _Observed(full, metadata, handler).handler()


class _Observed:
    """One call's wrapped handler (grpc.aio asks the interceptors again for each call)."""

    def __init__(
        self, full_method: str, metadata: dict[str, str], handler: grpc.RpcMethodHandler[Any, Any]
    ) -> None:
        self.full_method = full_method
        service, _, method = full_method.lstrip("/").rpartition("/")
        self.service = service
        self.facts = CallFacts(method=method)
        self.metadata = metadata
        self.inner = handler

    def handler(self) -> grpc.RpcMethodHandler[Any, Any]:
        h = self.inner
        parse = self._counting_parse(h.request_deserializer)
        # A single response is serialised after the method returns, when the call's facts are
        # already reported: its size is taken from the message itself (_unary_response).
        serialize = self._counting_serialize(h.response_serializer, count=h.response_streaming)
        if h.unary_unary is not None:
            return grpc.unary_unary_rpc_method_handler(
                self._unary_response(h.unary_unary), parse, serialize
            )
        if h.stream_unary is not None:
            return grpc.stream_unary_rpc_method_handler(
                self._unary_response(h.stream_unary), parse, serialize
            )
        if h.unary_stream is not None:
            return grpc.unary_stream_rpc_method_handler(
                self._stream_response(h.unary_stream), parse, serialize
            )
        if h.stream_stream is not None:
            return grpc.stream_stream_rpc_method_handler(
                self._stream_response(h.stream_stream), parse, serialize
            )
        return h

    def _counting_parse(self, parse: Callable[[bytes], Any] | None) -> Callable[[bytes], Any]:
        facts = self.facts

        def counted(raw: bytes) -> Any:
            facts.bytes_in += len(raw)
            return parse(raw) if parse is not None else raw

        return counted

    def _counting_serialize(
        self, serialize: Callable[[Any], bytes] | None, count: bool
    ) -> Callable[[Any], bytes] | None:
        if serialize is None or not count:
            return serialize
        facts = self.facts

        def counted(message: Any) -> bytes:
            raw = serialize(message)
            facts.bytes_out += len(raw)
            return raw

        return counted

    def _unary_response(self, behavior: Callable[..., Awaitable[Any]]) -> Callable[..., Any]:
        async def observed(request: Any, context: grpc.aio.ServicerContext[Any, Any]) -> Any:
            with self._call(context) as span:
                try:
                    response = await behavior(request, context)
                except BaseException as exc:
                    self._failed(exc, span)
                    raise
                size = getattr(response, "ByteSize", None)
                if size is not None:
                    self.facts.bytes_out += int(size())
            return response

        return observed

    def _stream_response(self, behavior: Callable[..., Any]) -> Callable[..., Any]:
        async def observed(request: Any, context: grpc.aio.ServicerContext[Any, Any]) -> None:
            with self._call(context) as span:
                try:
                    answer = behavior(request, context)
                    if inspect.isasyncgen(answer):
                        async for response in answer:
                            await context.write(response)
                    else:
                        await answer
                except BaseException as exc:
                    self._failed(exc, span)
                    raise

        return observed

    def _call(self, context: grpc.aio.ServicerContext[Any, Any]) -> _CallScope:
        return _CallScope(self, context)

    def _failed(self, exc: BaseException, span: Span) -> None:
        facts = self.facts
        if facts.code is grpc.StatusCode.OK:
            # api/status.py notes the status of every answered failure; anything else ended
            # the call some other way: the caller went away, or grpc answers UNKNOWN.
            cancelled = isinstance(exc, asyncio.CancelledError)
            facts.code = grpc.StatusCode.CANCELLED if cancelled else grpc.StatusCode.UNKNOWN
        fail(span, facts.code.name)

    def finish(self, context: grpc.aio.ServicerContext[Any, Any], seconds: float) -> None:
        facts = self.facts
        if facts.code is grpc.StatusCode.OK and context.cancelled():
            facts.code = grpc.StatusCode.CANCELLED
        code = facts.code.name
        method = facts.method
        metrics.RPCS.labels(method, code).inc()
        metrics.RPC_SECONDS.labels(method, code).observe(seconds)
        metrics.RPC_BYTES_IN.labels(method).inc(facts.bytes_in)
        metrics.RPC_BYTES_OUT.labels(method).inc(facts.bytes_out)
        if facts.reason:
            metrics.REFUSALS.labels(method, facts.reason).inc()
            kind = _ABUSE_KINDS.get(facts.reason)
            if kind:
                metrics.ABUSE_REFUSALS.labels(kind).inc()
        caller = facts.caller or _address(facts.peer)
        fields = {
            "rpc": self.full_method,
            "method": method,
            "caller": caller,
            "tenant": facts.tenant or DEFAULT_TENANT,  # auth off: the one tenant
            "attachment": facts.attachment_id,
            "status": code,
            "reason": facts.reason,
            "duration_ms": round(seconds * 1000, 3),
            "bytes_in": facts.bytes_in,
            "bytes_out": facts.bytes_out,
        }
        # Health checks come every few seconds from every probe: counted, but logged only when
        # debugging, so they do not drown the calls that matter.
        level = logging.DEBUG if self.service == "grpc.health.v1.Health" else logging.INFO
        log.log(level, "rpc %s %s %.1f ms", method, code, seconds * 1000, extra={"fields": fields})


class _CallScope:
    """Opens the facts and the span for the call's duration; closes both and reports."""

    def __init__(self, observed: _Observed, context: grpc.aio.ServicerContext[Any, Any]) -> None:
        self._observed = observed
        self._context = context

    def __enter__(self) -> Span:
        observed = self._observed
        facts = observed.facts
        facts.peer = self._context.peer() or ""
        self._started = time.perf_counter()
        self._token = open_call(facts)
        self._span_scope = server_span(
            observed.full_method.lstrip("/"),
            observed.metadata,
            **{
                "rpc.system": "grpc",
                "rpc.service": observed.service,
                "rpc.method": facts.method,
            },
        )
        self._span = self._span_scope.__enter__()
        return self._span

    def __exit__(self, *exc: object) -> None:
        observed = self._observed
        facts = observed.facts
        seconds = time.perf_counter() - self._started
        span = self._span
        try:
            span.set_attribute("rpc.grpc.status_code", facts.code.value[0])
            for key, value in (
                ("mediagate.caller", facts.caller),
                ("mediagate.tenant", facts.tenant),
                ("mediagate.attachment_id", facts.attachment_id),
                ("mediagate.reason", facts.reason),
            ):
                if value:
                    span.set_attribute(key, value)
            span.set_attribute("mediagate.bytes_in", facts.bytes_in)
            span.set_attribute("mediagate.bytes_out", facts.bytes_out)
            # The log line carries the call's own trace id, read while its span is current.
            observed.finish(self._context, seconds)
        finally:
            self._span_scope.__exit__(None, None, None)
            close_call(self._token)


def _address(peer: str) -> str:
    """ "ipv4:127.0.0.1:51234" -> "ipv4:127.0.0.1": the caller without its connection's port."""
    return peer.rsplit(":", 1)[0] if peer.count(":") >= 2 else peer
