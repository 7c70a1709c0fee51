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

from .periods import Filters
from .rollups import DAY, MONTH, WEEK, Family, Grain
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


def _narrowed(
    stmt: sa.Select[Any], model: Any, filters: Filters, agent_ids: AgentIds | None
) -> sa.Select[Any]:
    if agent_ids is not None:
        stmt = stmt.where(model.agent_id.in_(agent_ids))
    if filters.channel:
        stmt = stmt.where(model.channel == filters.channel)
    if filters.scorecard_id:
        stmt = stmt.where(model.scorecard_id == filters.scorecard_id)
    return stmt


def _piece_select(
    family: Family,
    piece: Piece,
    columns: Sequence[str],
    filters: Filters,
    agent_ids: AgentIds | None,
) -> sa.Select[Any]:
    model = family.model(piece.grain)
    period = getattr(model, piece.grain.column)
    if piece.grain is not DAY and agent_ids is not None:
        period = unindexed(period)  # the primary key (agent, period) serves, not the period's
    stmt = sa.select(*[getattr(model, name).label(name) for name in columns])
    stmt = stmt.where(period >= piece.start, period < piece.end)
    if piece.grain is DAY and agent_ids is None and not _indexed_by_day(model):
        # Every agent's few days: reached through the (week_start, agent_id) index.
        last = piece.end - timedelta(days=1)
        stmt = stmt.where(
            model.week_start >= WEEK.floor(piece.start), model.week_start <= WEEK.floor(last)
        )
    return _narrowed(stmt, model, filters, agent_ids)


def _indexed_by_day(model: Any) -> bool:
    return any(index.columns[0].name == "day" for index in model.__table__.indexes)


def spanned(
    family: Family,
    columns: Sequence[str],
    filters: Filters,
    agent_ids: AgentIds | None,
    grains: Sequence[Grain] = (MONTH, WEEK),
) -> sa.Subquery:
    """The rows of `family` in the filter's range and scope, from the coarsest tables, as one
    subquery with these columns (to be summed: the same row never comes twice)."""
    found = pieces(filters.start, filters.end, grains) or [Piece(DAY, filters.start, filters.start)]
    selects = [_piece_select(family, piece, columns, filters, agent_ids) for piece in found]
    if len(selects) == 1:
        return selects[0].subquery("spanned")
    return sa.union_all(*selects).subquery("spanned")
