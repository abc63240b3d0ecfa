"""Log lines as JSON objects, one a line, with the current trace and span ids.

A record's `fields` (logging's `extra={"fields": {...}}`) become keys of its object: the one
line per RPC and per HTTP request carries method, caller, tenant, status, duration and bytes
that way. What is logged is chosen by the code that logs it: file contents, tokens and URL
signatures are never passed to a logger (api/observe.py, http/observe.py).
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from mediagate.telemetry.tracing import trace_ids

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": _iso_time(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        trace_id, span_id = getattr(record, "trace_ids", None) or trace_ids()
        if trace_id:
            line["trace_id"] = trace_id
            line["span_id"] = span_id
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            for key, value in fields.items():
                line.setdefault(key, value)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """The plain format, with a record's fields appended as key=value (for a terminal)."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict) and fields:
            first, newline, rest = text.partition("\n")
            pairs = " ".join(f"{k}={v}" for k, v in fields.items() if v not in ("", None))
            text = f"{first} {pairs}{newline}{rest}"
        return text


def configure(level: str, fmt: str) -> None:
    """Root logging for the server: "json" (the default) or "text"."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)


def _iso_time(created: float) -> str:
    seconds = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(created))
    return f"{seconds}.{int(created % 1 * 1000):03d}Z"
