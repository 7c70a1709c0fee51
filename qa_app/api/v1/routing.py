"""What every API blueprint shares: token sign-in, problem+json errors, cursor pages."""

from __future__ import annotations

import base64
import binascii
import http
from collections.abc import Callable, Sequence
from typing import Any

import marshmallow as ma
import sqlalchemy as sa
from flask import current_app, request
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_smorest import Blueprint
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from ...errors import UserError
from ...extensions import db, limiter
from ...routing import MAX_ID
from .. import access
from ..services import token_hash
from . import problems

PREFIX = "/api/v1"
DEFAULT_LIMIT = 50
MAX_LIMIT = 200
READ_ERRORS = (400, 401, 404, 429)
WRITE_ERRORS = (400, 401, 403, 429)
_CURSOR = b"v1:"


def _token_key() -> str:
    """The rate limit's key of a token: a hash of it, read without the database."""
    return token_hash(access.bearer_value() or "")


def _no_token() -> bool:
    return access.bearer_value() is None


def _limit(name: str) -> Callable[[], str]:
    return lambda: str(current_app.config[name])


def protect(bp: Blueprint) -> Blueprint:
    """Sign the blueprint's requests in by token and answer its errors as problem+json.

    Two rate limits, shared by every API blueprint: per token, and per client address (which
    also holds back guessing). Flask-Limiter checks them before the token is looked up.
    """
    limiter.shared_limit(
        _limit("API_RATE_LIMIT_PER_TOKEN"), "api-token", key_func=_token_key, exempt_when=_no_token
    )(bp)
    limiter.shared_limit(
        _limit("API_RATE_LIMIT_PER_ADDRESS"), "api-address", key_func=get_remote_address
    )(bp)
    bp.before_request(access.authenticate)
    bp.register_error_handler(HTTPException, problems.from_http)
    bp.register_error_handler(UserError, problems.from_refusal)
    bp.register_error_handler(OperationalError, problems.from_exception)
    bp.register_error_handler(Exception, problems.from_exception)
    return bp


def documents(bp: Blueprint, *statuses: int) -> Callable[[Any], Any]:
    """Document the errors a route may answer with (each a problem+json)."""

    def decorate(view: Any) -> Any:
        for status in sorted({*statuses, 401, 429}):
            view = bp.alt_response(status, response=_status_name(status))(view)
        return view

    return decorate


def _status_name(status: int) -> str:
    return http.HTTPStatus(status).name


def body_of(schema: type[ma.Schema]) -> dict[str, Any]:
    """A JSON request body in the document, for a route that checks the body itself."""
    return {"required": True, "content": {"application/json": {"schema": schema}}}


class PageArgs(ma.Schema):
    """The query arguments of every list: where to go on from, and how many."""

    cursor = ma.fields.String(metadata={"description": "next_cursor of the previous page"})
    limit = ma.fields.Integer(
        validate=ma.validate.Range(1, MAX_LIMIT), metadata={"default": DEFAULT_LIMIT}
    )


def page_schema(item: type[ma.Schema]) -> type[ma.Schema]:
    """The schema of a page of items."""
    return ma.Schema.from_dict(
        {
            "items": ma.fields.List(ma.fields.Nested(item), required=True),
            "next_cursor": ma.fields.String(
                allow_none=True,
                required=True,
                metadata={"description": "pass as ?cursor= for the next page; null on the last"},
            ),
        },
        name=f"{item.__name__.removesuffix('Schema')}Page",
    )


def bad_request(field: str, message: str) -> problems.Invalid:
    """A 400 naming the query argument that was not understood."""
    return problems.Invalid({field: [message]})


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(_CURSOR + str(last_id).encode()).decode().rstrip("=")


def decode_cursor(raw: str) -> int:
    """The id a cursor stands for; anything else is a 400."""
    try:
        text = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
    except (binascii.Error, ValueError):
        text = b""
    number = text.removeprefix(_CURSOR)
    if not text.startswith(_CURSOR) or not number.isdigit() or len(number) > 10:
        raise bad_request("cursor", _("This value is not valid."))
    if int(number) > MAX_ID:  # an id no row can have; PostgreSQL would refuse the comparison
        raise bad_request("cursor", _("This value is not valid."))
    return int(number)


def limit_arg() -> int:
    raw = request.args.get("limit", "")
    if not raw:
        return DEFAULT_LIMIT
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise bad_request("limit", _("This value is not valid."))
    return int(raw)


def paged(stmt: sa.Select[Any], id_column: Any) -> dict[str, Any]:
    """One page of a select, newest id first, and the cursor of the next page."""
    limit = limit_arg()
    if raw := request.args.get("cursor"):
        stmt = stmt.where(id_column < decode_cursor(raw))
    rows: Sequence[Any] = db.session.scalars(
        stmt.order_by(None).order_by(id_column.desc()).limit(limit + 1)
    ).all()
    more = len(rows) > limit
    items = list(rows[:limit])
    return {"items": items, "next_cursor": encode_cursor(items[-1].id) if more else None}
