"""Aggregates kept up to date: evaluations per agent, day, channel, scorecard and whether a
spotlight plan targeted them (criterion values without that split); interactions
(the customer metrics) per agent, day and channel.

Pages read these instead of the base tables (a year of a large organisation is ~10^6 scores), and
`flask results rebuild` or a comparison with a recomputation can always prove them right.
The day is the interaction's date in UTC; week_start is the Monday of that day's ISO week.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .sums import CriterionSums, EvaluationSums, InteractionSums
from .team_models import TeamDayInteractionStats as TeamDayInteractionStats
from .team_models import TeamDayStats as TeamDayStats
from .team_models import TeamMonthInteractionStats as TeamMonthInteractionStats
from .team_models import TeamMonthStats as TeamMonthStats
from .team_models import TeamWeekInteractionStats as TeamWeekInteractionStats
from .team_models import TeamWeekStats as TeamWeekStats


class AgentDayStats(db.Model):
    __tablename__ = "agent_day_stats"
    __table_args__ = (
        sa.Index("ix_agent_day_stats_week", "week_start", "agent_id"),
        # SQLite stores the rows in primary-key order: a range of one agent's days is one scan.
        {"sqlite_with_rowid": False},
    )

    agent_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    scorecard_id: Mapped[int] = mapped_column(sa.ForeignKey("scorecards.id"), primary_key=True)
    # Evaluations a spotlight plan picked for their signals count apart from the headline score,
    # which reads only the rows where this is false (docs/spotlight.md).
    targeted: Mapped[bool] = mapped_column(primary_key=True)
    week_start: Mapped[date]
    evaluations: Mapped[int]
    scored: Mapped[int]  # evaluations that have a score (not all N/A)
    score_sum: Mapped[float] = mapped_column(sa.Float)
    passed: Mapped[int]
    critical_fails: Mapped[int]
    # How many scores fell in each display band, for the distribution chart.
    band_excellent: Mapped[int]
    band_good: Mapped[int]
    band_satisfactory: Mapped[int]
    band_needs_improvement: Mapped[int]
    band_poor: Mapped[int]


class AgentDayCriterionStats(db.Model):
    __tablename__ = "agent_day_criterion_stats"
    __table_args__ = (
        sa.Index("ix_agent_day_criterion_stats_week", "week_start", "agent_id"),
        {"sqlite_with_rowid": False},
    )

    agent_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    scorecard_id: Mapped[int] = mapped_column(sa.ForeignKey("scorecards.id"), primary_key=True)
    criterion_key: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    week_start: Mapped[date]
    scores: Mapped[int]  # values 1-5 given (N/A left out)
    value_sum: Mapped[int] = mapped_column(sa.BigInteger)


class AgentDayInteractionStats(db.Model):
    """Customer metrics are facts about interactions: each counts once, evaluated or not."""

    __tablename__ = "agent_day_interaction_stats"
    __table_args__ = (
        # For the ragged days at the ends of a range over every agent (the organisation).
        sa.Index("ix_agent_day_interaction_stats_day", "day", "agent_id"),
        {"sqlite_with_rowid": False},
    )

    agent_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    week_start: Mapped[date]
    interactions: Mapped[int]
    csat_n: Mapped[int]
    csat_positive: Mapped[int]  # answers 4 or 5
    nps_n: Mapped[int]
    nps_promoters: Mapped[int]  # 9-10
    nps_detractors: Mapped[int]  # 0-6
    ces_n: Mapped[int]
    ces_sum: Mapped[int] = mapped_column(sa.BigInteger)
    fcr_known: Mapped[int]
    fcr_resolved: Mapped[int]
    aht_n: Mapped[int]
    aht_sum: Mapped[int] = mapped_column(sa.BigInteger)


class AgentDayCauseStats(db.Model):
    """Root causes picked on scores of 1-3 of submitted, non-calibration evaluations, per agent,
    day, channel, scorecard, cause and criterion: the result pages count causes from here."""

    __tablename__ = "agent_day_cause_stats"
    __table_args__ = (
        # The organisation's pages read a range of days of every agent, from the index alone:
        # SQLite's index holds the primary key's columns anyway, PostgreSQL's includes them.
        sa.Index(
            "ix_agent_day_cause_stats_day",
            "day",
            "picks",
            postgresql_include=["root_cause_id", "criterion_id", "agent_id", "channel"],
        ),
        {"sqlite_with_rowid": False},
    )

    agent_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    scorecard_id: Mapped[int] = mapped_column(sa.ForeignKey("scorecards.id"), primary_key=True)
    root_cause_id: Mapped[int] = mapped_column(sa.ForeignKey("root_causes.id"), primary_key=True)
    criterion_id: Mapped[int] = mapped_column(sa.ForeignKey("criteria.id"), primary_key=True)
    picks: Mapped[int]


# Rollups: the same sums per ISO week (by its Monday) and per calendar month (by its first day),
# summed from the daily rows above and kept with them (rollups.py, docs/results.md). A long range
# reads whole months and weeks here and only its ragged ends from the daily tables.


class ResultMark(db.Model):
    """A stamp that changes whenever what the result pages show of its scope changes
    (`marks.py`): an agent's counted rows, a team's members, or names everyone's pages show."""

    __tablename__ = "result_marks"

    scope: Mapped[str] = mapped_column(sa.String(40), primary_key=True)  # "agent:7", "everyone"
    stamp: Mapped[int] = mapped_column(sa.BigInteger)  # random: never the same value twice


