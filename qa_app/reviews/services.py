"""Reviewing a submitted evaluation: who may, and storing the verdicts."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..accounts.models import Role, User
from ..errors import UserError
from ..evaluations.models import Evaluation
from ..extensions import db
from ..scorecards.models import Criterion
from .models import EvaluationReview, ReviewItem, Verdict


class ReviewError(UserError):
    """A review the user cannot make: the evaluation is theirs, a calibration one, or done."""

    status = 409


@dataclass(frozen=True)
class ItemInput:
    verdict: Verdict | None
    comment: str


def may_review(user: User) -> bool:
    """Admins, and reviewers an admin marked as senior reviewers."""
    return user.role == Role.ADMIN or (user.role == Role.REVIEWER and user.is_senior_reviewer)


def review_of(evaluation: Evaluation) -> EvaluationReview | None:
    stmt = sa.select(EvaluationReview).where(EvaluationReview.evaluation_id == evaluation.id)
    return db.session.scalar(stmt)


def review_refusal(evaluation: Evaluation, user: User) -> str | None:
    """Why this user cannot review this evaluation; None when they can."""
    if not may_review(user):
        return _("Only admins and senior reviewers review evaluations.")
    if evaluation.reviewer_id == user.id:
        return _("You cannot review your own evaluation.")
    if evaluation.is_calibration:
        return _("Calibration evaluations are not reviewed.")
    if not evaluation.is_submitted:
        return _("Only submitted evaluations are reviewed.")
    if review_of(evaluation) is not None:
        return _("This evaluation has already been reviewed.")
    return None


def reviewed_criteria(evaluation: Evaluation) -> list[Criterion]:
    """The criteria a review judges: those given a point (N/A ones have none to judge)."""
    scored = {s.criterion_id for s in evaluation.scores if s.value is not None}
    return [c for c in evaluation.scorecard_version.ordered_criteria if c.id in scored]


def save_review(
    evaluation: Evaluation, actor: User, items: dict[int, ItemInput], comment: str
) -> EvaluationReview:
    """Store a review with a verdict on every scored criterion of the evaluation."""
    refusal = review_refusal(evaluation, actor)
    if refusal:
        raise ReviewError(refusal)
    review = EvaluationReview(evaluation=evaluation, reviewed_by_id=actor.id, comment=comment)
    for criterion in reviewed_criteria(evaluation):
        entry = items.get(criterion.id)
        if entry is None or entry.verdict is None:
            message = _('Give a verdict on "%(criterion)s".', criterion=criterion.name)
            raise UserError(message)
        review.items.append(
            ReviewItem(criterion_id=criterion.id, verdict=entry.verdict, comment=entry.comment)
        )
    db.session.add(review)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as exc:  # another senior reviewer saved one meanwhile
        raise ReviewError(_("This evaluation has already been reviewed.")) from exc
    return review
