"""Tables the agent and team reports share: the measures, the criteria and the action plans."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from operator import attrgetter
from typing import Any

import sqlalchemy as sa

from ..extensions import db
from ..plans.models import ActionPlan
from ..plans.services import progress
from ..results.periods import Filters
from ..results.queries import Totals
from ..results.services import CriterionRow, change
from ..scorecards.models import ScorecardVersion
from ..scoring import band
from ..scoring.plans import PlanStatus
from .model import (
    AVERAGE,
    BAD,
    CES,
    CHANGE,
    COUNT,
    DATE,
    DURATION,
    GOOD,
    LONG_TEXT,
    NPS,
    PERCENT,
    SCORE,
    TEXT,
    Column,
    Kind,
    Table,
    Typed,
)

Metric = tuple[str, Kind, Callable[[Totals], Any]]
METRICS: list[Metric] = [
    ("Evaluations", COUNT, attrgetter("evaluations")),
    ("Quality score", SCORE, attrgetter("quality")),
    ("Band", TEXT, lambda totals: band(totals.quality)),
    ("Pass rate", PERCENT, attrgetter("pass_rate")),
    ("Critical fails", COUNT, attrgetter("critical_fails")),
    ("CSAT", PERCENT, attrgetter("csat")),
    ("NPS", NPS, attrgetter("nps")),
    ("CES", CES, attrgetter("ces")),
    ("FCR", PERCENT, attrgetter("fcr")),
    ("AHT", DURATION, attrgetter("aht")),
]
CHANGE_LABEL = "Change against the previous period"
STATUS_KINDS = {PlanStatus.ACHIEVED: GOOD, PlanStatus.MISSED: BAD}


def period_label(filters: Filters) -> str:
    return f"{filters.start.isoformat()} to {filters.end.isoformat()}"


def filter_rows(filters: Filters) -> list[tuple[str, Any]]:
    """The period and the filters, as the first rows of a summary."""
    previous = filters.previous()
    rows: list[tuple[str, Any]] = [
        ("From", Typed(filters.start, DATE)),
        ("To", Typed(filters.end, DATE)),
        ("Compared with", period_label(previous)),
    ]
    if filters.channel:
        rows.append(("Channel", filters.channel.capitalize()))
    if filters.scorecard_id:
        rows.append(("Scorecard", _scorecard_name(filters.scorecard_id)))
    return rows


def _scorecard_name(scorecard_id: int) -> str:
    stmt = sa.select(ScorecardVersion.name).where(ScorecardVersion.scorecard_id == scorecard_id)
    names = db.session.scalars(stmt.order_by(ScorecardVersion.id.desc()).limit(1)).all()
    return names[0] if names else f"Scorecard {scorecard_id}"


def metric_columns() -> list[Column]:
    """The per-agent (or per-team) metric columns, with the change after the band."""
    columns = [Column(label, kind) for label, kind, _ in METRICS]
    columns.insert(3, Column("Change", CHANGE))
    return columns


def metric_values(current: Totals, previous: Totals) -> list[Any]:
    values = [get(current) for _, _, get in METRICS]
    values.insert(3, change(current, previous))
    return values


def measures_table(
    identity: Sequence[tuple[str, Any]],
    current: Totals,
    previous: Totals,
    comparison: tuple[str, Totals] | None = None,
    title: str | None = None,
) -> Table:
    """A summary: who and when, then each measure now, before, and beside a comparison group."""
    columns = [Column("Measure"), Column("This period"), Column("Previous period")]
    groups = [current, previous]
    if comparison is not None:
        columns.append(Column(comparison[0]))
        groups.append(comparison[1])
    rows: list[Sequence[Any]] = [(label, value) for label, value in identity]
    for label, kind, get in METRICS:
        rows.append((label, *(Typed(get(group), kind) for group in groups)))
        if label == "Band":
            rows.append((CHANGE_LABEL, Typed(change(current, previous), CHANGE)))
    return Table(columns, rows, title=title)


def _reading(row: CriterionRow) -> Typed | None:
    if row.is_development:
        return Typed("Development area", BAD)
    if row.is_strength:
        return Typed("Strength", GOOD)
    return None


def criteria_table(rows: Sequence[CriterionRow], title: str | None = None) -> Table:
    """Each criterion's average beside the team's, strengths and development areas marked."""
    columns = [
        Column("Criterion"),
        Column("Average", AVERAGE),
        Column("Scores", COUNT),
        Column("Team average", AVERAGE),
        Column("Difference", CHANGE),
        Column("Strength / development area"),
    ]
    values = [
        (
            row.name,
            row.agent.average if row.agent else None,
            row.agent.scores if row.agent else 0,
            row.team.average if row.team else None,
            row.difference,
            _reading(row),
        )
        for row in rows
    ]
    return Table(columns, values, title=title, color_scale=["Average", "Team average"])


PLAN_COLUMNS = [
    Column("Plan"),
    Column("Starts", DATE),
    Column("Due", DATE),
    Column("Plan status"),
    Column("Criterion"),
    Column("Target", AVERAGE),
    Column("Current average", AVERAGE),
    Column("Scores", COUNT),
    Column("Goal status"),
    Column("Actions", LONG_TEXT),
]


def plans_table(
    plans: Sequence[ActionPlan], today: date | None = None, title: str | None = None
) -> Table:
    """One row per goal of each plan: target, average since the plan started, statuses, actions."""
    rows = []
    for plan in plans:
        status, goals = progress(plan, today)
        for view in goals:
            goal = view.goal
            rows.append(
                (plan.title, plan.starts_on, plan.due_on, _status(status), goal.criterion_name)
                + (float(goal.target_average), view.average, view.scores, _status(view.status))
                + (goal.actions,)
            )
    return Table(PLAN_COLUMNS, rows, title=title)


def _status(status: PlanStatus) -> Typed:
    return Typed(status.value.capitalize(), STATUS_KINDS.get(status, TEXT))
