"""Who may open a calibration session, score in it, and read its results.

Scoring is blind: until the leader closes the session or the deadline passes, a calibration
evaluation is visible to its own reviewer only (admins and the leader see who has submitted,
never the scores). Afterwards the results are open to admins, the leader, and the participants
who submitted their own scores.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import aliased

from ..accounts.models import Role, User
from ..database import utcnow
from ..evaluations.models import Evaluation, EvaluationStatus
from ..extensions import db
from ..interactions.models import Interaction
from .models import CalibrationSession, calibration_participants
from .queries import has_submitted


def visible_sessions(user: User) -> sa.Select[tuple[CalibrationSession]]:
    """Sessions the user may open: all for admins, those they lead or take part in for others."""
    stmt = sa.select(CalibrationSession)
    if user.role == Role.ADMIN:
        return stmt
    taking_part = sa.select(calibration_participants.c.session_id).where(
        calibration_participants.c.user_id == user.id
    )
    return stmt.where(
        sa.or_(CalibrationSession.leader_id == user.id, CalibrationSession.id.in_(taking_part))
    )


def session_or_404(session_id: int) -> CalibrationSession:
    stmt = visible_sessions(current_user).where(CalibrationSession.id == session_id)
    found = db.session.scalar(stmt)
    if found is None:
        abort(404)
    return found


def can_manage(session: CalibrationSession, user: User) -> bool:
    """The leader and admins follow the progress and may close the session."""
    return user.role == Role.ADMIN or session.leader_id == user.id


def results_refusal(session: CalibrationSession, user: User) -> str | None:
    """Why the user cannot read the session's results yet; None when they can."""
    if not session.results_open:
        return _("The results open when the leader closes the session or the deadline passes.")
    if can_manage(session, user) or has_submitted(session.id, user.id):
        return None
    return _("You submitted no scores in this session, so its results stay hidden from you.")


def results_open_clause() -> sa.ColumnElement[bool]:
    return sa.or_(
        CalibrationSession.closed_at.is_not(None), CalibrationSession.deadline <= utcnow()
    )


def readable_sessions(user: User) -> sa.Select[Any]:
    """Ids of the sessions whose results the user may read (the SQL form of results_refusal)."""
    stmt = sa.select(CalibrationSession.id).where(results_open_clause())
    if user.role == Role.ADMIN:
        return stmt
    mine = aliased(Evaluation)
    submitted = sa.select(mine.calibration_session_id).where(
        mine.reviewer_id == user.id,
        mine.calibration_session_id.is_not(None),
        mine.status == EvaluationStatus.SUBMITTED,
    )
    return stmt.where(
        sa.or_(CalibrationSession.leader_id == user.id, CalibrationSession.id.in_(submitted))
    )


def evaluation_visible_clause(user: User) -> sa.ColumnElement[bool]:
    """For admins and reviewers: ordinary evaluations, own calibration ones, readable results."""
    return sa.or_(
        Evaluation.is_calibration.is_(False),
        Evaluation.reviewer_id == user.id,
        sa.and_(
            Evaluation.status == EvaluationStatus.SUBMITTED,
            Evaluation.calibration_session_id.in_(readable_sessions(user)),
        ),
    )


def scoring_session_or_404(session_id: int | None, interaction: Interaction) -> CalibrationSession:
    """The session in which the signed-in participant scores this interaction."""
    found = db.session.get(CalibrationSession, session_id) if session_id else None
    if (
        found is None
        or not found.has_participant(current_user)
        or not found.has_interaction(interaction.id)
    ):
        abort(404)
    return found


def is_frozen(evaluation: Evaluation) -> bool:
    """True for a calibration evaluation whose session has ended: it no longer changes."""
    if evaluation.calibration_session_id is None:
        return False
    found = db.session.get(CalibrationSession, evaluation.calibration_session_id)
    return found is not None and found.results_open
