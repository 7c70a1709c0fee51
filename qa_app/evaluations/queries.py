"""Reads of evaluations waiting for someone: a reviewer's drafts, an agent's unread ones."""

from __future__ import annotations

import sqlalchemy as sa

from ..accounts.models import User
from .access import visible_evaluations
from .models import Evaluation, EvaluationStatus


def own_drafts(reviewer: User) -> sa.Select[tuple[Evaluation]]:
    """The reviewer's unfinished evaluations (calibration ones are counted by their session)."""
    return (
        sa.select(Evaluation)
        .where(
            Evaluation.reviewer_id == reviewer.id,
            Evaluation.status == EvaluationStatus.DRAFT,
            Evaluation.is_calibration.is_(False),
        )
        .order_by(Evaluation.updated_at.desc(), Evaluation.id.desc())
    )


def unread_by(agent: User) -> sa.Select[tuple[Evaluation]]:
    """The agent's evaluations they may read and have not acknowledged yet, newest first."""
    return (
        visible_evaluations(agent)
        .where(Evaluation.acknowledged_at.is_(None))
        .order_by(Evaluation.submitted_at.desc(), Evaluation.id.desc())
    )
