"""What one RPC did, gathered while it runs: who called, for which tenant, on which attachment,
how it ended, and the bytes it moved.

The outermost interceptor opens a CallFacts for each call and keeps it in a context variable;
the layers of the edge under it fill it in (authentication the caller and tenant, the servicer
the attachment and bytes, api/status.py the status and reason), all in the same task, so the
interceptor reads it whole when the call ends: for the one log line per RPC, the metrics and
the span. Outside a call (tests calling a servicer directly, the CLI) there is none, and every
setter is a no-op.
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass

import grpc


@dataclass
class CallFacts:
    method: str  # the method's short name, "Upload"
    peer: str = ""
    caller: str = ""  # the authenticated caller's name; the peer's address when auth is off
    tenant: str = ""
    attachment_id: str = ""
    code: grpc.StatusCode = grpc.StatusCode.OK
    reason: str = ""  # the ErrorReason or RejectionReason name of a failed call
    bytes_in: int = 0
    bytes_out: int = 0


_current: contextvars.ContextVar[CallFacts | None] = contextvars.ContextVar(
    "mediagate_call", default=None
)


def open_call(facts: CallFacts) -> contextvars.Token[CallFacts | None]:
    return _current.set(facts)


def close_call(token: contextvars.Token[CallFacts | None]) -> None:
    _current.reset(token)


def this_call() -> CallFacts | None:
    return _current.get()


def note_attachment(attachment_id: str) -> None:
    facts = _current.get()
    if facts is not None and attachment_id:
        facts.attachment_id = attachment_id


def note_bytes_in(count: int) -> None:
    facts = _current.get()
    if facts is not None:
        facts.bytes_in += count


def note_bytes_out(count: int) -> None:
    facts = _current.get()
    if facts is not None:
        facts.bytes_out += count


def note_status(code: grpc.StatusCode, reason: str) -> None:
    facts = _current.get()
    if facts is not None:
        facts.code = code
        facts.reason = reason
