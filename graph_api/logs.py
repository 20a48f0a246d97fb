"""Structured logs: one JSON object per line, with the request id and operation in flight."""

from __future__ import annotations

import logging
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

import orjson

# Set per request by the HTTP middleware (request id) and the GraphQL extension (operation).
REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)
OPERATION: ContextVar[str | None] = ContextVar("operation", default=None)

# `log.info(..., extra={FIELDS: {...}})` adds these keys to the JSON object.
FIELDS = "fields"


class JsonLines(logging.Formatter):
    """A log record as one line of JSON: time, level, logger, message, requestId and
    operation when a request is in flight, the record's extra fields, the exception."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = REQUEST_ID.get()
        if request_id is not None:
            out["requestId"] = request_id
        operation = OPERATION.get()
        if operation is not None:
            out["operation"] = operation
        fields = getattr(record, FIELDS, None)
        if isinstance(fields, dict):
            out.update(fields)
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(out, default=str).decode()


def configure_logging(level: int | str = logging.INFO, *, json: bool = True) -> None:
    """The root logger writes to stderr, as JSON lines or as text; every library's logger
    (uvicorn's too, when uvicorn is started with log_config=None) goes through it."""
    handler = logging.StreamHandler(sys.stderr)
    if json:
        handler.setFormatter(JsonLines())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper() if isinstance(level, str) else level)
    logging.getLogger("neo4j").setLevel(logging.WARNING)
