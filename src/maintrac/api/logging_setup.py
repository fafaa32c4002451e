"""Structured logs: one JSON object per line on stderr, with the request (or job) id and,
when tracing is on, the trace and span id of the line's unit of work."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

from maintrac.observability import context

#: ``json.dumps(entry, default=str)`` builds a new encoder on every call (any keyword
#: argument does); one built once writes the same bytes with the C encoder directly.
_ENCODER = json.JSONEncoder(default=str)

# Record attributes that are not "extra" fields; color_message is uvicorn's ANSI copy.
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {
    "message",
    "asctime",
    "color_message",
}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat().replace("+00:00", "Z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        work = context.current()
        if work is not None:
            if work.request_id:
                entry["requestId"] = work.request_id
            if work.task:
                entry["task"] = work.task
        ids = context.trace_ids()
        if ids is not None:
            entry["traceId"], entry["spanId"] = ids
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return _ENCODER.encode(entry)


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    logging.getLogger("uvicorn.access").disabled = True
