"""Parsing request messages where a failure can be answered.

grpc parses a request before the servicer sees it, and a message that does not parse (a string
field that is not UTF-8, a truncated encoding) then surfaced as UNKNOWN with protobuf's
exception name in the details. This interceptor hands mediagate's methods the raw bytes and
parses them itself, so such a request is INVALID_ARGUMENT MALFORMED_REQUEST like any other bad
request, through api/status.py.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable
from typing import Any

import grpc
from google.protobuf.message import DecodeError

from mediagate.api.method_wrapping import Handler, WrapsMethods
from mediagate.api.status import abort
from mediagate.errors import ErrorReason, MediagateError

Parse = Callable[[bytes], Any]


def _malformed() -> MediagateError:
    return MediagateError(
        ErrorReason.MALFORMED_REQUEST,
        "The request message does not parse (is every string field UTF-8?).",
    )


def _parse(parse: Parse, raw: bytes) -> Any:
    try:
        return parse(raw)
    except (DecodeError, UnicodeDecodeError, ValueError):
        raise _malformed() from None


async def _parsed_stream(parse: Parse, raw: AsyncIterator[bytes]) -> AsyncIterator[Any]:
    async for message in raw:
        yield _parse(parse, message)  # a MediagateError here reaches the method's own edge


class ParseRequestsHere(WrapsMethods):
    """Applies to the methods whose full names start with one of `prefixes` (one per service,
    "/mediagate.v1.AttachmentService/"); others (health, reflection) are left as they are."""

    def __init__(self, *prefixes: str) -> None:
        super().__init__()
        self._prefixes = prefixes

    def wraps(self, method: str) -> bool:
        return method.startswith(self._prefixes)

    def wrap(self, handler: Handler, method: str) -> Handler:
        parse = handler.request_deserializer
        if parse is None:
            return handler
        serialize = handler.response_serializer
        if handler.unary_unary is not None:
            unary = handler.unary_unary

            async def unary_unary(raw: bytes, context: Any) -> Any:
                try:
                    request = _parse(parse, raw)
                except MediagateError as exc:
                    await abort(context, exc, method)
                return await unary(request, context)

            return grpc.unary_unary_rpc_method_handler(unary_unary, response_serializer=serialize)
        if handler.unary_stream is not None:
            streaming: Any = handler.unary_stream

            async def unary_stream(raw: bytes, context: Any) -> None:
                try:
                    request = _parse(parse, raw)
                except MediagateError as exc:
                    await abort(context, exc, method)
                answer = streaming(request, context)
                if inspect.isasyncgen(answer):
                    async for response in answer:
                        await context.write(response)
                else:
                    await answer

            return grpc.unary_stream_rpc_method_handler(unary_stream, response_serializer=serialize)
        if handler.stream_unary is not None:
            collecting: Any = handler.stream_unary

            async def stream_unary(raw: AsyncIterator[bytes], context: Any) -> Any:
                return await collecting(_parsed_stream(parse, raw), context)

            return grpc.stream_unary_rpc_method_handler(stream_unary, response_serializer=serialize)
        return handler  # mediagate has no bidirectional methods
