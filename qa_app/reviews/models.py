"""A senior reviewer's review of a submitted evaluation, criterion by criterion."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..database import UTCDateTime, string_enum, utcnow
from ..evaluations.models import Evaluation
from ..extensions import db
from ..scorecards.models import Criterion


class Verdict(enum.StrEnum):
    """What the senior reviewer thinks of one criterion's point."""

    AGREE = "agree"
    TOO_HIGH = "too_high"
    TOO_LOW = "too_low"


class EvaluationReview(db.Model):
    """One review per evaluation: the reviewer's quality score is read from these."""

    __tablename__ = "evaluation_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("evaluations.id", ondelete="CASCADE"), unique=True
    )
    reviewed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    evaluation: Mapped[Evaluation] = relationship()
    reviewed_by: Mapped[User | None] = relationship()
    items: Mapped[list[ReviewItem]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="ReviewItem.id"
    )


class ReviewItem(db.Model):
    """The verdict on one scored criterion of the reviewed evaluation."""

    __tablename__ = "review_items"
    __table_args__ = (
        sa.UniqueConstraint("review_id", "criterion_id", name="uq_review_items_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(
        sa.ForeignKey("evaluation_reviews.id", ondelete="CASCADE")
    )
    criterion_id: Mapped[int] = mapped_column(sa.ForeignKey("criteria.id"), index=True)
    verdict: Mapped[Verdict] = mapped_column(string_enum(Verdict, "review_verdict"))
    comment: Mapped[str] = mapped_column(sa.Text, default="")

    review: Mapped[EvaluationReview] = relationship(back_populates="items")
    criterion: Mapped[Criterion] = relationship()
