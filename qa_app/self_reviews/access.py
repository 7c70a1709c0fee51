"""Who may open which self-review: the agent their own, a lead their teams', staff all."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from ..accounts.access import agents_led_by
from ..accounts.models import Role, User
from ..extensions import db
from .models import SelfReview, SelfReviewStatus


def visible_self_reviews(user: User) -> sa.Select[tuple[SelfReview]]:
    """A select of the self-reviews this user may see."""
    stmt = sa.select(SelfReview)
    if user.role in (Role.ADMIN, Role.REVIEWER):
        return stmt
    if user.role == Role.LEAD:
        return stmt.where(SelfReview.agent_id.in_(agents_led_by(user)))
    return stmt.where(SelfReview.agent_id == user.id)


def visible_self_review_or_404(review_id: int) -> SelfReview:
    """The self-review, or 404 when it does not exist or is not the user's to see."""
    stmt = visible_self_reviews(current_user).where(SelfReview.id == review_id)
    review = db.session.scalar(stmt)
    if review is None:
        abort(404)
    return review


def own_self_review_or_404(review_id: int) -> SelfReview:
    """A self-review the signed-in agent was asked for; any other id answers 404."""
    review = visible_self_review_or_404(review_id)
    if review.agent_id != current_user.id:
        abort(404)
    return review


def open_for(agent: User) -> sa.Select[tuple[SelfReview]]:
    """The self-reviews the agent was asked for and has not finished, oldest first."""
    return (
        sa.select(SelfReview)
        .where(SelfReview.agent_id == agent.id, SelfReview.status == SelfReviewStatus.OPEN)
        .order_by(SelfReview.created_at, SelfReview.id)
    )
