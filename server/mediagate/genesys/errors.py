"""What a failed platform call means to a delivery, decided once from the SDK's exception."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

# "You are missing the following permission(s): conversation:message:create"
_PERMISSION = re.compile(r"permission\(s\)?:\s*([\w:*-]+(?:\s*,\s*[\w:*-]+)*)", re.IGNORECASE)


@dataclass
class PlatformError(Exception):
    """A platform call that did not succeed. status 0: no HTTP answer (a timeout or a connection
    failure). `maybe_done`: the platform may have carried the call out before the failure (a
    timeout after sending, a 5xx), so a non-repeatable call must be re-checked, not re-sent."""

    op: str
    status: int
    code: str = ""
    message: str = ""
    retry_after: float | None = None
    maybe_done: bool = False

    def __str__(self) -> str:
        detail = f" {self.code}" if self.code else ""
        return f"{self.op}: HTTP {self.status or '-'}{detail} {self.message}".strip()

    @property
    def retryable(self) -> bool:
        return self.status == 0 or self.status == 429 or self.status >= 500

    @property
    def missing_permission(self) -> str:
        match = _PERMISSION.search(self.message)
        return match.group(1) if match else ""


def from_api_exception(op: str, exc: Any) -> PlatformError:
    """From the SDK's rest.ApiException: its status, headers and JSON body
    ({"message", "code", "status"}). The body is the platform's; no request data is in it."""
    status = int(getattr(exc, "status", 0) or 0)
    headers = getattr(exc, "headers", None) or {}
    body: Any = getattr(exc, "body", None)
    code, message = "", str(getattr(exc, "reason", "") or "")
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    if isinstance(body, str) and body:
        try:
            parsed = json.loads(body)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            code = str(parsed.get("code") or parsed.get("error") or "")
            message = str(parsed.get("message") or parsed.get("description") or message)
    return PlatformError(
        op=op,
        status=status,
        code=code[:200],
        message=message[:500],
        retry_after=_retry_after(headers),
        maybe_done=status >= 500,
    )


def _retry_after(headers: Any) -> float | None:
    value = None
    for key in ("Retry-After", "retry-after"):
        try:
            value = headers.get(key)
        except AttributeError:
            return None
        if value is not None:
            break
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None
