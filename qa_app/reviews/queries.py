"""Reads of the reviewer pages: evaluations to review and one reviewer's quality figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..accounts.models import Role, User
from ..database import utcnow
from ..disputes.models import Dispute, DisputeStatus
from ..evaluations.models import Evaluation, EvaluationScore, EvaluationStatus
from ..extensions import db
from ..interactions.models import Interaction
from ..scorecards.models import Criterion, ScorecardVersion
from ..scoring.reviewers import Drift, ScoredPoint, percent, reviewer_drift
from .models import EvaluationReview, ReviewItem, Verdict

QUEUE_LIMIT = 100
RECENT_REVIEWS = 20
DRIFT_MONTHS = 12


def _counted() -> sa.ColumnElement[bool]:
    """Submitted evaluations outside calibration: the ones that make a reviewer's record."""
    return sa.and_(
        Evaluation.status == EvaluationStatus.SUBMITTED, Evaluation.is_calibration.is_(False)
    )


def to_review(user: User, reviewer_id: int | None) -> list[Evaluation]:
    """Recent submitted evaluations of others that nobody has reviewed yet, newest first."""
    reviewed = sa.select(EvaluationReview.evaluation_id)
    stmt = (
        sa.select(Evaluation)
        .where(_counted(), Evaluation.reviewer_id != user.id, Evaluation.id.not_in(reviewed))
        .order_by(Evaluation.submitted_at.desc(), Evaluation.id.desc())
        .limit(QUEUE_LIMIT)
        .options(
            selectinload(Evaluation.interaction).selectinload(Interaction.agent),
            selectinload(Evaluation.reviewer),
            selectinload(Evaluation.scorecard_version),
        )
    )
    if reviewer_id:
        stmt = stmt.where(Evaluation.reviewer_id == reviewer_id)
    return list(db.session.scalars(stmt))


def scorers() -> list[User]:
    """Users whose evaluations can be reviewed: reviewers and admins."""
    stmt = (
        sa.select(User)
        .where(User.role.in_((Role.REVIEWER, Role.ADMIN)))
        .order_by(User.display_name, User.id)
    )
    return list(db.session.scalars(stmt))


@dataclass(frozen=True)
class Quality:
    """What the reviewer quality page shows (docs/reviewer-quality.md)."""

    verdicts: dict[Verdict, int]
    evaluations: int
    disputes: int
    decided: int
    adjusted: int
    drift: list[Drift]

    @property
    def reviewed_points(self) -> int:
        return sum(self.verdicts.values())

    @property
    def quality_score(self) -> float | None:
        return percent(self.verdicts[Verdict.AGREE], self.reviewed_points)

    @property
    def dispute_rate(self) -> float | None:
        return percent(self.disputes, self.evaluations)

    @property
    def against_share(self) -> float | None:
        return percent(self.adjusted, self.decided)


def quality(reviewer: User) -> Quality:
    return Quality(
        verdicts=_verdicts(reviewer.id),
        evaluations=db.session.scalar(
            sa.select(sa.func.count(Evaluation.id)).where(
                _counted(), Evaluation.reviewer_id == reviewer.id
            )
        )
        or 0,
        **_dispute_counts(reviewer.id),
        drift=[
            d for d in reviewer_drift(drift_points(reviewer.id)) if d.reviewer_id == reviewer.id
        ],
    )


def recent_reviews(reviewer: User) -> list[EvaluationReview]:
    """The latest reviews of this reviewer's evaluations, with their verdicts, newest first."""
    stmt = (
        sa.select(EvaluationReview)
        .join(EvaluationReview.evaluation)
        .where(Evaluation.reviewer_id == reviewer.id)
        .order_by(EvaluationReview.created_at.desc(), EvaluationReview.id.desc())
        .limit(RECENT_REVIEWS)
        .options(
            selectinload(EvaluationReview.items).selectinload(ReviewItem.criterion),
            selectinload(EvaluationReview.evaluation).selectinload(Evaluation.interaction),
            selectinload(EvaluationReview.reviewed_by),
        )
    )
    return list(db.session.scalars(stmt))


def _verdicts(reviewer_id: int) -> dict[Verdict, int]:
    stmt = (
        sa.select(ReviewItem.verdict, sa.func.count(ReviewItem.id))
        .join(ReviewItem.review)
        .join(EvaluationReview.evaluation)
        .where(Evaluation.reviewer_id == reviewer_id)
        .group_by(ReviewItem.verdict)
    )
    counts = {verdict: 0 for verdict in Verdict}
    counts.update({verdict: count for verdict, count in db.session.execute(stmt).all()})
    return counts


def _dispute_counts(reviewer_id: int) -> dict[str, int]:
    """Disputes on the reviewer's evaluations: all, decided, and decided by changing scores."""
    decided = Dispute.status != DisputeStatus.OPEN
    stmt = (
        sa.select(
            sa.func.count(Dispute.id),
            sa.func.count(Dispute.id).filter(decided),
            sa.func.count(Dispute.id).filter(Dispute.status == DisputeStatus.ADJUSTED),
        )
        .join(Dispute.evaluation)
        .where(_counted(), Evaluation.reviewer_id == reviewer_id)
    )
    disputes, decided_count, adjusted = db.session.execute(stmt).one()
    return {"disputes": disputes, "decided": decided_count, "adjusted": adjusted}


def drift_start(now: datetime | None = None) -> datetime:
    """The first day of the oldest month the drift covers, in UTC."""
    start = (now or utcnow()).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    for _ in range(DRIFT_MONTHS - 1):
        start = (start - timedelta(days=1)).replace(day=1)
    return start


def drift_points(reviewer_id: int) -> list[ScoredPoint]:
    """Every point given on the scorecards this reviewer used, by all reviewers, since the start."""
    since = drift_start()
    used = _scorecards_used(reviewer_id, since)
    stmt = (
        sa.select(
            Evaluation.reviewer_id,
            Evaluation.id,
            ScorecardVersion.scorecard_id,
            Criterion.key,
            Evaluation.submitted_at,
            EvaluationScore.score,
        )
        .join(EvaluationScore.evaluation)
        .join(EvaluationScore.criterion)
        .join(ScorecardVersion, Evaluation.scorecard_version_id == ScorecardVersion.id)
        .where(
            _counted(),
            Evaluation.submitted_at >= since,
            EvaluationScore.score.is_not(None),
            EvaluationScore.is_na.is_(False),
            ScorecardVersion.scorecard_id.in_(used),
        )
    )
    return [
        ScoredPoint(reviewer, evaluation, (scorecard, key), f"{at:%Y-%m}", point)
        for reviewer, evaluation, scorecard, key, at, point in db.session.execute(stmt)
    ]


def _scorecards_used(reviewer_id: int, since: datetime) -> sa.Select[tuple[int]]:
    """The scorecards of the reviewer's counted evaluations submitted since the moment."""
    return (
        sa.select(ScorecardVersion.scorecard_id)
        .join(Evaluation, Evaluation.scorecard_version_id == ScorecardVersion.id)
        .where(_counted(), Evaluation.reviewer_id == reviewer_id, Evaluation.submitted_at >= since)
    )
