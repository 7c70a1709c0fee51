"""The stored helpdesk connection: settings, the encrypted token, the connector, the schedule.

The API token is encrypted with the same helper as the model server's key (Fernet under a key
derived from SECRET_KEY, ``admin/services.py``), under a purpose of its own. Requests go only to
the base URL the admin saved: https, or http to 127.0.0.1 (the tests' fake helpdesk).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask_babel import gettext as _

from ..accounts.models import Role, User
from ..admin.services import decrypt_key, encrypt_key, url_problem
from ..audit.models import AuditAction
from ..audit.services import record_event
from ..database import utcnow
from ..extensions import db
from .base import Connector, ConnectorError, HttpSource
from .models import HelpdeskConnection
from .zendesk import ZendeskConnector

ZENDESK = "zendesk"
TOKEN_PURPOSE = b"qa-scorecard: helpdesk API token"
FIRST_PULL_DAYS = 30  # without a start date, the first pull reads the last 30 days
_SUBDOMAIN = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")


def connection(source: str = ZENDESK) -> HelpdeskConnection:
    """The stored connection, or a new empty one (not added to the session)."""
    stmt = sa.select(HelpdeskConnection).where(HelpdeskConnection.source == source)
    return db.session.scalars(stmt).first() or HelpdeskConnection(
        source=source, base_url="", email="", interval_minutes=0
    )


def base_url(entered: str) -> str:
    """A Zendesk subdomain ("acme") becomes its address; an address stays as typed."""
    entered = entered.strip().rstrip("/")
    if _SUBDOMAIN.fullmatch(entered.lower()):
        return f"https://{entered.lower()}.zendesk.com"
    return entered


def address_problem(url: str) -> str | None:
    """Why this base URL may not be used, or None: https, or http to 127.0.0.1 only; no path."""
    problem = url_problem(url)
    if problem:
        return problem
    parts = urlsplit(url)
    if parts.scheme != "https" and parts.hostname != "127.0.0.1":
        return _("Use an https:// address.")
    if parts.path not in ("", "/"):
        return _("Give the helpdesk's address only, without a path.")
    return None


@dataclass(frozen=True)
class NewSettings:
    base_url: str
    email: str
    interval_minutes: int
    start_time: datetime | None
    new_token: str = ""  # empty: keep the stored token


def save_settings(new: NewSettings, admin: User, source: str = ZENDESK) -> HelpdeskConnection:
    """Store the settings; a changed address or start time starts the next pull afresh.

    The change is audited: which settings changed and whether the token was replaced, never
    the token itself.
    """
    row = connection(source)
    values = {
        "base_url": base_url(new.base_url),
        "email": new.email.strip(),
        "interval_minutes": new.interval_minutes,
        "start_time": new.start_time,
    }
    changed = sorted(name for name, value in values.items() if getattr(row, name) != value)
    if {"base_url", "start_time"} & set(changed):
        row.cursor = None
    for name, value in values.items():
        setattr(row, name, value)
    if new.new_token:
        row.api_token_encrypted = encrypt_key(new.new_token, TOKEN_PURPOSE)
    row.updated_by_id = admin.id
    db.session.add(row)
    db.session.flush()
    detail = {"changed": changed, "token_replaced": bool(new.new_token)}
    record_event(AuditAction.SETTINGS_CHANGED, target=f"helpdesk {source}", detail=detail)
    return row


def token_state(row: HelpdeskConnection) -> str:
    """``none``, ``stored`` or ``unreadable`` (stored under another SECRET_KEY)."""
    if not row.api_token_encrypted:
        return "none"
    readable = decrypt_key(row.api_token_encrypted, TOKEN_PURPOSE) is not None
    return "stored" if readable else "unreadable"


def connector(row: HelpdeskConnection) -> Connector:
    """The connector for a saved connection; refused when something it needs is missing."""
    token = decrypt_key(row.api_token_encrypted, TOKEN_PURPOSE)
    if not row.base_url or not row.email or token is None:
        raise ConnectorError(_("Save the address, the email and the API token first."))
    problem = address_problem(row.base_url)
    if problem:
        raise ConnectorError(problem)
    start = row.start_time or utcnow() - timedelta(days=FIRST_PULL_DAYS)
    return ZendeskConnector(HttpSource(row.base_url, (f"{row.email}/token", token)), start)


def is_due(row: HelpdeskConnection, now: datetime) -> bool:
    """A scheduled pull is due: a schedule, a token, and the interval passed since the last."""
    if not row.id or not row.interval_minutes or not row.api_token_encrypted:
        return False
    last = row.last_started_at
    return last is None or now - last >= timedelta(minutes=row.interval_minutes)


def may_own_pulls(user: User | None) -> bool:
    return user is not None and user.is_active and user.role == Role.ADMIN