def _rollup_args(table: str, start: str) -> tuple[Any, ...]:
    # The primary key leads with the agent (a team's rows). The week tables also have an index
    # by week for the organisation's ragged weeks; the month tables none, as a year over every
    # agent reads most of a month table, which a scan does faster than an index and lookups.
    if start == "month_start":
        return ({"sqlite_with_rowid": False},)
    return (sa.Index(f"ix_{table}_{start}", start, "agent_id"), {"sqlite_with_rowid": False})


class AgentWeekStats(EvaluationSums, db.Model):
    __tablename__ = "agent_week_stats"
    __table_args__ = _rollup_args(__tablename__, "week_start")

    agent_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), primary_key=True)
    week_start: Mapped[date] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    scorecard_id: Mapped[int] = mapped_column(sa.ForeignKey("scorecards.id"), primary_key=True)
    targeted: Mapped[bool] = mapped_column(primary_key=True)


class AgentMonthStats(EvaluationSums, db.Model):
    __tablename__ = "agent_month_stats"
    __table_args__ = _rollup_args(__tablename__, "month_start")

    agent_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), primary_key=True)
    month_start: Mapped[date] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    scorecard_id: Mapped[int] = mapped_column(sa.ForeignKey("scorecards.id"), primary_key=True)
    targeted: Mapped[bool] = mapped_column(primary_key=True)


class AgentWeekCriterionStats(CriterionSums, db.Model):
    __tablename__ = "agent_week_criterion_stats"
    __table_args__ = _rollup_args(__tablename__, "week_start")

    agent_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), primary_key=True)
    week_start: Mapped[date] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    scorecard_id: Mapped[int] = mapped_column(sa.ForeignKey("scorecards.id"), primary_key=True)
    criterion_key: Mapped[str] = mapped_column(sa.String(32), primary_key=True)


class AgentMonthCriterionStats(CriterionSums, db.Model):
    __tablename__ = "agent_month_criterion_stats"
    __table_args__ = _rollup_args(__tablename__, "month_start")

    agent_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), primary_key=True)
    month_start: Mapped[date] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    scorecard_id: Mapped[int] = mapped_column(sa.ForeignKey("scorecards.id"), primary_key=True)
    criterion_key: Mapped[str] = mapped_column(sa.String(32), primary_key=True)


class AgentWeekInteractionStats(InteractionSums, db.Model):
    __tablename__ = "agent_week_interaction_stats"
    __table_args__ = _rollup_args(__tablename__, "week_start")

    agent_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), primary_key=True)
    week_start: Mapped[date] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(sa.String(16), primary_key=True)


class AgentMonthInteractionStats(InteractionSums, db.Model):
    __tablename__ = "agent_month_interaction_stats"
    __table_args__ = _rollup_args(__tablename__, "month_start")

    agent_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), primary_key=True)
    month_start: Mapped[date] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(sa.String(16), primary_key=True)


class OrganisationWeekStats(EvaluationSums, db.Model):
    """Every agent's evaluation sums together per ISO week: the organisation's weekly trend
    reads a row per week here (52 for a year) instead of a row per agent and week."""

    __tablename__ = "organisation_week_stats"
    __table_args__ = ({"sqlite_with_rowid": False},)

    week_start: Mapped[date] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    scorecard_id: Mapped[int] = mapped_column(sa.ForeignKey("scorecards.id"), primary_key=True)
    targeted: Mapped[bool] = mapped_column(primary_key=True)


class OrganisationDayStats(EvaluationSums, db.Model):
    """Every agent's evaluation sums together per day: the ragged days at the ends of the
    organisation's weekly trend read a row per day here instead of a row per agent and day."""

    __tablename__ = "organisation_day_stats"
    __table_args__ = ({"sqlite_with_rowid": False},)

    day: Mapped[date] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    scorecard_id: Mapped[int] = mapped_column(sa.ForeignKey("scorecards.id"), primary_key=True)
    targeted: Mapped[bool] = mapped_column(primary_key=True)
    week_start: Mapped[date]


# Every read of these tables takes a small slice of them (one team, or one month of rows), which
# a single process reads in a few milliseconds. PostgreSQL would otherwise plan parallel scans of
# a whole table for them and spend more on starting its workers than on the rows.
NO_PARALLEL = sa.DDL("ALTER TABLE %(table)s SET (parallel_workers = 0)")
for _model in (
    AgentDayStats,
    AgentDayCriterionStats,
    AgentDayInteractionStats,
    AgentWeekStats,
    AgentMonthStats,
    AgentWeekCriterionStats,
    AgentMonthCriterionStats,
    AgentWeekInteractionStats,
    AgentMonthInteractionStats,
    TeamDayStats,
    TeamWeekStats,
    TeamMonthStats,
    TeamDayInteractionStats,
    TeamWeekInteractionStats,
    TeamMonthInteractionStats,
):
    sa.event.listen(_model.__table__, "after_create", NO_PARALLEL.execute_if(dialect="postgresql"))
