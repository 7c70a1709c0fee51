"""Who a request to /api/v1 acts as: the user of its bearer token, never a session cookie.

A token acts as its user, so every page's access function (visible_evaluations,
interactions_visible_to, team_or_404...) answers for the API exactly as for the pages.
"""

from __future__ import annotations

from flask import g, request
from werkzeug.exceptions import Forbidden, Unauthorized

from ..extensions import db
from . import services

READS = frozenset({"GET", "HEAD", "OPTIONS"})


class TokenMissing(Unauthorized):
    """No usable bearer token: unknown, revoked, expired, or its user deactivated."""


class ReadOnlyToken(Forbidden):
    """A read token on a route that changes data."""


def bearer_value() -> str | None:
    """The token of the Authorization header, if it is a bearer one."""
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def authenticate() -> None:
    """Sign the request in as the token's user for this request only (no cookie is set)."""
    value = bearer_value()
    token = services.find_token(value) if value else None
    if token is None:
        raise TokenMissing()
    if request.method not in READS and not token.can_write:
        raise ReadOnlyToken()
    if services.touch(token):
        db.session.commit()  # the last-used time alone, before the view's own work
    g.api_token = token
    g._login_user = token.user  # current_user for the access functions, as Flask-Login keeps it
