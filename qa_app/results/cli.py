"""`flask results rebuild|check`: rebuild the aggregates, or prove they match the base tables.

`flask results clear-charts` empties the chart cache (docs/performance.md).
"""

from __future__ import annotations

from decimal import Decimal

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from ..extensions import cache, db
from ..jobs.terminal import terminal_progress
from .aggregates import (
    CRITERION_COLUMNS,
    REBUILD_STEPS,
    STATS_COLUMNS,
    criterion_select,
    rebuild,
    stats_select,
)
from .interaction_aggregates import INTERACTION_COLUMNS, interaction_select
from .models import AgentDayCriterionStats, AgentDayInteractionStats, AgentDayStats

group = AppGroup("results", help="Maintain the result aggregates.")


@group.command("rebuild")
def rebuild_command() -> None:
    """Throw the aggregates away and build them again from the evaluations and interactions."""
    with terminal_progress(REBUILD_STEPS, "Rebuilding") as progress:
        rebuild(db.session.connection(), progress)
    db.session.commit()
    count = db.session.scalar(sa.select(sa.func.count()).select_from(AgentDayStats))
    click.echo(f"Rebuilt the result aggregates: {count} agent-day rows.")


def _plain(value: object) -> str:
    """One spelling per value: sums come as int, float or Decimal, days as date or text."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return f"{float(value):.4f}"
    return str(value)


def _rows(stmt: sa.Select[tuple[object, ...]]) -> set[tuple[str, ...]]:
    return {tuple(_plain(value) for value in row) for row in db.session.execute(stmt)}


@group.command("check")
def check_command() -> None:
    """Compare the kept aggregates with a fresh computation; exit 1 when they differ."""
    pairs = [
        (AgentDayStats, STATS_COLUMNS, stats_select()),
        (AgentDayCriterionStats, CRITERION_COLUMNS, criterion_select()),
        (AgentDayInteractionStats, INTERACTION_COLUMNS, interaction_select()),
    ]
    differences = 0
    for model, columns, fresh in pairs:
        kept = _rows(sa.select(*[getattr(model, name) for name in columns]))
        differences += len(kept ^ _rows(fresh))
    db.session.rollback()
    if differences:
        raise click.ClickException(
            f"The aggregates differ from a fresh computation ({differences} rows); "
            "run `flask results rebuild`."
        )
    click.echo("The result aggregates match the evaluations and interactions.")


@group.command("clear-charts")
def clear_charts_command() -> None:
    """Forget every drawn chart; each one is drawn again the next time it is shown."""
    cache.clear()
    click.echo("The chart cache is empty.")
