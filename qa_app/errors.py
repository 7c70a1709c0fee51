"""What the user reads when something fails: refusals they can act on, and the error pages.

A refusal is a `UserError` raised by a service. A view wraps its service call in `user_errors()`,
which rolls the request back and shows the message (as a flash, or on the form being re-shown);
one that no view catches becomes an error page with the refusal's status. See
docs/architecture.md, "Errors the user reads".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from flask import Flask, flash, g, render_template, request
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from .database import is_transient
from .extensions import db
from .i18n import current_locale, language_for, text_direction
from .logs import request_id

MESSAGES = {
    400: (
        _l("Bad request"),
        _l("The request could not be understood. Reload the page and try again."),
    ),
    403: (_l("Not allowed"), _l("Your account does not have access to this page.")),
    404: (_l("Not found"), _l("There is nothing here, or it is not yours to see.")),
    405: (_l("Method not allowed"), _l("This address does not accept that kind of request.")),
    409: (
        _l("Conflict"),
        _l("The change could not be made because the data changed or is frozen."),
    ),
    413: (_l("File too large"), _l("The upload is larger than this site accepts.")),
    429: (_l("Too many requests"), _l("Slow down and try again in a moment.")),
    500: (_l("Something went wrong"), _l("The error has been logged.")),
    503: (
        _l("Busy, try again"),
        _l("The database is busy or full right now. Nothing was saved; try again."),
    ),
}


# Path prefixes whose errors a slice draws itself (the JSON API: problem+json), for the errors
# that reach no blueprint of theirs, such as an unknown address or method under the prefix.
ERROR_RENDERERS: dict[str, Callable[[HTTPException], Any]] = {}


class UserError(Exception):
    """A refusal worded for the user, in their language: nothing of the request is kept."""

    status = 400  # the error page's code when no view shows the message itself


class Refusal:
    """What `user_errors` caught, if anything: true once a refusal was shown."""

    error: UserError | None = None

    def __bool__(self) -> bool:
        return self.error is not None


@contextmanager
def user_errors(
    into: list[str] | None = None, *, passing: tuple[type[UserError], ...] = ()
) -> Iterator[Refusal]:
    """Roll back on a `UserError` and show it: on `into` (a form's error list) or as a flash.

    The block ends at the refusal and the view carries on after it, typically to re-render the
    form with the user's input or to redirect. Refusals of the `passing` classes go on untouched,
    for the view or the error page to handle.
    """
    refusal = Refusal()
    try:
        yield refusal
    except UserError as error:
        if isinstance(error, passing):
            raise
        db.session.rollback()
        refusal.error = error
        if into is None:
            flash(str(error), "error")
        else:
            into.append(str(error))


def render_error(
    code: int, incident: str | None = None, detail: str | None = None
) -> tuple[str, int]:
    if code in MESSAGES:
        title, message = (str(text) for text in MESSAGES[code])
    else:
        title, message = _("Error %(code)d", code=code), ""
    page = render_template(
        "errors/error.html", code=code, title=title, message=detail or message, incident=incident
    )
    return page, code


def language_without_database() -> str:
    """The request's language from what is already in memory: the busy page must not query.

    The usual selector may load the signed-in user, which needs the busy database; here only a
    user already loaded by this request counts (its loaded state, never a refresh), else the
    browser's choice.
    """
    user = g.get("_login_user")
    state = sa.inspect(user, raiseerr=False) if user is not None else None
    return language_for(state.dict.get("language") if state is not None else None)


def render_busy(app: Flask, language: str) -> str:
    """The "try again" page, drawn without context processors or anything else that queries."""
    with force_locale(language):
        title, message = (str(text) for text in MESSAGES[503])
        return app.jinja_env.get_template("errors/busy.html").render(
            title=title,
            message=message,
            page_language=language,
            page_direction=text_direction(current_locale()),
        )


def _refused(error: UserError) -> tuple[str, int]:
    """A refusal no view showed: the error page, in the refusal's words and with its status."""
    db.session.rollback()
    return render_error(error.status, detail=str(error))


def init_errors(app: Flask) -> None:
    app.register_error_handler(UserError, _refused)

    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError) -> tuple[str, int]:
        return render_error(
            400, detail=_("The form expired or did not come from this site. Reload and try again.")
        )

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> tuple[str, int]:
        if isinstance(error, InternalServerError):
            return _server_error(error)
        for prefix, render in ERROR_RENDERERS.items():
            if request.path.startswith(prefix):
                return render(error)  # type: ignore[no-any-return]
        return render_error(error.code or 500)

    @app.errorhandler(OperationalError)
    def _database(error: OperationalError) -> tuple[str, int] | tuple[str, int, dict[str, str]]:
        language = language_without_database()  # before the rollback expires the loaded user
        db.session.rollback()
        if is_transient(error):
            app.logger.warning("database busy: %s", error.orig)
            return render_busy(app, language), 503, {"Retry-After": "5"}
        return _server_error(error)

    @app.errorhandler(Exception)
    def _server_error(error: BaseException) -> tuple[str, int]:
        db.session.rollback()
        incident = request_id()  # the same id as the request's log line
        app.logger.error("incident %s", incident, exc_info=error)
        return render_error(500, incident=incident)
