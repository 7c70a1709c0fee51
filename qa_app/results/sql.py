"""SQL pieces of the aggregates: date functions that SQLite and PostgreSQL spell differently,
and a conditional count."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from ..database import utc_day as utc_day  # the evaluations' day copy uses it too


class iso_week_start(FunctionElement[Any]):  # noqa: N801
    """The Monday of the ISO week of a timestamp, in UTC."""

    type = sa.Date()
    inherit_cache = True


@compiles(iso_week_start, "sqlite")
def _week_sqlite(element: iso_week_start, compiler: Any, **kw: Any) -> str:
    # 'weekday 0' moves forward to Sunday (or stays), six days back is that week's Monday.
    return f"date({compiler.process(element.clauses, **kw)}, 'weekday 0', '-6 days')"


@compiles(iso_week_start, "postgresql")
def _week_postgresql(element: iso_week_start, compiler: Any, **kw: Any) -> str:
    inner = compiler.process(element.clauses, **kw)
    return f"CAST(date_trunc('week', timezone('UTC', {inner})) AS DATE)"


class month_of(FunctionElement[Any]):  # noqa: N801
    """The first day of the calendar month of a date."""

    type = sa.Date()
    inherit_cache = True


@compiles(month_of, "sqlite")
def _month_sqlite(element: month_of, compiler: Any, **kw: Any) -> str:
    return f"date({compiler.process(element.clauses, **kw)}, 'start of month')"


@compiles(month_of, "postgresql")
def _month_postgresql(element: month_of, compiler: Any, **kw: Any) -> str:
    # A plain timestamp, so the session's time zone plays no part.
    inner = compiler.process(element.clauses, **kw)
    return f"CAST(date_trunc('month', CAST({inner} AS TIMESTAMP)) AS DATE)"


class unindexed(FunctionElement[Any]):  # noqa: N801
    """A column compared without an index on it, on SQLite (`+column`); as is elsewhere.

    SQLite guesses that a range on a column keeps a small share of the rows and would read a
    team's weeks through the index by week of every agent; this leaves it the primary key, which
    starts with the agent. PostgreSQL weighs the ranges by its statistics and needs no help.
    """

    inherit_cache = True

    def __init__(self, column: sa.ColumnElement[Any]) -> None:
        super().__init__(column)
        self.type = column.type  # compared and bound as the column is


@compiles(unindexed, "sqlite")
def _unindexed_sqlite(element: unindexed, compiler: Any, **kw: Any) -> str:
    return f"+{compiler.process(element.clauses, **kw)}"


@compiles(unindexed)
def _unindexed_default(element: unindexed, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


def count_if(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    """How many rows of the group meet the condition (0, not NULL, for none)."""
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)
