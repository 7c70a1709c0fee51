"""Weekly and monthly rollups of the daily aggregates, kept exact with them.

Each daily table (agent_day_*) has a week table and a month table with the same sums per agent,
ISO week (by its Monday) or calendar month (by its first day) and the daily table's other keys.
They are summed from the daily rows, never from the evaluations again, in the same transaction
that refreshed those days: after a flush the weeks and months holding the refreshed days are
deleted and summed again. A long range then reads whole months and weeks from the rollups and
only its ragged ends from the daily tables (spans.py).

The evaluation sums also have organisation-wide week and day tables (every agent together per
week or day, channel, scorecard and spotlight split), summed from the agents' rows in the same
step: the organisation's weekly trend reads a row per week (and per day at its ragged ends) from
them instead of one per agent.

The evaluation and customer sums are kept per team too (TEAMS), per day, week and month, summed
from the agents' rows of the same period of whoever is in the team today: a team's periods that
a flush touched are summed again in the same step, and a change of members sums every row of the
teams it touched again (`rebuild_teams`). An agent is in one team at most, so the teams' sums
never count an agent twice.
"""

from __future__ import annotations

import calendar
import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..accounts.models import team_members
from ..database import take_turns
from .models import (
    AgentDayCriterionStats,
    AgentDayInteractionStats,
    AgentDayStats,
    AgentMonthCriterionStats,
    AgentMonthInteractionStats,
    AgentMonthStats,
    AgentWeekCriterionStats,
    AgentWeekInteractionStats,
    AgentWeekStats,
    OrganisationDayStats,
    OrganisationWeekStats,
    TeamDayInteractionStats,
    TeamDayStats,
    TeamMonthInteractionStats,
    TeamMonthStats,
    TeamWeekInteractionStats,
    TeamWeekStats,
)
from .sql import month_of


@dataclass(frozen=True)
class Grain:
    """A length of time the sums are kept per: its name and the column holding a row's period."""

    name: str
    column: str

    def floor(self, day: date) -> date:
        """The first day of the period holding `day`."""
        if self.name == "week":
            return day - timedelta(days=day.weekday())
        if self.name == "month":
            return day.replace(day=1)
        return day

    def following(self, start: date) -> date:
        """The first day of the next period, for the first day of one."""
        if self.name == "week":
            return start + timedelta(days=7)
        if self.name == "month":
            return start + timedelta(days=calendar.monthrange(start.year, start.month)[1])
        return start + timedelta(days=1)

    def ceil(self, day: date) -> date:
        """The first day of the first period starting on or after `day`."""
        start = self.floor(day)
        return start if start == day else self.following(start)


DAY, WEEK, MONTH = Grain("day", "day"), Grain("week", "week_start"), Grain("month", "month_start")
ROLLUPS = (WEEK, MONTH)


@dataclass(frozen=True)
class Family:
    """One daily table and its rollups: the keys besides agent and period, and the sums."""

    name: str
    tables: tuple[Any, Any, Any]  # the day, week and month models
    keys: tuple[str, ...]
    sums: tuple[str, ...]
    # Every agent's week rows summed together (keys and sums as the week table's), if kept.
    organisation_week: Any = None
    organisation_day: Any = None  # and every agent's daily rows summed together, if kept
    owner: str = "agent_id"  # whose sums a row holds: an agent's, or a team's (TEAMS)

    def model(self, grain: Grain) -> Any:
        return self.tables[(DAY, WEEK, MONTH).index(grain)]

    def columns(self, grain: Grain) -> list[str]:
        """A rollup table's columns in the order `rollup_select` gives them."""
        return [self.owner, grain.column, *self.keys, *self.sums]


