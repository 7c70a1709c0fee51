"""Logs: one line per request with a request id, as JSON in production and readable locally.

structlog renders every record of the app's standard-library logger (Flask's `app.logger`, the
request lines, the error handler's incidents), so one setting decides the format of all of them.
"""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid
from typing import Any

import sqlalchemy as sa
import structlog
from flask import Flask, g, has_request_context, request
from flask.logging import default_handler
from werkzeug.wrappers import Response

REQUEST_ID_HEADER = "X-Request-ID"
# A proxy's id is kept only when it is short and harmless to print in logs and on error pages.
VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
REQUEST_FIELDS = ("request_id", "user_id", "method", "path", "status", "duration_ms")


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to the sys.stderr of the moment (a test's capture or a reopened stream)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def _add_request_id(_logger: Any, _method: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    """Every line written while a request runs carries its id, incidents included."""
    if has_request_context() and "request_id" not in event_dict:
        event_dict["request_id"] = g.get("request_id")
    return event_dict


def make_formatter(log_format: str) -> structlog.stdlib.ProcessorFormatter:
    """A formatter for "json" (one object per line) or "console" (aligned text)."""
    if log_format == "json":
        final: list[Any] = [
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ]
    elif log_format == "console":
        final = [structlog.dev.ConsoleRenderer(colors=False)]
    else:
        raise RuntimeError(f'LOG_FORMAT must be "json" or "console"; got {log_format!r}')
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[
            structlog.stdlib.add_log_level,
            structlog.stdlib.add_logger_name,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.stdlib.ExtraAdder(allow=REQUEST_FIELDS),
            _add_request_id,
        ],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *final],
    )


def _install_handler(app: Flask) -> None:
    """Replace Flask's default handler (and ours from an earlier app) on the app's logger."""
    handler = _StderrHandler()
    handler.setFormatter(make_formatter(app.config.get("LOG_FORMAT") or "console"))
    handler.qa_app_handler = True  # type: ignore[attr-defined]
    logger = app.logger
    for old in list(logger.handlers):
        if old is default_handler or getattr(old, "qa_app_handler", False):
            logger.removeHandler(old)
    logger.addHandler(handler)
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.INFO)


def _loaded_user_id() -> int | None:
    """The id of the user this request already loaded; never a query (health checks stay cheap)."""
    state = sa.inspect(g.get("_login_user"), raiseerr=False)
    if state is None or state.identity is None:
        return None
    return int(state.identity[0])


def request_id() -> str:
    """This request's id: the proxy's when valid, else a new one."""
    if "request_id" not in g:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        valid = VALID_REQUEST_ID.fullmatch(incoming)
        g.request_id = incoming if valid else uuid.uuid4().hex
    return str(g.request_id)


def init_logging(app: Flask) -> None:
    """Install the log format and the per-request line."""
    _install_handler(app)
    request_logger = app.logger.getChild("request")

    @app.before_request
    def _start() -> None:
        g.request_started = time.perf_counter()
        request_id()

    @app.after_request
    def _log(response: Response) -> Response:
        started = g.get("request_started", time.perf_counter())
        fields = {
            "request_id": request_id(),
            "user_id": _loaded_user_id(),
            "method": request.method,
            "path": request.path,  # never the query string: it may carry personal data
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        }
        request_logger.info("request", extra=fields)
        response.headers[REQUEST_ID_HEADER] = fields["request_id"]
        return response
