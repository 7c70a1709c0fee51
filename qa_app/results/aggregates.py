"""Build and refresh the result aggregates from the base tables with INSERT ... SELECT GROUP BY.

Evaluation rows are reached through the submitted evaluations; interaction rows (the customer
metrics) through the interactions themselves, so an interaction counts there once, evaluated or not.
Evaluation counts are split by whether a spotlight plan targeted the interaction; criterion values
are not (strengths and coaching read every evaluation).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from ..database import take_turns
from ..evaluations.models import Evaluation, EvaluationScore, EvaluationStatus, PickReason
from ..interactions.models import Channel, Interaction
from ..scorecards.models import Criterion, ScorecardVersion
from .models import AgentDayCriterionStats, AgentDayInteractionStats, AgentDayStats
from .sql import iso_week_start, utc_day


@dataclass(frozen=True)
class Bucket:
    """The aggregate rows an evaluation counts in: one per pick kind (targeted or not) found."""

    agent_id: int
    day: date
    channel: str
    scorecard_id: int


@dataclass(frozen=True)
class InteractionBucket:
    """One interaction aggregate row's identity."""

    agent_id: int
    day: date
    channel: str


def _count_if(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


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
    return _count_if(condition)


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
        _count_if(Evaluation.score >= ScorecardVersion.pass_mark),
        _count_if(Evaluation.is_critical_fail.is_(True)),
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


STATS_COLUMNS = [
    "agent_id",
    "day",
    "channel",
    "scorecard_id",
    "week_start",
    "targeted",
    "evaluations",
    "scored",
    "score_sum",
    "passed",
    "critical_fails",
    "band_excellent",
    "band_good",
    "band_satisfactory",
    "band_needs_improvement",
    "band_poor",
]
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


def _delete(model: type[Any], bucket: Bucket) -> sa.Delete:
    return sa.delete(model).where(
        model.agent_id == bucket.agent_id,
        model.day == bucket.day,
        model.channel == bucket.channel,
        model.scorecard_id == bucket.scorecard_id,
    )


def refresh(connection: Connection, buckets: set[Bucket]) -> None:
    """Recompute the given buckets from the base tables.

    Delete-then-insert is only right when one transaction at a time does it for a bucket: two
    requests on two servers would both insert the row (docs/deploy.md), so they take turns.
    """
    take_turns(connection, *(f"agent-day-stats:{bucket}" for bucket in buckets))
    for bucket in buckets:
        connection.execute(_delete(AgentDayStats, bucket))
        connection.execute(_delete(AgentDayCriterionStats, bucket))
        connection.execute(
            sa.insert(AgentDayStats).from_select(STATS_COLUMNS, stats_select(bucket))
        )
        connection.execute(
            sa.insert(AgentDayCriterionStats).from_select(
                CRITERION_COLUMNS, criterion_select(bucket)
            )
        )


INTERACTION_COLUMNS = [
    "agent_id",
    "day",
    "channel",
    "week_start",
    "interactions",
    "csat_n",
    "csat_positive",
    "nps_n",
    "nps_promoters",
    "nps_detractors",
    "ces_n",
    "ces_sum",
    "fcr_known",
    "fcr_resolved",
    "aht_n",
    "aht_sum",
]


def interaction_select(where: sa.ColumnElement[bool] | None = None) -> sa.Select[Any]:
    """Per agent, day and channel: the interactions (each once), their answers and handle times."""
    i = Interaction
    keys = [
        i.agent_id,
        utc_day(i.occurred_at).label("day"),
        i.channel,
        iso_week_start(i.occurred_at).label("week_start"),
    ]
    sums = [
        sa.func.count(i.id),
        sa.func.count(i.csat),
        _count_if(i.csat >= 4),
        sa.func.count(i.nps),
        _count_if(i.nps >= 9),
        _count_if(i.nps <= 6),
        sa.func.count(i.ces),
        sa.func.coalesce(sa.func.sum(i.ces), 0),
        sa.func.count(i.first_contact_resolved),
        _count_if(i.first_contact_resolved.is_(True)),
        sa.func.count(i.handle_seconds),
        sa.func.coalesce(sa.func.sum(i.handle_seconds), 0),
    ]
    stmt = sa.select(*keys, *sums)
    if where is not None:
        stmt = stmt.where(where)
    return stmt.group_by(*keys)


def _interaction_lock(bucket: InteractionBucket) -> str:
    return f"agent-day-interactions:{bucket.agent_id}:{bucket.day.isoformat()}:{bucket.channel}"


def refresh_interactions(connection: Connection, buckets: set[InteractionBucket]) -> None:
    """Recompute the given interaction buckets from the interactions (one writer at a time)."""
    take_turns(connection, *(_interaction_lock(bucket) for bucket in buckets))
    model = AgentDayInteractionStats
    for bucket in buckets:
        start = datetime.combine(bucket.day, time(), tzinfo=UTC)
        connection.execute(
            sa.delete(model).where(
                model.agent_id == bucket.agent_id,
                model.day == bucket.day,
                model.channel == bucket.channel,
            )
        )
        inside = sa.and_(
            Interaction.agent_id == bucket.agent_id,
            Interaction.channel == Channel(bucket.channel),
            Interaction.occurred_at >= start,
            Interaction.occurred_at < start + timedelta(days=1),
        )
        connection.execute(
            sa.insert(model).from_select(INTERACTION_COLUMNS, interaction_select(inside))
        )


def count_new_interactions(connection: Connection, new: sa.ColumnElement[bool]) -> None:
    """Add interactions just inserted (the rows `new` selects) to their buckets, in one statement.

    For bulk inserts, which the session hooks never see; each row must be selected only once.
    """
    if connection.dialect.name == "postgresql":  # not while another writer recomputes them
        touched = sa.select(
            Interaction.agent_id, utc_day(Interaction.occurred_at), Interaction.channel
        )
        rows = connection.execute(touched.where(new).distinct())
        buckets = (
            InteractionBucket(agent, day, Channel(channel).value) for agent, day, channel in rows
        )
        take_turns(connection, *map(_interaction_lock, buckets))
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    table = AgentDayInteractionStats.__table__
    stmt = dialect.insert(table).from_select(INTERACTION_COLUMNS, interaction_select(new))
    counters = INTERACTION_COLUMNS[4:]
    connection.execute(
        stmt.on_conflict_do_update(
            index_elements=["agent_id", "day", "channel"],
            set_={name: table.c[name] + stmt.excluded[name] for name in counters},
        )
    )


REBUILD_STEPS = 6  # what `rebuild` reports progress in: three deletes, three inserts


def rebuild(connection: Connection, progress: Callable[[int], None] | None = None) -> None:
    """Throw every aggregate away and build them again from the base tables.

    `progress` hears the steps done (of REBUILD_STEPS); what it raises stops the rebuild.
    """
    steps = [
        sa.delete(AgentDayCriterionStats),
        sa.delete(AgentDayStats),
        sa.delete(AgentDayInteractionStats),
        sa.insert(AgentDayStats).from_select(STATS_COLUMNS, stats_select()),
        sa.insert(AgentDayCriterionStats).from_select(CRITERION_COLUMNS, criterion_select()),
        sa.insert(AgentDayInteractionStats).from_select(INTERACTION_COLUMNS, interaction_select()),
    ]
    for done, statement in enumerate(steps, start=1):
        connection.execute(statement)
        if progress is not None:
            progress(done)