STATS = Family(
    "stats",
    (AgentDayStats, AgentWeekStats, AgentMonthStats),
    ("channel", "scorecard_id", "targeted"),
    (
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
    ),
    OrganisationWeekStats,
    OrganisationDayStats,
)
CRITERIA = Family(
    "criterion-stats",
    (AgentDayCriterionStats, AgentWeekCriterionStats, AgentMonthCriterionStats),
    ("channel", "scorecard_id", "criterion_key"),
    ("scores", "value_sum"),
)
INTERACTIONS = Family(
    "interaction-stats",
    (AgentDayInteractionStats, AgentWeekInteractionStats, AgentMonthInteractionStats),
    ("channel",),
    (
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
    ),
)
FAMILIES = (STATS, CRITERIA, INTERACTIONS)
# The agents' families also kept per team, each with the family of its team tables.
TEAMS = {
    STATS: Family(
        "team-stats",
        (TeamDayStats, TeamWeekStats, TeamMonthStats),
        STATS.keys,
        STATS.sums,
        owner="team_id",
    ),
    INTERACTIONS: Family(
        "team-interaction-stats",
        (TeamDayInteractionStats, TeamWeekInteractionStats, TeamMonthInteractionStats),
        INTERACTIONS.keys,
        INTERACTIONS.sums,
        owner="team_id",
    ),
}
# The families that also keep every agent's week and day rows summed together.
ORGANISED = tuple(family for family in FAMILIES if family.organisation_week is not None)


def rollup_select(
    family: Family, grain: Grain, where: sa.ColumnElement[bool] | None = None
) -> sa.Select[Any]:
    """The rollup rows of one grain, summed from the daily rows (those `where` selects)."""
    day = family.model(DAY)
    start = day.week_start if grain is WEEK else month_of(day.day)
    keys = [day.agent_id, start.label(grain.column), *[getattr(day, k) for k in family.keys]]
    sums = [sa.func.sum(getattr(day, name)).label(name) for name in family.sums]
    stmt = sa.select(*keys, *sums)
    if where is not None:
        stmt = stmt.where(where)
    return stmt.group_by(*keys)


def organisation_week_select(
    family: Family, source: Grain = WEEK, weeks: Iterable[date] | None = None
) -> sa.Select[Any]:
    """The organisation's week rows, summed over every agent from the `source` grain's rows
    (the week rows; the daily ones for `flask results check`), of these weeks or all."""
    model = family.model(source)
    keys = [model.week_start, *[getattr(model, k) for k in family.keys]]
    sums = [sa.func.sum(getattr(model, name)).label(name) for name in family.sums]
    stmt = sa.select(*keys, *sums)
    if weeks is not None:
        stmt = stmt.where(model.week_start.in_(list(weeks)))
    return stmt.group_by(*keys)


def organisation_columns(family: Family) -> list[str]:
    return ["week_start", *family.keys, *family.sums]


def organisation_day_select(family: Family, days: Iterable[date] | None = None) -> sa.Select[Any]:
    """The organisation's day rows, summed over every agent from the daily rows, of these days
    or all."""
    model = family.model(DAY)
    keys = [model.day, model.week_start, *[getattr(model, k) for k in family.keys]]
    sums = [sa.func.sum(getattr(model, name)).label(name) for name in family.sums]
    stmt = sa.select(*keys, *sums)
    if days is not None:
        stmt = stmt.where(model.day.in_(sorted(days)))
    return stmt.group_by(*keys)


def organisation_day_columns(family: Family) -> list[str]:
    return ["day", "week_start", *family.keys, *family.sums]


def team_select(
    family: Family, grain: Grain, source: Grain | None = None, where: Any = None
) -> sa.Select[Any]:
    """The team rows of one grain: the agents' rows of the `source` grain (the same grain; the
    daily rows for `flask results check`) of each team's members today, summed per period."""
    model = family.model(source or grain)
    # A daily row holds its day and its week's Monday; its month is worked out.
    monthly = grain is MONTH and source is DAY
    period = month_of(model.day) if monthly else getattr(model, grain.column)
    team = team_members.c.team_id
    keys = [team, period.label(grain.column), *[getattr(model, k) for k in family.keys]]
    sums = [sa.func.sum(getattr(model, name)).label(name) for name in family.sums]
    members = team_members.c.agent_id == model.agent_id
    stmt = sa.select(*keys, *sums).join_from(model, team_members, members)
    if where is not None:
        stmt = stmt.where(where)
    return stmt.group_by(*keys)


