"""The team tables (TEAMS in families.py): each team's evaluation and customer sums."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .sums import EvaluationSums, InteractionSums

# Team rollups: the evaluation and customer sums of each team's members (whoever is in the team
# today) per day, ISO week and month, summed from the agents' rows of the same period. The
# organisation's page and the home page read a row per team here instead of one per agent; a
# change of members sums the teams it touched again (rollups.py, docs/results.md).


def _team_args(table: str, start: str) -> tuple[Any, ...]:
    # As the agents' tables: the primary key leads with the team; the day and week tables also
    # have an index by period for every team's ragged ends of a range.
    if start == "month_start":
        return ({"sqlite_with_rowid": False},)
    return (sa.Index(f"ix_{table}_{start}", start, "team_id"), {"sqlite_with_rowid": False})


def _team_id() -> Mapped[int]:
    return mapped_column(sa.ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True)


class TeamDayStats(EvaluationSums, db.Model):
    __tablename__ = "team_day_stats"
    __table_args__ = _team_args(__tablename__, "day")

    team_id: Mapped[int] = _team_id()
    day: Mapped[date] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    scorecard_id: Mapped[int] = mapped_column(sa.ForeignKey("scorecards.id"), primary_key=True)
    targeted: Mapped[bool] = mapped_column(primary_key=True)


class TeamWeekStats(EvaluationSums, db.Model):
    __tablename__ = "team_week_stats"
    __table_args__ = _team_args(__tablename__, "week_start")

    team_id: Mapped[int] = _team_id()
    week_start: Mapped[date] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    scorecard_id: Mapped[int] = mapped_column(sa.ForeignKey("scorecards.id"), primary_key=True)
    targeted: Mapped[bool] = mapped_column(primary_key=True)


class TeamMonthStats(EvaluationSums, db.Model):
    __tablename__ = "team_month_stats"
    __table_args__ = _team_args(__tablename__, "month_start")

    team_id: Mapped[int] = _team_id()
    month_start: Mapped[date] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    scorecard_id: Mapped[int] = mapped_column(sa.ForeignKey("scorecards.id"), primary_key=True)
    targeted: Mapped[bool] = mapped_column(primary_key=True)


class TeamDayInteractionStats(InteractionSums, db.Model):
    __tablename__ = "team_day_interaction_stats"
    __table_args__ = _team_args(__tablename__, "day")

    team_id: Mapped[int] = _team_id()
    day: Mapped[date] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(sa.String(16), primary_key=True)


class TeamWeekInteractionStats(InteractionSums, db.Model):
    __tablename__ = "team_week_interaction_stats"
    __table_args__ = _team_args(__tablename__, "week_start")

    team_id: Mapped[int] = _team_id()
    week_start: Mapped[date] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(sa.String(16), primary_key=True)


class TeamMonthInteractionStats(InteractionSums, db.Model):
    __tablename__ = "team_month_interaction_stats"
    __table_args__ = _team_args(__tablename__, "month_start")

    team_id: Mapped[int] = _team_id()
    month_start: Mapped[date] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
