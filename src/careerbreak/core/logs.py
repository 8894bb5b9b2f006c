"""Request ids and JSON log lines.

Every request gets an id (`RequestIdMiddleware`): the caller's `X-Request-ID` when it is a short, plain
token (a reverse proxy or load balancer usually sets one), otherwise a new one. The id is echoed in the
response's `X-Request-ID`, kept in a context variable for the duration of the request, and carried into
the background tasks enqueued meanwhile (`careerbreak.core.tasks`), so that one id follows a confirmation
from the browser to the worker that delivered its eBox message.

`RequestIdFilter` puts the id on every log record (`record.request_id`, "-" outside a request or task);
`JsonFormatter` writes one JSON object per line (`LOG_FORMAT=json`, for production log collectors).
"""

from __future__ import annotations

import contextvars
import datetime
import json
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
_META_KEY = "HTTP_X_REQUEST_ID"
# What an incoming id may look like: a UUID, a proxy's hex or base64url token. Anything else (too long,
# spaces, control characters, quotes) is replaced: the id is written into every log line.
_SAFE_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")

request_logger = logging.getLogger("careerbreak.requests")

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)


def current_request_id() -> str | None:
    """The id of the request (or of the request that enqueued the running task), if any."""
    return _request_id.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


def safe_request_id(candidate: str | None) -> str | None:
    """`candidate` when it is a plain token fit for log lines, else None."""
    if candidate and _SAFE_ID.fullmatch(candidate):
        return candidate
    return None


@contextmanager
def request_id_context(request_id: str | None) -> Iterator[None]:
    """Run the block with this request id (None: without one)."""
    token = _request_id.set(request_id)
    try:
        yield
    finally:
        _request_id.reset(token)


class RequestIdMiddleware:
    """Gives each request an id; first in MIDDLEWARE so that every log line of the request carries it.

    With LOG_REQUESTS (production), also logs one line per request: method, path without its query
    string, status and duration (the access log, with the request id, in the application's format).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = safe_request_id(request.META.get(_META_KEY)) or new_request_id()
        request.request_id = request_id  # type: ignore[attr-defined]
        started = time.monotonic()
        with request_id_context(request_id):
            response = self.get_response(request)
            if settings.LOG_REQUESTS:
                request_logger.info(
                    "%s %s %s %.0fms",
                    request.method,
                    request.path,
                    response.status_code,
                    (time.monotonic() - started) * 1000,
                )
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record that passes through the handler ("-" when there is none)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = current_request_id() or "-"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: timestamp (UTC, ISO 8601), level, logger, message, request_id, and the
    exception's traceback as `exc_info` when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "timestamp": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or current_request_id() or "-",
        }
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exc_info"] = record.exc_text
        if record.stack_info:
            entry["stack_info"] = self.formatStack(record.stack_info)
        # ensure_ascii keeps every line plain ASCII whatever the message holds (names with accents).
        return json.dumps(entry, ensure_ascii=True, default=str)
