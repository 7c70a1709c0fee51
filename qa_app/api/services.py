"""Personal API tokens: made, looked up, revoked. Services flush; the request commits.

A token is `qas_` followed by 43 characters of `secrets.token_urlsafe(32)`; only its SHA-256 is
stored, so a stolen database holds no usable token. The value is shown once, when it is made.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..audit.models import AuditAction
from ..audit.services import record_event
from ..database import utcnow
from ..extensions import db
from .models import ApiToken

PREFIX = "qas_"  # recognisable in logs and by secret scanners
HINT_CHARS = 8
TOUCH_EVERY = timedelta(minutes=5)  # last-used time: one write per token every few minutes


def token_hash(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


def create_token(
    user: User, name: str, *, can_write: bool, expires_at: datetime | None
) -> tuple[ApiToken, str]:
    """A new token of the user, and its value (shown once, never stored)."""
    value = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        token_hash=token_hash(value),
        hint=value[: len(PREFIX) + HINT_CHARS],
        can_write=can_write,
        expires_at=expires_at,
    )
    db.session.add(token)
    db.session.flush()
    detail = {"token_id": token.id, "user_id": user.id, "can_write": can_write}
    record_event(AuditAction.TOKEN_CREATED, target=f"api token {token.id}", detail=detail)
    return token, value


def revoke_token(token: ApiToken) -> None:
    """Revoke a token for good; revoking it again changes nothing."""
    if token.revoked_at is not None:
        return
    token.revoked_at = utcnow()
    detail = {"token_id": token.id, "user_id": token.user_id}
    record_event(AuditAction.TOKEN_REVOKED, target=f"api token {token.id}", detail=detail)
    db.session.flush()


def find_token(value: str) -> ApiToken | None:
    """The usable token with this value, or None (unknown, revoked, expired, user inactive)."""
    if not value.startswith(PREFIX) or len(value) > 200:
        return None
    stmt = (
        sa.select(ApiToken)
        .where(ApiToken.token_hash == token_hash(value))
        .options(selectinload(ApiToken.user))
    )
    token = db.session.scalar(stmt)
    return token if token is not None and token.is_usable(utcnow()) else None


def touch(token: ApiToken) -> bool:
    """Note that the token was used, at most once every TOUCH_EVERY; True when it wrote."""
    now = utcnow()
    if token.last_used_at is not None and now - token.last_used_at < TOUCH_EVERY:
        return False
    token.last_used_at = now
    db.session.flush()
    return True


def tokens_of(user: User) -> sa.Select[tuple[ApiToken]]:
    """The user's tokens, newest first."""
    return sa.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())


def all_tokens() -> sa.Select[tuple[ApiToken]]:
    """Every user's tokens, newest first, with their users."""
    return sa.select(ApiToken).options(selectinload(ApiToken.user)).order_by(ApiToken.id.desc())
