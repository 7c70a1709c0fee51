"""Self-reviews: an agent scores one of their own interactions (docs/self-review.md).

They live in tables of their own, apart from ``evaluations``: every query of results, trust,
calibration, reports and exports reads ``evaluations`` and so never sees a self-review.
"""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..database import UTCDateTime, string_enum, utcnow
from ..extensions import db
from ..interactions.models import Interaction
from ..scorecards.models import Criterion, ScorecardVersion


class SelfReviewStatus(enum.StrEnum):
    OPEN = "open"  # requested; the agent may keep a draft
    SUBMITTED = "submitted"
    DECLINED = "declined"


class SelfReview(db.Model):
    __tablename__ = "self_reviews"
    # One self-review per interaction: the agent judges each interaction once.
    __table_args__ = (sa.UniqueConstraint("interaction_id", name="uq_self_reviews_interaction"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    interaction_id: Mapped[int] = mapped_column(sa.ForeignKey("interactions.id"))
    # The interaction's agent when asked; kept so access never depends on a later re-import.
    # Its value before a change is loaded even when not yet read: the agent it leaves has their
    # kept result pages renewed too (results/marks.py).
    agent_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id"), index=True, active_history=True
    )
    scorecard_version_id: Mapped[int] = mapped_column(sa.ForeignKey("scorecard_versions.id"))
    requested_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    status: Mapped[SelfReviewStatus] = mapped_column(
        string_enum(SelfReviewStatus, "self_review_status"), default=SelfReviewStatus.OPEN
    )
    # Computed by qa_app.scoring, as for an evaluation; None while incomplete or all N/A.
    score: Mapped[Decimal | None] = mapped_column(sa.Numeric(5, 2))
    is_critical_fail: Mapped[bool] = mapped_column(default=False)
    strengths: Mapped[str] = mapped_column(sa.Text, default="")
    improvements: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # submitted or declined
    lock_version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": lock_version}

    interaction: Mapped[Interaction] = relationship()
    agent: Mapped[User] = relationship(foreign_keys=[agent_id])
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    scorecard_version: Mapped[ScorecardVersion] = relationship()
    scores: Mapped[list[SelfReviewScore]] = relationship(
        back_populates="self_review", cascade="all, delete-orphan"
    )

    # The scoring page (evaluations/form.html) reads these as it does on an evaluation.
    is_calibration = False

    @property
    def is_submitted(self) -> bool:
        return self.status == SelfReviewStatus.SUBMITTED

    @property
    def is_open(self) -> bool:
        return self.status == SelfReviewStatus.OPEN

    def score_for(self, criterion_id: int) -> SelfReviewScore | None:
        return next((s for s in self.scores if s.criterion_id == criterion_id), None)


class SelfReviewScore(db.Model):
    """One criterion's value: 1-5, N/A (is_na), or not answered yet (while open)."""

    __tablename__ = "self_review_scores"
    __table_args__ = (
        sa.UniqueConstraint("self_review_id", "criterion_id", name="uq_self_review_scores_pair"),
        sa.CheckConstraint("score BETWEEN 1 AND 5", name="self_score_range"),
        sa.CheckConstraint("NOT (is_na AND score IS NOT NULL)", name="self_na_has_no_score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    self_review_id: Mapped[int] = mapped_column(
        sa.ForeignKey("self_reviews.id", ondelete="CASCADE")
    )
    criterion_id: Mapped[int] = mapped_column(sa.ForeignKey("criteria.id"), index=True)
    score: Mapped[int | None] = mapped_column(sa.SmallInteger())
    is_na: Mapped[bool] = mapped_column(default=False)
    comment: Mapped[str] = mapped_column(sa.Text, default="")

    self_review: Mapped[SelfReview] = relationship(back_populates="scores")
    criterion: Mapped[Criterion] = relationship()

    @property
    def value(self) -> int | None:
        """The value the scoring rules see: 1-5, or None for N/A."""
        return None if self.is_na else self.score

    @property
    def is_answered(self) -> bool:
        return self.is_na or self.score is not None