def _periods(grain: Grain, days: Iterable[tuple[int, date]]) -> dict[date, list[int]]:
    """The agents whose period (of this grain) holds one of the given days, per period."""
    found: dict[date, set[int]] = defaultdict(set)
    for agent_id, day in days:
        found[grain.floor(day)].add(agent_id)
    return {start: sorted(agents) for start, agents in sorted(found.items())}


def lock_names(families: Iterable[Family], days: Iterable[tuple[int, date]]) -> list[str]:
    """The names `take_turns` guards the rollup rows of these days by (agent, period)."""
    days = list(days)
    return [
        *(
            f"agent-{grain.name}-{family.name}:{agent_id}:{start.isoformat()}"
            for family in families
            for grain in ROLLUPS
            for start, agents in _periods(grain, days).items()
            for agent_id in agents
        ),
        *(
            f"organisation-week-{family.name}:{start.isoformat()}"
            for family in families
            if family in ORGANISED
            for start in _periods(WEEK, days)
        ),
        # Whose team an agent is in cannot change under a writer of the agent's rows, which
        # reads it after taking these (refresh_rollups, rebuild_teams).
        *(f"agent-team:{agent_id}" for agent_id in sorted({agent for agent, _day in days})),
    ]


def _team_locks(team_ids: Iterable[int]) -> list[str]:
    return [f"team-rollups:{team_id}" for team_id in sorted(set(team_ids))]


def refresh_rollups(connection: Connection, family: Family, days: set[tuple[int, date]]) -> None:
    """Sum again, from the daily rows, the weeks and months that hold these (agent, day) pairs.

    The caller holds the `lock_names` of these days (one writer per rollup row at a time).
    """
    day = family.model(DAY)
    for grain in ROLLUPS:
        periods = _periods(grain, days)
        if not periods:
            continue
        model = family.model(grain)
        kept = getattr(model, grain.column)
        connection.execute(
            sa.delete(model).where(
                sa.or_(
                    *(sa.and_(kept == start, model.agent_id.in_(a)) for start, a in periods.items())
                )
            )
        )
        inside = sa.or_(
            *(
                sa.and_(
                    day.agent_id.in_(agents), day.day >= start, day.day < grain.following(start)
                )
                for start, agents in periods.items()
            )
        )
        connection.execute(
            sa.insert(model).from_select(
                family.columns(grain), rollup_select(family, grain, inside)
            )
        )
    if family.organisation_week is not None and days:
        weeks = list(_periods(WEEK, days))  # summed again from the agents' week rows just made
        table = family.organisation_week
        connection.execute(sa.delete(table).where(table.week_start.in_(weeks)))
        connection.execute(
            sa.insert(table).from_select(
                organisation_columns(family), organisation_week_select(family, WEEK, weeks)
            )
        )
    if family.organisation_day is not None and days:
        # under the organisation's lock of each day's week (lock_names), as the week rows
        table, touched = family.organisation_day, {day for _agent, day in days}
        connection.execute(sa.delete(table).where(table.day.in_(sorted(touched))))
        connection.execute(
            sa.insert(table).from_select(
                organisation_day_columns(family), organisation_day_select(family, touched)
            )
        )
    if family in TEAMS and days:
        _refresh_teams(connection, family, days)


def _refresh_teams(connection: Connection, family: Family, days: set[tuple[int, date]]) -> None:
    """Sum again the team rows of the periods holding these days, for the teams the agents are
    in now (read after `lock_names` made changes of their teams wait)."""
    agents = sorted({agent_id for agent_id, _day in days})
    team = team_members.c.team_id
    found = sa.select(team).where(team_members.c.agent_id.in_(agents)).distinct()
    team_ids = sorted(connection.scalars(found))
    if not team_ids:
        return
    take_turns(connection, *_team_locks(team_ids))  # one writer of a team's rows at a time
    for grain in (DAY, *ROLLUPS):
        values = {"team_ids": team_ids, "starts": sorted(_periods(grain, days))}
        for statement in _team_refresh(family, grain):
            connection.execute(statement, values)


