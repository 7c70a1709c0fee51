"""Reads about calibration sessions: who has scored what, and the submitted evaluations."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..database import utcnow
from ..evaluations.models import Evaluation, EvaluationStatus
from ..extensions import db
from .models import CalibrationSession, calibration_interactions, calibration_participants


def own_evaluation(session_id: int, interaction_id: int, user_id: int) -> Evaluation | None:
    """The user's evaluation of this interaction in this session, draft or submitted."""
    return db.session.scalar(
        sa.select(Evaluation).where(
            Evaluation.calibration_session_id == session_id,
            Evaluation.interaction_id == interaction_id,
            Evaluation.reviewer_id == user_id,
        )
    )


@dataclass(frozen=True)
class Entry:
    """Where one participant stands with one interaction: no score, only the state."""

    evaluation_id: int
    is_submitted: bool


def progress(session: CalibrationSession) -> dict[tuple[int, int], Entry]:
    """(reviewer id, interaction id) -> how far that evaluation is; scores are not read."""
    stmt = sa.select(
        Evaluation.reviewer_id, Evaluation.interaction_id, Evaluation.id, Evaluation.status
    ).where(Evaluation.calibration_session_id == session.id)
    return {
        (reviewer_id, interaction_id): Entry(evaluation_id, status == EvaluationStatus.SUBMITTED)
        for reviewer_id, interaction_id, evaluation_id, status in db.session.execute(stmt)
    }


def submitted_count(session: CalibrationSession) -> int:
    stmt = sa.select(sa.func.count(Evaluation.id)).where(
        Evaluation.calibration_session_id == session.id,
        Evaluation.status == EvaluationStatus.SUBMITTED,
    )
    return db.session.scalar(stmt) or 0


def has_submitted(session_id: int, user_id: int) -> bool:
    """True when the user submitted at least one evaluation in the session."""
    stmt = sa.select(Evaluation.id).where(
        Evaluation.calibration_session_id == session_id,
        Evaluation.reviewer_id == user_id,
        Evaluation.status == EvaluationStatus.SUBMITTED,
    )
    return db.session.scalar(stmt.limit(1)) is not None


def submitted_evaluations(session_ids: Collection[int]) -> list[Evaluation]:
    """The submitted evaluations of these sessions, with their scores and reviewers."""
    if not session_ids:
        return []
    stmt = (
        sa.select(Evaluation)
        .where(
            Evaluation.calibration_session_id.in_(session_ids),
            Evaluation.status == EvaluationStatus.SUBMITTED,
        )
        .options(selectinload(Evaluation.scores), selectinload(Evaluation.reviewer))
        .order_by(Evaluation.id)
    )
    return list(db.session.scalars(stmt))


def awaiting_scores(user: User) -> sa.Select[tuple[CalibrationSession]]:
    """Running sessions the user takes part in and has not submitted every score of yet."""
    taking_part = sa.select(calibration_participants.c.session_id).where(
        calibration_participants.c.user_id == user.id
    )
    interactions = (
        sa.select(sa.func.count())
        .select_from(calibration_interactions)
        .where(calibration_interactions.c.session_id == CalibrationSession.id)
        .scalar_subquery()
    )
    scored = (
        sa.select(sa.func.count(Evaluation.id))
        .where(
            Evaluation.calibration_session_id == CalibrationSession.id,
            Evaluation.reviewer_id == user.id,
            Evaluation.status == EvaluationStatus.SUBMITTED,
        )
        .scalar_subquery()
    )
    return (
        sa.select(CalibrationSession)
        .where(
            CalibrationSession.id.in_(taking_part),
            CalibrationSession.closed_at.is_(None),
            # The time is read when the statement runs: the menu keeps its built statement.
            CalibrationSession.deadline > sa.bindparam("now", callable_=utcnow),
            scored < interactions,
        )
        .order_by(CalibrationSession.deadline, CalibrationSession.id)
    )
