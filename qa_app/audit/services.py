"""Writing audit events: one call per event, in the caller's transaction."""

from __future__ import annotations

import getpass
from typing import Any

from flask import has_request_context, request
from flask_login import current_user

from ..extensions import db
from .models import AuditAction, AuditEvent


def os_user() -> str:
    """Who ran a command, as the operating system names them (a command's events say it)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this user id (a bare container)
        return ""


def record_event(
    action: AuditAction,
    *,
    target: str = "",
    detail: dict[str, Any] | None = None,
    actor_id: int | None = None,
    actor: str | None = None,
) -> AuditEvent:
    """Add one event: who (the signed-in user unless given), what, on what, from where.

    ``detail`` must never hold erased or secret data (passwords, tokens, transcripts): it is kept
    for ever. The event is added to the session; the caller's commit stores it with the change.
    """
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor_id, actor = current_user.id, current_user.email
    event = AuditEvent(
        action=str(action),
        target=target[:200],
        detail=detail or {},
        actor_id=actor_id,
        actor=(actor or "")[:254],
        address=(request.remote_addr or "")[:64] if has_request_context() else "",
    )
    db.session.add(event)
    return event
