"""Error replies as Genesys Cloud (and, for the presigned upload URL, S3) writes them.

`ApiError` is what the handlers raise; `fault_response` turns an armed `fail` fault into the
reply the platform gives for that status: 401 bad.credentials, 403 missing.any.permissions
naming the permission, 429 too.many.requests.retry.after with Retry-After, 5xx JSON errors.
"""

from __future__ import annotations

import json
from typing import Any
from xml.sax.saxutils import escape

from aiohttp import web

from .state import FaultRule, new_id

JSON = dict[str, Any]

# The `code` the platform uses for each status in its JSON error body.
CODES = {
    400: "bad.request",
    401: "bad.credentials",
    403: "missing.any.permissions",
    404: "not.found",
    409: "conflict",
    413: "request.entity.too.large",
    429: "too.many.requests.retry.after",
    500: "internal.server.error",
    502: "bad.gateway",
    503: "service.unavailable",
    504: "gateway.timeout",
}


def error_body(status: int, message: str, code: str | None = None) -> JSON:
    """The platform's ErrorBody: message, code, status, plus a contextId as the real one has."""
    return {
        "message": message,
        "code": code or CODES.get(status, "error"),
        "status": status,
        "contextId": new_id(),
        "details": [],
        "errors": [],
    }


class ApiError(Exception):
    """Raised by a handler; the error middleware answers it as a JSON ErrorBody."""

    def __init__(
        self,
        status: int,
        message: str,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.headers = headers or {}

    def response(self) -> web.Response:
        return web.json_response(
            error_body(self.status, self.message, self.code),
            status=self.status,
            headers=self.headers,
        )


class S3Error(Exception):
    """Raised by the presigned-upload handler; answered as S3's XML <Error>."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def response(self) -> web.Response:
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Error><Code>{escape(self.code)}</Code><Message>{escape(self.message)}</Message>"
            f"<RequestId>{new_id()}</RequestId></Error>"
        )
        return web.Response(status=self.status, text=body, content_type="application/xml")


async def json_body(request: web.Request) -> Any:
    """The request's JSON body, or a 400 ErrorBody as the platform answers unparseable JSON."""
    try:
        return await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ApiError(400, f"The request body is not valid JSON: {exc}") from exc


def fault_response(rule: FaultRule, op: str) -> web.Response:
    """The reply an armed `fail` (or `fail_after_commit`) fault gives for operation `op`."""
    headers: dict[str, str] = {}
    status = rule.status
    if rule.body is not None:
        body = rule.body
    elif status == 401:
        body = error_body(401, "Invalid login credentials.", "bad.credentials")
    elif status == 403:
        body = error_body(
            403,
            f"You are missing the following permission(s): {rule.permission}",
            "missing.any.permissions",
        )
    elif status == 429:
        seconds = rule.retry_after if rule.retry_after is not None else 1
        body = error_body(
            429,
            f"Rate limit exceeded the maximum. Retry the request in [{seconds}] seconds",
            "too.many.requests.retry.after",
        )
    elif status >= 500:
        body = error_body(status, f"The fake platform failed {op} on purpose ({status}).")
    else:
        body = error_body(status, f"The fake platform refused {op} on purpose ({status}).")
    if rule.retry_after is not None or status == 429:
        headers["Retry-After"] = str(rule.retry_after if rule.retry_after is not None else 1)
    if op == "token" and rule.body is None and status == 401:
        body = {"error": "invalid_client", "description": "client authentication failed"}
    return web.Response(
        status=status,
        text=json.dumps(body),
        content_type="application/json",
        headers=headers,
    )
