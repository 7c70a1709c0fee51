"""Filters no index serves in a keyset list's order (`Late`): how a page finds its rows
among the first ones the list's index gives, or within the lowest and highest sort key the
filter's rows have, instead of reading every row that passes (docs/performance.md, Lists)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.sql.util import ClauseAdapter

from ..extensions import db

if TYPE_CHECKING:
    from .keyset import Part

PROBE_ROWS = 2_000  # the rows a late filter is first looked for in (Late)
LIMIT_DAYS = 93  # a late filter's days read its key's limits a day at a time up to this many


@dataclass(frozen=True)
class Late:
    """A filter no index serves in the list's order (the evaluation list's range of days),
    with ``key``, the sort key whose values the filter's rows span, and ``index_key``, the
    leading column of the filter's own index.

    A page first counts the filter's rows in its own index, up to PROBE_ROWS: when there are
    no more, it reads them and sorts them. Otherwise it looks for the page's rows among the
    first PROBE_ROWS the other filters give through their index, in the list's order. When too
    few of those pass, it reads the lowest and highest ``key`` among the filter's rows (from
    the filter's index alone when that holds the key) and walks again from there: no row beyond
    them can pass. Only when that too finds too few does it read every row that passes and sort
    them. Each way gives exactly the rows that reading everything gives.

    ``seek``: another of the list's own filters (an agent, a team, a lead's agents) that an
    index serves together with this one. The count and the key's limits then read only the
    rows of both, which stays exact: every row of the list passes ``seek`` as well.

    ``days``: (a day column, first day, last day) when the filter is exactly those days of that
    column and an index leads with the column, then the key. Without ``seek``, the key's limits
    are then read with two seeks a day (at most LIMIT_DAYS days) instead of from every row of
    the filter; the limits of every row of those days bound the filter's rows (the same ones).
    """

    where: sa.ColumnElement[bool]
    key: Any
    index_key: Any
    seek: sa.ColumnElement[bool] | None = None
    days: tuple[Any, date, date] | None = None

    @property
    def narrowed(self) -> sa.ColumnElement[bool]:
        """The filter with ``seek``: what the count and the key's limits read."""
        return self.where if self.seek is None else sa.and_(self.seek, self.where)


@dataclass
class LateReading:
    """A late filter while one page is read; what it learns is read once, when first needed."""

    late: Late
    id_column: Any
    few: bool | None = None
    limits: tuple[Any, Any] | None = None

    def is_few(self) -> bool:
        """True when at most PROBE_ROWS rows pass (ordered by the index key to read its index;
        with ``seek``, unordered: the index of both serves)."""
        if self.few is None:
            rows = sa.select(sa.literal(1)).where(self.late.narrowed)
            if self.late.seek is None:
                rows = rows.order_by(self.late.index_key)
            rows = rows.limit(PROBE_ROWS + 1)
            found = db.session.scalar(sa.select(sa.func.count()).select_from(rows.subquery()))
            self.few = (found or 0) <= PROBE_ROWS
        return self.few

    def bound(self, part: Part, newer: bool) -> sa.ColumnElement[bool] | None:
        """The key's limit in the reading direction, when the part is sorted by the key."""
        key = self.late.key
        if part.keys[0] is not key:
            return None
        if self.limits is None:
            self.limits = self._limits()
        low, high = self.limits
        if low is None:  # no row passes: the page is empty
            return sa.false()
        return key >= low if newer else key <= high

    def _limits(self) -> tuple[Any, Any]:
        key, days = self.late.key, self.late.days
        if self.late.seek is None and days is not None:
            column, first, last = days
            if 0 < (last - first).days + 1 <= LIMIT_DAYS:
                return _day_limits(key, column, first, last)
        # count(*) too: with min and max alone PostgreSQL would walk the key's own index.
        stmt = sa.select(sa.func.min(key), sa.func.max(key), sa.func.count())
        found = db.session.execute(stmt.where(self.late.narrowed)).one()
        return found[0], found[1]


def _day_limits(key: Any, column: Any, first: date, last: date) -> tuple[Any, Any]:
    """The lowest and highest key over these days, a seek for each end of each day. PostgreSQL
    takes the days from generate_series: planning a subquery per day took it longer (about
    0.6 ms each) than running them; SQLite prepares them at once."""
    if db.session.get_bind().dialect.name == "postgresql":
        series = (
            sa.func.generate_series(
                sa.cast(first, sa.Date), sa.cast(last, sa.Date), sa.text("interval '1 day'")
            )
            .table_valued("day")
            .render_derived(name="days")
        )
        days: list[Any] = [sa.cast(series.c.day, sa.Date)]
    else:
        series, days = None, [first + timedelta(days=n) for n in range((last - first).days + 1)]
    selects = []
    for day in days:
        low = sa.select(sa.func.min(key)).where(column == day).scalar_subquery()
        high = sa.select(sa.func.max(key)).where(column == day).scalar_subquery()
        one = sa.select(low.label("low"), high.label("high"))
        selects.append(one if series is None else one.select_from(series))
    per_day = (selects[0] if len(selects) == 1 else sa.union_all(*selects)).subquery()
    found = db.session.execute(sa.select(sa.func.min(per_day.c.low), sa.func.max(per_day.c.high)))
    low_found, high_found = found.one()
    return low_found, high_found


def probe(
    stmt: sa.Select[Any], part: Part, newer: bool, late: LateReading, limit: int
) -> list[Any] | None:
    """The rows among the first PROBE_ROWS of ``stmt`` that pass, if they fill the page. The
    filter is applied outside the walk, so no planner can read the filter's rows instead."""
    columns = {c.key: c for c in (late.id_column, *part.keys, late.late.index_key)}
    walked = stmt.with_only_columns(*columns.values()).limit(PROBE_ROWS).subquery()
    keys = [walked.c[key.key] for key in part.keys]
    passing = ClauseAdapter(walked).traverse(late.late.where)
    ids = sa.select(walked.c[late.id_column.key]).where(passing)
    ids = ids.order_by(*[key.asc() if newer else key.desc() for key in keys]).limit(limit)
    found = list(db.session.scalars(ids))
    if len(found) < limit:
        return None
    return list(db.session.scalars(stmt.where(late.id_column.in_(found)).limit(limit)))
