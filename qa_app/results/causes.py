"""The root causes picked for low scores, counted for the result pages and reports."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..extensions import db
from ..interactions.models import Channel
from ..rootcauses.models import RootCause, RootCauseCategory
from ..scorecards.models import Criterion
from .models import AgentDayCauseStats
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

    Read from the kept per-agent-day counts, by interaction day like every other result; a score
    moved above 3 since (by a dispute) no longer counts its causes.
    """
    stats = AgentDayCauseStats
    counted = (
        sa.select(stats.root_cause_id, stats.criterion_id, sa.func.sum(stats.picks).label("n"))
        .where(stats.day >= filters.start, stats.day <= filters.end)
        .group_by(stats.root_cause_id, stats.criterion_id)
    )
    if agent_ids is not None:
        counted = counted.where(stats.agent_id.in_(agent_ids))
    if filters.channel:
        counted = counted.where(stats.channel == Channel(filters.channel).value)
    picks = counted.subquery()
    # The names are joined to the few counted rows, not to every kept row.
    stmt = (
        sa.select(RootCause.id, RootCauseCategory.name, RootCause.name, Criterion.name)
        .add_columns(sa.func.sum(picks.c.n).label("n"))
        .select_from(picks)
        .join(RootCause, RootCause.id == picks.c.root_cause_id)
        .join(RootCauseCategory, RootCauseCategory.id == RootCause.category_id)
        .join(Criterion, Criterion.id == picks.c.criterion_id)
        .group_by(RootCause.id, RootCauseCategory.name, RootCause.name, Criterion.name)
    )
    if filters.scorecard_id is not None:
        stmt = stmt.where(RootCauseCategory.scorecard_id == filters.scorecard_id)
    return _cause_counts(list(db.session.execute(stmt)), limit)


def _cause_counts(rows: list[Any], limit: int) -> list[CauseCount]:
    # PostgreSQL sums a sum of integers as numeric: counts are whole numbers, made ints here.
    rows = [(row[0], row[1], row[2], row[3], int(row.n)) for row in rows]
    total = sum(row[4] for row in rows)
    by_cause: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows:
        by_cause[row[0]].append(row)
    found = []
    for cause_rows in by_cause.values():
        count = sum(row[4] for row in cause_rows)
        criteria = sorted(((row[3], row[4]) for row in cause_rows), key=lambda c: (-c[1], c[0]))
        first = cause_rows[0]
        found.append(CauseCount(first[1], first[2], count, count / total * 100, criteria))
    found.sort(key=lambda c: (-c.count, c.category, c.cause))
    return found[:limit]
