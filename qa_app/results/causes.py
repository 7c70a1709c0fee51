"""The root causes picked for low scores, counted for the result pages and reports."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..evaluations.models import Evaluation, EvaluationScore, EvaluationStatus
from ..extensions import db
from ..interactions.models import Channel, Interaction
from ..rootcauses.models import RootCause, RootCauseCategory, evaluation_score_causes
from ..scorecards.models import Criterion
from .periods import Filters

if TYPE_CHECKING:
    from .queries import AgentIds


@dataclass(frozen=True)
class CauseCount:
    """One root cause's picks in a scope: how many, their share of all picks, where."""

    category: str
    cause: str
    count: int
    share: float  # percent of every pick in the scope and period
    criteria: list[tuple[str, int]]  # criterion name and picks on it, most first


def root_causes(filters: Filters, agent_ids: AgentIds | None, limit: int = 10) -> list[CauseCount]:
    """The most picked root causes of submitted, non-calibration evaluations (docs/root-causes.md).

    One query, by interaction day like every other result; a score moved above 3 since (by a
    dispute) no longer counts its causes.
    """
    stmt = _picks_per_cause_and_criterion(filters)
    if agent_ids is not None:
        stmt = stmt.where(Interaction.agent_id.in_(agent_ids))
    if filters.channel:
        stmt = stmt.where(Interaction.channel == Channel(filters.channel))
    if filters.scorecard_id is not None:
        stmt = stmt.where(RootCauseCategory.scorecard_id == filters.scorecard_id)
    return _cause_counts(list(db.session.execute(stmt)), limit)


def _picks_per_cause_and_criterion(filters: Filters) -> sa.Select[Any]:
    """Picks of low scores of submitted, non-calibration evaluations in the filter's days,
    counted per cause and criterion."""
    picks = evaluation_score_causes
    return (
        sa.select(RootCause.id, RootCauseCategory.name, RootCause.name, Criterion.name)
        .add_columns(sa.func.count().label("n"))
        .select_from(picks)
        .join(EvaluationScore, EvaluationScore.id == picks.c.evaluation_score_id)
        .join(Evaluation, Evaluation.id == EvaluationScore.evaluation_id)
        .join(Interaction, Interaction.id == Evaluation.interaction_id)
        .join(Criterion, Criterion.id == EvaluationScore.criterion_id)
        .join(RootCause, RootCause.id == picks.c.root_cause_id)
        .join(RootCauseCategory, RootCauseCategory.id == RootCause.category_id)
        .where(
            Evaluation.status == EvaluationStatus.SUBMITTED,
            Evaluation.is_calibration.is_(False),
            EvaluationScore.score <= 3,
            Interaction.occurred_at >= datetime.combine(filters.start, time(), tzinfo=UTC),
            Interaction.occurred_at
            < datetime.combine(filters.end + timedelta(days=1), time(), tzinfo=UTC),
        )
        .group_by(RootCause.id, RootCauseCategory.name, RootCause.name, Criterion.name)
    )


def _cause_counts(rows: list[Any], limit: int) -> list[CauseCount]:
    total = sum(row.n for row in rows)
    by_cause: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        by_cause[row[0]].append(row)
    found = []
    for cause_rows in by_cause.values():
        count = sum(row.n for row in cause_rows)
        criteria = sorted(((row[3], row.n) for row in cause_rows), key=lambda c: (-c[1], c[0]))
        first = cause_rows[0]
        found.append(CauseCount(first[1], first[2], count, count / total * 100, criteria))
    found.sort(key=lambda c: (-c.count, c.category, c.cause))
    return found[:limit]
