"""Generic error pages: no stack traces, an incident id for server errors."""

from __future__ import annotations

import uuid

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from .database import is_transient
from .extensions import db

MESSAGES = {
    400: ("Bad request", "The request could not be understood. Reload the page and try again."),
    403: ("Not allowed", "Your account does not have access to this page."),
    404: ("Not found", "There is nothing here, or it is not yours to see."),
    405: ("Method not allowed", "This address does not accept that kind of request."),
    409: ("Conflict", "The change could not be made because the data changed or is frozen."),
    413: ("File too large", "The upload is larger than this site accepts."),
    429: ("Too many requests", "Slow down and try again in a moment."),
    500: ("Something went wrong", "The error has been logged."),
    503: (
        "Busy, try again",
        "The database is busy or full right now. Nothing was saved; try again.",
    ),
}


def render_error(
    code: int, incident: str | None = None, detail: str | None = None
) -> tuple[str, int]:
    title, message = MESSAGES.get(code, (f"Error {code}", ""))
    page = render_template(
        "errors/error.html", code=code, title=title, message=detail or message, incident=incident
    )
    return page, code


def init_errors(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError) -> tuple[str, int]:
        return render_error(
            400, detail="The form expired or did not come from this site. Reload and try again."
        )

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> tuple[str, int]:
        if isinstance(error, InternalServerError):
            return _server_error(error)
        return render_error(error.code or 500)

    @app.errorhandler(OperationalError)
    def _database(error: OperationalError) -> tuple[str, int] | tuple[str, int, dict[str, str]]:
        db.session.rollback()
        if is_transient(error):
            app.logger.warning("database busy: %s", error.orig)
            # Rendered without context processors: loading the signed-in user would need the
            # busy database again.
            title, message = MESSAGES[503]
            page = app.jinja_env.get_template("errors/busy.html").render(
                title=title, message=message
            )
            return page, 503, {"Retry-After": "5"}
        return _server_error(error)

    @app.errorhandler(Exception)
    def _server_error(error: BaseException) -> tuple[str, int]:
        db.session.rollback()
        incident = uuid.uuid4().hex[:12]
        app.logger.error("incident %s", incident, exc_info=error)
        return render_error(500, incident=incident)
