"""Weekly and monthly rollups of the daily aggregates, kept exact with them.

Each daily table (agent_day_*) has a week table and a month table with the same sums per agent,
ISO week (by its Monday) or calendar month (by its first day) and the daily table's other keys
(the families: families.py). They are summed from the daily rows, never from the evaluations
again, in the same transaction that refreshed those days: after a flush the weeks and months
holding the refreshed days are deleted and summed again. A long range then reads whole months
and weeks from the rollups and only its ragged ends from the daily tables (spans.py).

The evaluation sums also have organisation-wide week and day tables (every agent together per
week or day, channel, scorecard and spotlight split), summed from the agents' rows in the same
step: the organisation's weekly trend reads a row per week (and per day at its ragged ends) from
them instead of one per agent. The teams' tables are summed last, in the same step
(team_rollups.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from . import marks
from .families import DAY, FAMILIES, ORGANISED, ROLLUPS, TEAMS, WEEK, Family, Grain, periods
from .sql import month_of
from .team_rollups import (
    agent_team_locks,
    build_teams,
    delete_teams,
    refresh_teams,
    team_tables,
)


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


def _agent_kind(family: Family, grain: Grain) -> str:
    return f"agent-{grain.name}-{family.name}"


def _organisation_kind(family: Family) -> str:
    return f"organisation-week-{family.name}"


def lock_names(families: Iterable[Family], days: Iterable[tuple[int, date]]) -> list[str]:
    """The names `take_turns` guards the rollup rows of these days by (agent, period)."""
    days = list(days)
    return [
        *(
            f"{_agent_kind(family, grain)}:{agent_id}:{start.isoformat()}"
            for family in families
            for grain in ROLLUPS
            for start, agents in periods(grain, days).items()
            for agent_id in agents
        ),
        *(
            f"{_organisation_kind(family)}:{start.isoformat()}"
            for family in families
            if family in ORGANISED
            for start in periods(WEEK, days)
        ),
        # Whose team an agent is in cannot change under a writer of the agent's rows, which
        # reads it after taking these (refresh_rollups, rebuild_teams).
        *agent_team_locks(agent for agent, _day in days),
    ]


def lock_kinds(families: Iterable[Family]) -> list[str]:
    """The kinds of the period names `lock_names` gives for these families: what a bulk writer
    that cannot list those names holds instead (`take_turns(kinds=...)`). Whose team an agent
    is in stays locked by name (`agent_team_locks`): every writer of results takes those."""
    families = list(families)
    return [
        *(_agent_kind(family, grain) for family in families for grain in ROLLUPS),
        *(_organisation_kind(family) for family in families if family in ORGANISED),
    ]


def refresh_rollups(
    connection: Connection, families: Sequence[Family], days: set[tuple[int, date]]
) -> None:
    """Sum again, from the daily rows of these families, the weeks and months that hold these
    (agent, day) pairs.

    The caller holds the `lock_names` of these days (one writer per rollup row at a time). The
    agents' change marks get one new stamp: what their pages show changed (marks.py).
    """
    marks.stamp(connection, (marks.agent(agent_id) for agent_id, _day in days))
    for family in families:
        _refresh_family(connection, family, days)


def _refresh_family(connection: Connection, family: Family, days: set[tuple[int, date]]) -> None:
    day = family.model(DAY)
    for grain in ROLLUPS:
        found = periods(grain, days)
        if not found:
            continue
        model = family.model(grain)
        kept = getattr(model, grain.column)
        connection.execute(
            sa.delete(model).where(
                sa.or_(
                    *(sa.and_(kept == start, model.agent_id.in_(a)) for start, a in found.items())
                )
            )
        )
        inside = sa.or_(
            *(
                sa.and_(
                    day.agent_id.in_(agents), day.day >= start, day.day < grain.following(start)
                )
                for start, agents in found.items()
            )
        )
        connection.execute(
            sa.insert(model).from_select(
                family.columns(grain), rollup_select(family, grain, inside)
            )
        )
    if family.organisation_week is not None and days:
        weeks = list(periods(WEEK, days))  # summed again from the agents' week rows just made
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
        refresh_teams(connection, family, days)


def delete_all() -> list[sa.Delete]:
    """Statements that empty every rollup table."""
    return [
        *delete_teams(),
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
        *build_teams(),
    ]


def tables() -> list[sa.Table]:
    """Every aggregate table, daily and rolled up (for ANALYZE after a rebuild)."""
    return [
        *(family.model(grain).__table__ for family in FAMILIES for grain in (DAY, *ROLLUPS)),
        *(family.organisation_week.__table__ for family in ORGANISED),
        *(family.organisation_day.__table__ for family in ORGANISED),
        *team_tables(),
    ]
