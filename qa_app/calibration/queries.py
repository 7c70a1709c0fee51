"""Reads about calibration sessions: who has scored what, and the submitted evaluations."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..evaluations.models import Evaluation, EvaluationStatus
from ..extensions import db
from .models import CalibrationSession


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
