"""Which writes make notifications: session listeners, so the slices below never import this one.

Before a flush, the listener notes the rows that matter (an evaluation turned submitted, a new or
decided dispute, a new calibration session, new queue items); after it, when their ids exist, it
adds the notifications to the same session, so they are committed with the write or not at all.
The ids of those to email at once are kept until the commit, then handed to the queue: an email
never leaves for a write that was rolled back. See docs/notifications.md.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import chain
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from ..accounts.models import Role, Team, User, team_members
from ..calibration.models import CalibrationSession
from ..disputes.models import Dispute, DisputeStatus
from ..evaluations.models import Evaluation, EvaluationStatus
from ..sampling.models import Assignment
from .models import Delivery, Notification
from .services import Kind, notify

SEEN = "qa_notify_seen"  # rows noted before the flush
TO_EMAIL = "qa_notify_email"  # notifications to email at once, not yet flushed
EMAIL_IDS = "qa_notify_email_ids"  # their ids, handed to the queue at commit


def _changed_to(obj: Any, name: str, value: Any) -> bool:
    history = inspect(obj).attrs[name].history
    return bool(history.added) and history.added[0] == value and value not in history.deleted


def _changed_from(obj: Any, name: str, value: Any) -> bool:
    history = inspect(obj).attrs[name].history
    return bool(history.deleted) and history.deleted[0] == value and bool(history.added)


def _noted(obj: object, is_new: bool) -> str | None:
    """What a row about to be written means for notifications, if anything."""
    if isinstance(obj, Evaluation) and not obj.is_calibration:
        if obj.status == EvaluationStatus.SUBMITTED and (
            is_new or _changed_to(obj, "status", EvaluationStatus.SUBMITTED)
        ):
            return "evaluation"
    elif isinstance(obj, Dispute):
        if is_new:
            return "dispute"
        if _changed_from(obj, "status", DisputeStatus.OPEN):
            return "decided"
    elif isinstance(obj, CalibrationSession) and is_new:
        return "calibration"
    elif isinstance(obj, Assignment) and is_new:
        return "assignment"
    return None


def _collect(session: Session, _context: Any, _instances: Any) -> None:
    seen: list[tuple[str, Any]] = session.info.setdefault(SEEN, [])
    for obj in chain(session.new, session.dirty):
        what = _noted(obj, obj in session.new)
        if what is not None:
            seen.append((what, obj))


def _team_leads(session: Session, agent_id: int) -> set[int]:
    stmt = (
        sa.select(Team.lead_id)
        .join(team_members, team_members.c.team_id == Team.id)
        .where(team_members.c.agent_id == agent_id, Team.lead_id.is_not(None))
    )
    return {lead for lead in session.scalars(stmt) if lead is not None}


def _deciders(session: Session, evaluation: Evaluation) -> set[int]:
    """Reviewers and admins who may decide: everyone of them but the evaluation's reviewer."""
    stmt = sa.select(User.id).where(User.role.in_((Role.ADMIN, Role.REVIEWER)), User.is_active)
    return set(session.scalars(stmt)) - {evaluation.reviewer_id}


def _on_dispute(session: Session, dispute: Dispute) -> list[Notification]:
    agent_id = dispute.evaluation.interaction.agent_id
    leads = _team_leads(session, agent_id) - {dispute.evaluation.reviewer_id}
    made = notify(session, leads, Kind.DISPUTE_OPENED, dispute.id)
    deciders = _deciders(session, dispute.evaluation) - leads
    return made + notify(session, deciders, Kind.DISPUTE_WAITING, dispute.id)


def _on_assignments(session: Session, rows: list[Assignment]) -> list[Notification]:
    """One notification per reviewer and sampling run, however many items it added."""
    runs: dict[int, set[int]] = {}
    for row in rows:
        runs.setdefault(row.run_id, set()).add(row.reviewer_id)
    made: list[Notification] = []
    for run_id, reviewers in runs.items():
        made += notify(session, reviewers, Kind.QUEUE_ITEMS, run_id)
    return made


HANDLERS: dict[str, Callable[[Session, Any], list[Notification]]] = {
    "evaluation": lambda s, e: notify(s, [e.interaction.agent_id], Kind.EVALUATION_SUBMITTED, e.id),
    "dispute": _on_dispute,
    "decided": lambda s, d: notify(
        s, [d.evaluation.interaction.agent_id], Kind.DISPUTE_DECIDED, d.evaluation_id
    ),
    "calibration": lambda s, c: notify(
        s, {u.id for u in c.participants} - {c.leader_id}, Kind.CALIBRATION_OPENED, c.id
    ),
}


def _make(session: Session, _context: Any) -> None:
    """After a flush: note the ids of new notifications to email, then make the next ones."""
    waiting: list[Notification] = session.info.pop(TO_EMAIL, [])
    ids: list[int] = session.info.setdefault(EMAIL_IDS, [])
    ids += [n.id for n in waiting if n.id is not None]
    seen: list[tuple[str, Any]] = session.info.pop(SEEN, [])
    made: list[Notification] = []
    assignments = [obj for what, obj in seen if what == "assignment"]
    if assignments:
        made += _on_assignments(session, assignments)
    for what, obj in seen:
        if what in HANDLERS:
            made += HANDLERS[what](session, obj)
    session.info[TO_EMAIL] = [n for n in made if n.email == Delivery.EMAIL]


def _send(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint released: the write is not committed yet
    ids = session.info.pop(EMAIL_IDS, [])
    session.info.pop(TO_EMAIL, None)
    task = current_app.extensions.get("notifications.email_task") if ids else None
    for notification_id in ids if task is not None else ():
        task(notification_id)


def _forget(session: Session) -> None:
    for key in (SEEN, TO_EMAIL, EMAIL_IDS):
        session.info.pop(key, None)


def init_events(app: Flask) -> None:
    """Install the session listeners (once per process; each app finds its own email task)."""
    del app
    for name, listener in (
        ("before_flush", _collect),
        ("after_flush_postexec", _make),
        ("after_commit", _send),
        ("after_rollback", _forget),
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
