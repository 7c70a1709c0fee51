"""Deadlines: acknowledge a new evaluation within N days, dispute it within the dispute window.

"Appeal within N days" is the existing dispute window (admin settings, enforced by the disputes
slice); "acknowledge within N days" is a setting of this slice. Both get reminders a day before
they pass, to an agent who has not acknowledged the evaluation yet; leads see the overdue
acknowledgements of their teams on their home page. See docs/notifications.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..accounts.access import agents_led_by
from ..accounts.models import User
from ..admin.models import dispute_window_days, get_setting
from ..database import utcnow
from ..disputes.models import Dispute
from ..evaluations.models import Evaluation, EvaluationStatus
from ..extensions import db
from ..interactions.models import Interaction
from .services import Kind, remind

REMIND_BEFORE = timedelta(days=1)
OVERDUE_SHOWN = 50


def acknowledge_days() -> int:
    """How many days an agent has to acknowledge a submitted evaluation."""
    return int(get_setting("acknowledge_within_days"))


def _unacknowledged() -> sa.Select[tuple[Evaluation]]:
    return (
        sa.select(Evaluation)
        .join(Interaction, Evaluation.interaction_id == Interaction.id)
        .where(
            Evaluation.status == EvaluationStatus.SUBMITTED,
            Evaluation.is_calibration.is_(False),
            Evaluation.acknowledged_at.is_(None),
        )
    )


def overdue_acknowledgements(lead: User) -> Sequence[Evaluation]:
    """The lead's agents' evaluations not acknowledged in time, oldest first."""
    cutoff = utcnow() - timedelta(days=acknowledge_days())
    stmt = (
        _unacknowledged()
        .where(Evaluation.submitted_at < cutoff, Interaction.agent_id.in_(agents_led_by(lead)))
        .options(selectinload(Evaluation.interaction).selectinload(Interaction.agent))
        .order_by(Evaluation.submitted_at, Evaluation.id)
        .limit(OVERDUE_SHOWN)
    )
    return db.session.scalars(stmt).all()


def _closing(days: int, kind: Kind, undisputed: bool) -> int:
    """Remind the agents whose deadline of ``days`` after submission passes within a day."""
    now = utcnow()
    stmt = _unacknowledged().where(
        Evaluation.submitted_at > now - timedelta(days=days),
        Evaluation.submitted_at <= now - timedelta(days=days) + REMIND_BEFORE,
    )
    if undisputed:
        stmt = stmt.where(~sa.exists().where(Dispute.evaluation_id == Evaluation.id))
    rows = db.session.execute(stmt.with_only_columns(Evaluation.id, Interaction.agent_id))
    return sum(remind(kind, evaluation_id, [agent_id]) for evaluation_id, agent_id in rows.all())


def deadline_reminders() -> int:
    """A day before either deadline passes, remind the agent (once per evaluation and kind)."""
    told = _closing(acknowledge_days(), Kind.ACKNOWLEDGE_DUE, undisputed=False)
    return told + _closing(dispute_window_days(), Kind.APPEAL_CLOSING, undisputed=True)
