"""Reminders made by the clock, not by a write: plans due or achieved, sessions closing; digests.

The worker runs them (hourly and daily, qa_app/notifications/tasks.py) and so does
`flask notifications send-due`. Each reminder is made once per person and object.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import sqlalchemy as sa

from ..accounts.models import User
from ..calibration.models import CalibrationSession
from ..database import utcnow
from ..extensions import db
from ..plans.models import ActionPlan
from ..plans.services import statuses, today
from ..scoring.plans import PlanStatus
from . import mail
from .models import Delivery, Notification
from .services import Kind, remind

logger = logging.getLogger(__name__)
PLAN_DUE_DAYS = 3  # a plan is "due soon" this many days before its due date
CLOSING_HOURS = 24  # a calibration session is "closing soon" this long before its deadline


def _plan_people(plan: ActionPlan) -> set[int]:
    return {plan.agent_id} | ({plan.created_by_id} if plan.created_by_id else set())


def plan_reminders() -> int:
    """Plans due within a few days, and running plans whose goals are all met."""
    on = today()
    running = db.session.scalars(
        sa.select(ActionPlan).where(ActionPlan.starts_on <= on, ActionPlan.due_on >= on)
    ).all()
    told = 0
    for plan, status in zip(running, statuses(running, on).values(), strict=True):
        if status == PlanStatus.ACHIEVED:
            told += remind(Kind.PLAN_ACHIEVED, plan.id, _plan_people(plan))
        elif plan.due_on <= on + timedelta(days=PLAN_DUE_DAYS):
            told += remind(Kind.PLAN_DUE, plan.id, _plan_people(plan))
    return told


def calibration_reminders() -> int:
    """Open sessions whose deadline falls within the next day, to their participants."""
    now = utcnow()
    closing = db.session.scalars(
        sa.select(CalibrationSession).where(
            CalibrationSession.closed_at.is_(None),
            CalibrationSession.deadline > now,
            CalibrationSession.deadline <= now + timedelta(hours=CLOSING_HOURS),
        )
    ).all()
    told = 0
    for session in closing:
        told += remind(Kind.CALIBRATION_CLOSING, session.id, {u.id for u in session.participants})
    return told


def send_digests() -> int:
    """One email per person gathering their digest notifications not yet emailed."""
    if not mail.mail_enabled():
        return 0
    waiting = db.session.scalars(
        sa.select(Notification)
        .where(Notification.email == Delivery.DIGEST, Notification.emailed_at.is_(None))
        .order_by(Notification.recipient_id, Notification.created_at, Notification.id)
    ).all()
    by_user: dict[int, list[Notification]] = {}
    for notification in waiting:
        by_user.setdefault(notification.recipient_id, []).append(notification)
    sent = 0
    for user_id, items in by_user.items():
        user = db.session.get(User, user_id)
        if user is None or not user.is_active:
            continue
        try:
            mail.send_digest(user, items)
        except Exception:
            logger.exception("The digest of user %s could not be sent", user_id)
            continue
        for notification in items:
            notification.emailed_at = utcnow()
        db.session.commit()  # an email sent is recorded at once: never sent twice
        sent += 1
    return sent


def send_now(notification_id: int) -> None:
    """Email one notification (the queue retries when the SMTP server fails)."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.emailed_at is not None or not mail.mail_enabled():
        return
    mail.send_one(notification)
    notification.emailed_at = utcnow()
    db.session.commit()
