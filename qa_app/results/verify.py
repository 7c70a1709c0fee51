"""Prove the kept aggregates right: compare each table with its recomputation inside the database.

Each comparison runs two `EXCEPT` statements (kept rows the recomputation lacks, recomputed rows
that are not kept) and fetches only how many rows differ and a few of their keys, so the memory of
`flask results check` stays flat however many rows the tables hold; the database sorts or hashes,
spilling to disk as it needs. Float and numeric values are compared rounded to DECIMALS places,
as sums added in another order may differ in their last bits.

A new aggregate table is checked by adding one line to COMPARISONS below:

    Comparison(AgentWeekStats.__table__, week_select(), WEEK_COLUMNS),

where `week_select()` recomputes the whole table and WEEK_COLUMNS names the table's columns in
the order the select gives them. Rows are matched on the table's primary key unless `keys=` names
other columns (docs/results.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .aggregates import (
    CAUSE_COLUMNS,
    CRITERION_COLUMNS,
    STATS_COLUMNS,
    cause_select,
    criterion_select,
    stats_select,
)
from .families import DAY, FAMILIES, ORGANISED, ROLLUPS, TEAMS
from .interaction_aggregates import INTERACTION_COLUMNS, interaction_select
from .models import (
    AgentDayCauseStats,
    AgentDayCriterionStats,
    AgentDayInteractionStats,
    AgentDayStats,
)
from .rollups import (
    organisation_columns,
    organisation_day_columns,
    organisation_day_select,
    organisation_week_select,
    rollup_select,
)
from .team_rollups import team_select

DECIMALS = 4
SAMPLES = 3  # differing keys shown per table and direction


@dataclass(frozen=True)
class Comparison:
    """A kept table and the select that recomputes all of it.

    `columns` names the table's columns in the order the select gives them; `keys` are the
    columns that name a row (the primary key when left empty).
    """

    table: sa.FromClause
    fresh: sa.Select[Any]
    columns: Sequence[str]
    keys: Sequence[str] = ()

    @property
    def key_columns(self) -> list[str]:
        return list(self.keys) or [column.name for column in self.table.primary_key]


@dataclass(frozen=True)
class Difference:
    """How one table differs from its recomputation."""

    table: str
    kept_only: int  # kept rows the recomputation does not give (stale or left over)
    fresh_only: int  # recomputed rows that are not kept (stale or missing)
    samples: list[dict[str, Any]] = field(default_factory=list)  # keys of a few of them

    @property
    def rows(self) -> int:
        return self.kept_only + self.fresh_only


# What `flask results check` compares, one line per aggregate table.
COMPARISONS: list[Comparison] = [
    Comparison(AgentDayStats.__table__, stats_select(), STATS_COLUMNS),
    Comparison(AgentDayCriterionStats.__table__, criterion_select(), CRITERION_COLUMNS),
    Comparison(AgentDayInteractionStats.__table__, interaction_select(), INTERACTION_COLUMNS),
    Comparison(AgentDayCauseStats.__table__, cause_select(), CAUSE_COLUMNS),
    # The weekly and monthly rollups against a sum of the daily rows (checked just above).
    *(
        Comparison(
            family.model(grain).__table__, rollup_select(family, grain), family.columns(grain)
        )
        for family in FAMILIES
        for grain in ROLLUPS
    ),
    # The organisation's weeks and days against a sum of every agent's daily rows.
    *(
        Comparison(
            family.organisation_week.__table__,
            organisation_week_select(family, DAY),
            organisation_columns(family),
        )
        for family in ORGANISED
    ),
    *(
        Comparison(
            family.organisation_day.__table__,
            organisation_day_select(family),
            organisation_day_columns(family),
        )
        for family in ORGANISED
    ),
    # Each team's rows against a sum of the daily rows of its members today.
    *(
        Comparison(
            teams.model(grain).__table__,
            team_select(family, grain, source=DAY),
            teams.columns(grain),
        )
        for family, teams in TEAMS.items()
        for grain in (DAY, *ROLLUPS)
    ),
]


def _comparable(value: Any, kind: sa.types.TypeEngine[Any], name: str) -> Any:
    """The value as compared: floats and decimals rounded, everything else as stored (and read
    back as the table's type, so a key prints alike from either side)."""
    if isinstance(kind, sa.Float | sa.Numeric):
        value = sa.func.round(sa.cast(value, sa.Numeric), sa.literal_column(str(DECIMALS)))
    else:
        value = sa.type_coerce(value, kind)
    return value.label(name)


def _sides(comparison: Comparison) -> tuple[sa.Select[Any], sa.Select[Any]]:
    table, names = comparison.table, list(comparison.columns)
    kept = sa.select(*[_comparable(table.c[name], table.c[name].type, name) for name in names])
    fresh = comparison.fresh.subquery()
    recomputed = sa.select(
        *[
            _comparable(column, table.c[name].type, name)
            for column, name in zip(fresh.c, names, strict=True)
        ]
    )
    return kept, recomputed


def _one_way(
    connection: Connection, left: sa.Select[Any], right: sa.Select[Any], keys: list[str]
) -> tuple[int, list[dict[str, Any]]]:
    """How many rows of `left` are not in `right`, and the keys of a few of them."""
    differing = left.except_(right).subquery()
    total = sa.func.count().over().label("total")  # counted before the LIMIT cuts
    stmt = sa.select(*[differing.c[key] for key in keys], total).limit(SAMPLES)
    rows = connection.execute(stmt).all()
    return (rows[0].total if rows else 0), [dict(zip(keys, row[:-1], strict=True)) for row in rows]


def compare(connection: Connection, comparison: Comparison) -> Difference:
    """One table against its recomputation, without bringing their rows out of the database."""
    kept, recomputed = _sides(comparison)
    keys = comparison.key_columns
    kept_only, stale = _one_way(connection, kept, recomputed, keys)
    fresh_only, missing = _one_way(connection, recomputed, kept, keys)
    samples = stale + [key for key in missing if key not in stale]
    return Difference(comparison.table.description, kept_only, fresh_only, samples)


def compare_all(connection: Connection) -> list[Difference]:
    """Every aggregate table of COMPARISONS against its recomputation."""
    return [compare(connection, comparison) for comparison in COMPARISONS]
