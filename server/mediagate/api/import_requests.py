"""Reading import requests: the URL import and ListImports' filter and page token."""

from __future__ import annotations

from mediagate.api import page_tokens
from mediagate.api.requests import header_fields
from mediagate.errors import ErrorReason, MediagateError
from mediagate.usecases.imports import UrlImport
from mediagate.v1 import attachment_service_pb2 as pb
from mediagate.v1 import imports_pb2 as ipb

MAX_TOKEN_BYTES = 8192


def url_import(request: pb.ImportFromUrlRequest) -> UrlImport:
    if not request.url:
        raise MediagateError(
            ErrorReason.URL_NOT_ALLOWED, "url is required.", {"url": "", "why": "malformed"}
        )
    if len(request.bearer_token.encode()) > MAX_TOKEN_BYTES:
        raise MediagateError(
            ErrorReason.INVALID_HEADER,
            f"bearer_token is at most {MAX_TOKEN_BYTES} bytes.",
            {"field": "bearer_token"},
        )
    return UrlImport(
        url=request.url,
        header=header_fields(request.header),
        bearer_token=request.bearer_token,
        voice_message=request.voice_message,
    )


def before_id(request: ipb.ListImportsRequest) -> str:
    if not request.page_token:
        return ""
    try:
        return page_tokens.decode(request.page_token, "imports|" + request.conversation_id)
    except page_tokens.BadPageToken as exc:
        raise MediagateError(ErrorReason.INVALID_PAGE_TOKEN, str(exc)) from None


def page_token(request: ipb.ListImportsRequest, before: str) -> str:
    return page_tokens.encode(before, "imports|" + request.conversation_id) if before else ""
