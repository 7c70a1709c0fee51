"""Build and refresh the result aggregates from the base tables with INSERT ... SELECT GROUP BY.

Evaluation rows are reached through the submitted evaluations; interaction rows (the customer
metrics, kept by interaction_aggregates.py) through the interactions themselves, so an
interaction counts there once, evaluated or not.
Evaluation counts are split by whether a spotlight plan targeted the interaction; criterion values
are not (strengths and coaching read every evaluation).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..bulk import analyze
from ..database import take_turns
from ..evaluations.models import Evaluation, EvaluationScore, EvaluationStatus, PickReason
from ..interactions.models import Channel, Interaction
from ..rootcauses.models import evaluation_score_causes
from ..scorecards.models import Criterion, ScorecardVersion
from . import marks, rollups
from .families import CRITERIA, STATS
from .interaction_aggregates import INTERACTION_COLUMNS, interaction_select
from .models import (
    AgentDayCauseStats,
    AgentDayCriterionStats,
    AgentDayInteractionStats,
    AgentDayStats,
)
from .sql import count_if, iso_week_start, utc_day


@dataclass(frozen=True)
class Bucket:
    """The aggregate rows an evaluation counts in: one per pick kind (targeted or not) found."""

    agent_id: int
    day: date
    channel: str
    scorecard_id: int


def _keys(occurred: Any) -> list[Any]:
    return [
        Interaction.agent_id,
        utc_day(occurred).label("day"),
        Interaction.channel,
        ScorecardVersion.scorecard_id,
        iso_week_start(occurred).label("week_start"),
    ]


def _band(low: float | None, high: float | None) -> sa.ColumnElement[int]:
    condition = Evaluation.score.is_not(None)
    if low is not None:
        condition = sa.and_(condition, Evaluation.score >= low)
    if high is not None:
        condition = sa.and_(condition, Evaluation.score < high)
    return count_if(condition)


def _base(stmt: sa.Select[Any], bucket: Bucket | None) -> sa.Select[Any]:
    stmt = stmt.where(
        Evaluation.status == EvaluationStatus.SUBMITTED, Evaluation.is_calibration.is_(False)
    )
    if bucket is None:
        return stmt
    start = datetime.combine(bucket.day, time(), tzinfo=UTC)
    return stmt.where(
        Interaction.agent_id == bucket.agent_id,
        Interaction.channel == Channel(bucket.channel),
        ScorecardVersion.scorecard_id == bucket.scorecard_id,
        Interaction.occurred_at >= start,
        Interaction.occurred_at < start + timedelta(days=1),
    )


def stats_select(bucket: Bucket | None = None) -> sa.Select[Any]:
    """Per agent, day, channel, scorecard and targeted or not: counts and sums of the submitted
    evaluations."""
    targeted = (Evaluation.picked == PickReason.TARGETED).label("targeted")
    keys = [*_keys(Interaction.occurred_at), targeted]
    sums = [
        sa.func.count(Evaluation.id),
        sa.func.count(Evaluation.score),
        sa.func.coalesce(sa.func.sum(Evaluation.score), 0),
        count_if(Evaluation.score >= ScorecardVersion.pass_mark),
        count_if(Evaluation.is_critical_fail.is_(True)),
        _band(90, None),
        _band(75, 90),
        _band(60, 75),
        _band(40, 60),
        _band(None, 40),
    ]
    stmt = (
        sa.select(*keys, *sums)
        .select_from(Evaluation)
        .join(Evaluation.interaction)
        .join(Evaluation.scorecard_version)
    )
    return _base(stmt, bucket).group_by(*keys)


STATS_KEYS = ["agent_id", "day", "channel", "scorecard_id", "week_start", "targeted"]
STATS_COLUMNS = [*STATS_KEYS, *STATS.sums]
CRITERION_COLUMNS = [
    "agent_id",
    "day",
    "channel",
    "scorecard_id",
    "week_start",
    "criterion_key",
    "scores",
    "value_sum",
]


def criterion_select(bucket: Bucket | None = None) -> sa.Select[Any]:
    """Per bucket and criterion key: how many 1-5 values were given and their sum."""
    keys = [*_keys(Interaction.occurred_at), Criterion.key]
    stmt = (
        sa.select(
            *keys,
            sa.func.count(EvaluationScore.score),
            sa.func.coalesce(sa.func.sum(EvaluationScore.score), 0),
        )
        .select_from(EvaluationScore)
        .join(EvaluationScore.evaluation)
        .join(Evaluation.interaction)
        .join(Evaluation.scorecard_version)
        .join(EvaluationScore.criterion)
        .where(EvaluationScore.score.is_not(None))
    )
    return _base(stmt, bucket).group_by(*keys)


CAUSE_COLUMNS = [
    "agent_id",
    "day",
    "channel",
    "scorecard_id",
    "root_cause_id",
    "criterion_id",
    "picks",
]


def cause_select(bucket: Bucket | None = None) -> sa.Select[Any]:
    """Per bucket, root cause and criterion: how many scores of 1-3 picked that cause. A score
    raised above 3 since (by a dispute) keeps its picks but no longer counts them."""
    picks = evaluation_score_causes
    keys = [
        Interaction.agent_id,
        utc_day(Interaction.occurred_at).label("day"),
        Interaction.channel,
        ScorecardVersion.scorecard_id,
        picks.c.root_cause_id,
        EvaluationScore.criterion_id,
    ]
    stmt = (
        sa.select(*keys, sa.func.count())
        .select_from(picks)
        .join(EvaluationScore, EvaluationScore.id == picks.c.evaluation_score_id)
        .join(Evaluation, Evaluation.id == EvaluationScore.evaluation_id)
        .join(Evaluation.interaction)
        .join(Evaluation.scorecard_version)
        .where(EvaluationScore.score <= 3)
    )
    return _base(stmt, bucket).group_by(*keys)


def _delete(model: type[Any], bucket: Bucket) -> sa.Delete:
    return sa.delete(model).where(
        model.agent_id == bucket.agent_id,
        model.day == bucket.day,
        model.channel == bucket.channel,
        model.scorecard_id == bucket.scorecard_id,
    )


def refresh(connection: Connection, buckets: set[Bucket]) -> None:
    """Recompute the given buckets from the base tables, then their weeks and months.

    Delete-then-insert is only right when one transaction at a time does it for a bucket: two
    requests on two servers would both insert the row (docs/deploy.md), so they take turns, for
    the days and for the weeks and months that hold them, all in one call (one fixed order).
    """
    days = {(bucket.agent_id, bucket.day) for bucket in buckets}
    take_turns(
        connection,
        *(f"agent-day-stats:{bucket}" for bucket in buckets),
        *rollups.lock_names((STATS, CRITERIA), days),
    )
    for bucket in buckets:
        connection.execute(_delete(AgentDayStats, bucket))
        connection.execute(_delete(AgentDayCriterionStats, bucket))
        connection.execute(_delete(AgentDayCauseStats, bucket))
        connection.execute(
            sa.insert(AgentDayStats).from_select(STATS_COLUMNS, stats_select(bucket))
        )
        connection.execute(
            sa.insert(AgentDayCriterionStats).from_select(
                CRITERION_COLUMNS, criterion_select(bucket)
            )
        )
        connection.execute(
            sa.insert(AgentDayCauseStats).from_select(CAUSE_COLUMNS, cause_select(bucket))
        )
    rollups.refresh_rollups(connection, (STATS, CRITERIA), days)


def _steps() -> list[Any]:
    """Rollups emptied first and filled last: they are summed from the daily rows."""
    return [
        *rollups.delete_all(),
        sa.delete(AgentDayCriterionStats),
        sa.delete(AgentDayCauseStats),
        sa.delete(AgentDayStats),
        sa.delete(AgentDayInteractionStats),
        sa.insert(AgentDayStats).from_select(STATS_COLUMNS, stats_select()),
        sa.insert(AgentDayCriterionStats).from_select(CRITERION_COLUMNS, criterion_select()),
        sa.insert(AgentDayInteractionStats).from_select(INTERACTION_COLUMNS, interaction_select()),
        sa.insert(AgentDayCauseStats).from_select(CAUSE_COLUMNS, cause_select()),
        *rollups.build_all(),
    ]


# What `rebuild` reports progress in: the deletes and inserts, then one ANALYZE.
REBUILD_STEPS = len(_steps()) + 1


def rebuild(connection: Connection, progress: Callable[[int], None] | None = None) -> None:
    """Throw every aggregate away and build them again from the base tables.

    `progress` hears the steps done (of REBUILD_STEPS); what it raises stops the rebuild. The
    planner's statistics are refreshed at the end: the tables may have changed size many times.
    """
    done = 0
    for done, statement in enumerate(_steps(), start=1):
        connection.execute(statement)
        if progress is not None:
            progress(done)
    analyze([*rollups.tables(), AgentDayCauseStats.__table__], connection)
    marks.stamp(connection, [marks.EVERYONE])  # every page part kept so far is old
    if progress is not None:
        progress(done + 1)