@functools.cache
def _team_refresh(
    family: Family, grain: Grain, every_period: bool = False
) -> tuple[sa.Delete, sa.Insert]:
    """The delete and the insert that sum a grain's team rows again, for the teams (and, unless
    `every_period`, the periods) given as parameters: built once (building them took longer
    than running them)."""
    teams = TEAMS[family]
    model, source = teams.model(grain), family.model(grain)
    team_ids = sa.bindparam("team_ids", expanding=True)
    starts = sa.bindparam("starts", expanding=True)
    kept, inside = model.team_id.in_(team_ids), team_members.c.team_id.in_(team_ids)
    if not every_period:
        kept = sa.and_(kept, getattr(model, grain.column).in_(starts))
        inside = sa.and_(inside, getattr(source, grain.column).in_(starts))
    delete = sa.delete(model).where(kept)
    insert = sa.insert(model).from_select(
        teams.columns(grain), team_select(family, grain, where=inside)
    )
    return delete, insert


def rebuild_teams(
    connection: Connection, team_ids: Iterable[int], agent_ids: Iterable[int]
) -> None:
    """Sum again every row of these teams, whose members changed (these agents joined or left
    them), after the writers of those agents' rows are done (the session hook, tracking.py)."""
    team_ids, agent_ids = sorted(set(team_ids)), sorted(set(agent_ids))
    take_turns(connection, *(f"agent-team:{agent_id}" for agent_id in agent_ids))
    counted = sa.union_all(
        *(
            sa.select(family.model(MONTH).agent_id).where(
                family.model(MONTH).agent_id.in_(agent_ids)
            )
            for family in TEAMS
        )
    )
    if not connection.execute(sa.select(counted.exists())).scalar():
        return  # agents with nothing counted yet (new users): no team's sums change
    take_turns(connection, *_team_locks(team_ids))
    for family in TEAMS:
        for grain in (DAY, *ROLLUPS):
            for statement in _team_refresh(family, grain, every_period=True):
                connection.execute(statement, {"team_ids": team_ids})


def delete_all() -> list[sa.Delete]:
    """Statements that empty every rollup table."""
    return [
        *(sa.delete(teams.model(grain)) for teams in TEAMS.values() for grain in (DAY, *ROLLUPS)),
        *(sa.delete(family.organisation_week) for family in ORGANISED),
        *(sa.delete(family.organisation_day) for family in ORGANISED),
        *(sa.delete(family.model(grain)) for family in FAMILIES for grain in ROLLUPS),
    ]


def build_all() -> list[sa.Insert]:
    """Statements that fill every rollup table from the (already filled) daily tables; the
    organisation's weeks and the teams' rows last, from the agents' rows."""
    return [
        *(
            sa.insert(family.model(grain)).from_select(
                family.columns(grain), rollup_select(family, grain)
            )
            for family in FAMILIES
            for grain in ROLLUPS
        ),
        *(
            sa.insert(family.organisation_week).from_select(
                organisation_columns(family), organisation_week_select(family)
            )
            for family in ORGANISED
        ),
        *(
            sa.insert(family.organisation_day).from_select(
                organisation_day_columns(family), organisation_day_select(family)
            )
            for family in ORGANISED
        ),
        *(
            sa.insert(teams.model(grain)).from_select(
                teams.columns(grain), team_select(family, grain)
            )
            for family, teams in TEAMS.items()
            for grain in (DAY, *ROLLUPS)
        ),
    ]


def tables() -> list[sa.Table]:
    """Every aggregate table, daily and rolled up (for ANALYZE after a rebuild)."""
    return [
        *(family.model(grain).__table__ for family in FAMILIES for grain in (DAY, *ROLLUPS)),
        *(family.organisation_week.__table__ for family in ORGANISED),
        *(family.organisation_day.__table__ for family in ORGANISED),
        *(teams.model(grain).__table__ for teams in TEAMS.values() for grain in (DAY, *ROLLUPS)),
    ]
