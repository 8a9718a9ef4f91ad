"""Log lines you can follow.

Every line logged while a request is handled carries its request id (the client's
`X-Request-ID` when it sends a sane one, else a new one; echoed in the response), and every line
logged while a job runs carries the job id and, once the job knows it, the ticket number — one
logging filter on the handlers, as Redash's job logger does. `LOG_FORMAT=json` writes one JSON
object per line with the same fields, for a log collector.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

REQUEST_ID_HEADER = "X-Request-ID"
# A client's id is logged as given: short, and nothing that could forge a log line.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{8,64}")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s%(context)s: %(message)s"

_fields: ContextVar[dict[str, str] | None] = ContextVar("aduan_log_fields", default=None)


def current_fields() -> dict[str, str]:
    return dict(_fields.get() or {})


@contextmanager
def log_fields(**fields) -> Iterator[None]:
    """Add `fields` to every line logged inside the block (in this thread or greenlet)."""
    token = _fields.set({**current_fields(), **_clean(fields)})
    try:
        yield
    finally:
        _fields.reset(token)


def bind(**fields) -> None:
    """Add `fields` until the enclosing `log_fields` block (or request) ends: a job learns its
    ticket number only once the service has loaded the ticket."""
    if _fields.get() is not None:
        _fields.set({**current_fields(), **_clean(fields)})


def _clean(fields: dict) -> dict[str, str]:
    return {key: str(value) for key, value in fields.items() if value is not None}


def request_id_from(header: str | None) -> str:
    return header if header and _SANE_REQUEST_ID.fullmatch(header) else uuid.uuid4().hex


class ContextFilter(logging.Filter):
    """Puts the current fields on each record: `record.context` (" request_id=… ticket=…" for
    the text format) and `record.log_fields` (for JSON)."""

    def filter(self, record: logging.LogRecord) -> bool:
        fields = _fields.get() or {}
        record.log_fields = fields
        record.context = "".join(f" {key}={value}" for key, value in fields.items())
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **getattr(record, "log_fields", {}),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


def install(log_format: str = "text", logger_names=(None, "gunicorn.error", "rq.worker")) -> None:
    """The filter and the format on every handler of these loggers (gunicorn's and RQ's do not
    propagate to the root). Idempotent: an app built twice in one process installs once."""
    formatter = JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT)
    for name in logger_names:
        for handler in logging.getLogger(name).handlers:
            if not any(isinstance(f, ContextFilter) for f in handler.filters):
                handler.addFilter(ContextFilter())
            handler.setFormatter(formatter)


def register_request_ids(app) -> None:
    """Each request gets an id for its log lines and answers it in `X-Request-ID`."""
    from flask import g, request

    @app.before_request
    def start_request_log_fields() -> None:
        g.request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        g.log_fields_token = _fields.set({**current_fields(), "request_id": g.request_id})

    @app.after_request
    def answer_request_id(response):
        if "request_id" in g:
            response.headers[REQUEST_ID_HEADER] = g.request_id
        return response

    @app.teardown_request
    def end_request_log_fields(exc=None) -> None:
        token = g.pop("log_fields_token", None)
        if token is not None:
            try:
                _fields.reset(token)
            except ValueError:  # set in another context (a streamed response): just clear
                _fields.set(None)
