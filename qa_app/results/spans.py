"""Read a range of days from the coarsest aggregate tables that tile it.

A range is cut into whole calendar months (read from the month rollups), whole ISO weeks in the
leftovers at either end (the week rollups) and the days left over (the daily tables). The pieces
are one UNION ALL that the caller sums over, so a page still runs one statement per number it
shows, and a year reads about twelve rows per agent and key instead of three hundred and sixty-five.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from .families import DAY, MONTH, WEEK, Family, Grain
from .periods import Filters
from .sql import unindexed

AgentIds = sa.Select[Any] | list[int]


@dataclass(frozen=True)
class Piece:
    """Days `start` (inclusive) to `end` (exclusive), read from the tables of `grain`."""

    grain: Grain
    start: date
    end: date


def pieces(first: date, last: date, grains: Sequence[Grain] = (MONTH, WEEK)) -> list[Piece]:
    """The days first..last (both included) as whole periods of the coarsest grain that fits in
    each stretch, in order; what no period of `grains` covers is left to the daily tables."""
    return _split(first, last + timedelta(days=1), list(grains))


def _split(start: date, end: date, grains: list[Grain]) -> list[Piece]:
    if start >= end:
        return []
    if not grains:
        return [Piece(DAY, start, end)]
    grain, finer = grains[0], grains[1:]
    whole_from, whole_to = grain.ceil(start), grain.floor(end)
    if whole_from >= whole_to:
        return _split(start, end, finer)
    return [
        *_split(start, whole_from, finer),
        Piece(grain, whole_from, whole_to),
        *_split(whole_to, end, finer),
    ]


@dataclass(frozen=True)
class Shape:
    """What decides a spanned statement's SQL: the pieces' grains and which filters are on.

    Two ranges of the same shape run the same statement with other values, so a statement built
    for a shape is kept and reused (queries.py); only a scope given as a select cannot be.
    """

    grains: tuple[Grain, ...]
    channel: bool
    scorecard: bool
    # Whose rows: "all", "listed" (a list of ids, a parameter) or "select" (a subquery); the ids
    # are the family's owners (agents, or teams for the team tables).
    agents: str

    @property
    def keepable(self) -> bool:
        return self.agents != "select"


def shaped(
    filters: Filters, agent_ids: AgentIds | None, grains: Sequence[Grain] = (MONTH, WEEK)
) -> tuple[Shape, dict[str, Any]]:
    """The shape of the filter's range and scope, and the values of its statement's parameters."""
    found = pieces(filters.start, filters.end, grains) or [Piece(DAY, filters.start, filters.start)]
    values: dict[str, Any] = {}
    for number, piece in enumerate(found):
        values[f"start_{number}"], values[f"end_{number}"] = piece.start, piece.end
        if piece.grain is DAY:  # the week bounds of the days, for tables indexed by week
            values[f"week_from_{number}"] = WEEK.floor(piece.start)
            values[f"week_to_{number}"] = WEEK.floor(piece.end - timedelta(days=1))
    if filters.channel:
        values["channel"] = filters.channel
    if filters.scorecard_id:
        values["scorecard_id"] = filters.scorecard_id
    if agent_ids is None:
        agents = "all"
    elif isinstance(agent_ids, list):
        agents, values["agent_ids"] = "listed", agent_ids
    else:
        agents = "select"
    shape = Shape(
        tuple(piece.grain for piece in found),
        bool(filters.channel),
        bool(filters.scorecard_id),
        agents,
    )
    return shape, values


def _piece_select(
    family: Family,
    shape: Shape,
    number: int,
    columns: Sequence[str],
    agent_ids: AgentIds | None,
    grouped_by: Sequence[str] = (),
) -> sa.Select[Any]:
    grain = shape.grains[number]
    model = family.model(grain)
    if shape.agents == "all" and family.owner not in columns:  # every agent's, summed already
        if grain is WEEK:
            model = family.organisation_week or model
        elif grain is DAY:
            model = family.organisation_day or model
    period = getattr(model, grain.column)
    owner = getattr(model, family.owner, None)  # the organisation's rows have none
    if grain is not DAY and shape.agents != "all":
        period = unindexed(period)  # the primary key (agent, period) serves, not the period's
    if grouped_by:
        stmt = sa.select(
            *[
                getattr(model, name).label(name)
                if name in grouped_by
                else sa.func.sum(getattr(model, name)).label(name)
                for name in columns
            ]
        ).group_by(*[getattr(model, name) for name in grouped_by])
    else:
        stmt = sa.select(*[getattr(model, name).label(name) for name in columns])
    stmt = stmt.where(
        period >= sa.bindparam(f"start_{number}", type_=sa.Date()),
        period < sa.bindparam(f"end_{number}", type_=sa.Date()),
    )
    if grain is DAY and shape.agents == "all" and not _indexed_by_day(model):
        # Every agent's few days: reached through the (week_start, agent_id) index.
        stmt = stmt.where(
            model.week_start >= sa.bindparam(f"week_from_{number}", type_=sa.Date()),
            model.week_start <= sa.bindparam(f"week_to_{number}", type_=sa.Date()),
        )
    if shape.agents == "listed":
        stmt = stmt.where(owner.in_(sa.bindparam("agent_ids", expanding=True)))
    elif shape.agents == "select":
        stmt = stmt.where(owner.in_(agent_ids))
    if shape.channel:
        stmt = stmt.where(model.channel == sa.bindparam("channel"))
    if shape.scorecard:
        stmt = stmt.where(model.scorecard_id == sa.bindparam("scorecard_id"))
    return stmt


def _indexed_by_day(model: Any) -> bool:
    table = model.__table__
    keys = [table.primary_key.columns, *(index.columns for index in table.indexes)]
    return any(columns[0].name == "day" for columns in keys)


def spanned(
    family: Family,
    columns: Sequence[str],
    shape: Shape,
    agent_ids: AgentIds | None = None,
    grouped_by: Sequence[str] = (),
) -> sa.Subquery:
    """The rows of `family` in a range and scope of this shape, from the coarsest tables, as one
    subquery with these columns (to be summed: the same row never comes twice). The range, the
    listed agents, channel and scorecard are parameters (`shaped` gives their values); a scope
    given as a select (`agent_ids`) is written into the statement.

    With `grouped_by`, each table's rows come summed per those columns (every other column is
    a sum): the organisation's thousands of month rows reach the caller's own GROUP BY as one
    row per agent and table, and SQLite sums them in its primary key's order without sorting.
    """
    selects = [
        _piece_select(family, shape, number, columns, agent_ids, grouped_by)
        for number in range(len(shape.grains))
    ]
    if len(selects) == 1:
        return selects[0].subquery("spanned")
    return sa.union_all(*selects).subquery("spanned")
