"""Log lines carry the id of the request (or of the request that queued the job) they belong to.

The web sets :data:`request_id` for each request; the job runner sets it to the id stored with the
job; :class:`RequestIdFilter` copies it onto every log record as ``request_id`` ("-" outside both).
"""

from __future__ import annotations

import logging
import re
import secrets
from contextvars import ContextVar

from pythonjsonlogger.json import JsonFormatter

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

LOG_FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"
_SANE_ID = re.compile(r"[A-Za-z0-9._:-]{8,64}")


def accepted_request_id(offered: str | None) -> str:
    """The client's ``X-Request-Id`` when it is sane (8-64 safe characters), else a fresh one (32 random hex
    digits, as many as a UUID's, without building one)."""
    if offered and _SANE_ID.fullmatch(offered):
        return offered
    return secrets.token_hex(16)


class RequestIdFilter(logging.Filter):
    """Adds ``record.request_id`` from the current context."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get() or "-"
        return True


def json_formatter() -> logging.Formatter:
    """One JSON object per line: time, level, logger, message, request id (and any ``extra`` fields)."""
    return JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
                         rename_fields={"asctime": "time", "levelname": "level", "name": "logger"})


def configure_logging(level: int = logging.INFO, *, json_lines: bool = False) -> None:
    """Give the root logger a handler whose lines show the request id (once per process).

    ``json_lines`` (``CRM_LOG_FORMAT=json``) writes JSON objects for a log collector instead of text.
    """
    root = logging.getLogger()
    if any(isinstance(f, RequestIdFilter) for h in root.handlers for f in h.filters):
        return
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(json_formatter() if json_lines else logging.Formatter(LOG_FORMAT))
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    logging.getLogger("spiff").setLevel(max(level, logging.WARNING))  # a line per task state change otherwise
