"""Errors of the API as `application/problem+json` (RFC 9457), in the reader's language.

The titles and details are the error pages' own texts (qa_app/errors.py), and a refusal of a
service (`UserError`) keeps its message, so the API says what the pages say.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import marshmallow as ma
from flask import Response, current_app
from flask_babel import gettext as _
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import BadRequest, HTTPException, InternalServerError

from ...database import is_transient
from ...errors import MESSAGES, UserError
from ...extensions import db
from ...logs import request_id
from ..access import ReadOnlyToken, TokenMissing

MEDIA_TYPE = "application/problem+json"


class ProblemSchema(ma.Schema):
    """An error: RFC 9457 members, and the problems of each field when a request was refused."""

    type = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    status = ma.fields.Integer(required=True)
    detail = ma.fields.String()
    errors = ma.fields.Dict(
        keys=ma.fields.String(), values=ma.fields.List(ma.fields.String()),
        metadata={"description": "field name -> its problems, in the reader's language"},
    )  # fmt: skip
    rows = ma.fields.List(ma.fields.Dict(), metadata={"description": "a bulk create's report"})
    incident = ma.fields.String()


class Invalid(BadRequest):
    """A 400 with the problems of each field (query argument or body member)."""

    def __init__(self, errors: dict[str, list[str]], **extra: Any) -> None:
        super().__init__()
        self.errors, self.extra = errors, extra


def problems_by_field(found: Iterable[tuple[str | None, str]]) -> dict[str, list[str]]:
    """(column, reason) pairs as the `errors` member: reasons by field, "" for the whole."""
    errors: dict[str, list[str]] = {}
    for column, reason in found:
        errors.setdefault(column or "", []).append(str(reason))
    return errors


def problem(
    status: int,
    detail: str | None = None,
    *,
    errors: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    """A problem+json answer with the error page's title and, by default, its message."""
    title, message = (str(text) for text in MESSAGES.get(status, (_("Error"), "")))
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail or message:
        body["detail"] = detail or message
    if errors:
        body["errors"] = errors
    body.update(extra)
    response = Response(json.dumps(body, ensure_ascii=False), status, mimetype=MEDIA_TYPE)
    response.headers.update(headers or {})
    return response


def from_http(error: HTTPException) -> Response:
    status = error.code or 500
    if isinstance(error, InternalServerError):
        return from_exception(error)
    headers = {}
    if isinstance(error, TokenMissing):
        headers["WWW-Authenticate"] = 'Bearer realm="api", error="invalid_token"'
        detail = _("Send a valid API token: Authorization: Bearer <token>.")
        return problem(401, detail, headers=headers)
    if isinstance(error, ReadOnlyToken):
        return problem(403, _("This token may only read. Make a token that may also write."))
    if error.code == 405 and error.valid_methods:  # type: ignore[attr-defined]
        headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
    if isinstance(error, Invalid):
        return problem(400, errors=error.errors, **error.extra)
    retry = getattr(error, "retry_after", None)
    if status == 429 and retry:
        headers["Retry-After"] = str(retry)
    return problem(status, headers=headers)


def from_refusal(error: UserError) -> Response:
    db.session.rollback()
    return problem(error.status, str(error))


def from_exception(error: BaseException) -> Response:
    """A database that is busy answers 503 "try again"; anything else 500 with an incident id."""
    db.session.rollback()
    original = getattr(error, "original_exception", None) or error
    if isinstance(original, OperationalError) and is_transient(original):
        current_app.logger.warning("database busy: %s", original)
        return problem(503, headers={"Retry-After": "5"})
    incident = request_id()
    current_app.logger.error("incident %s", incident, exc_info=original)
    return problem(500, incident=incident)
