"""`flask results rebuild|check`: rebuild the aggregates, or prove they match the base tables.

`flask results clear-charts` empties the chart cache (docs/performance.md).
"""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from ..extensions import cache, db
from ..jobs.terminal import terminal_progress
from .aggregates import REBUILD_STEPS, rebuild
from .models import AgentDayStats
from .verify import Difference, compare_all

group = AppGroup("results", help="Maintain the result aggregates.")


@group.command("rebuild")
def rebuild_command() -> None:
    """Throw the aggregates away and build them again from the evaluations and interactions."""
    with terminal_progress(REBUILD_STEPS, "Rebuilding") as progress:
        rebuild(db.session.connection(), progress)
    db.session.commit()
    count = db.session.scalar(sa.select(sa.func.count()).select_from(AgentDayStats))
    click.echo(f"Rebuilt the result aggregates: {count} agent-day rows.")


def _describe(found: Difference) -> str:
    keys = "; ".join(
        ", ".join(f"{name}={value}" for name, value in key.items()) for key in found.samples
    )
    return (
        f"{found.table}: {found.rows} rows differ ({found.kept_only} kept that a fresh computation "
        f"lacks, {found.fresh_only} computed that are not kept), e.g. {keys}"
    )


@group.command("check")
def check_command() -> None:
    """Compare the kept aggregates with a fresh computation; exit 1 when they differ."""
    found = compare_all(db.session.connection())
    db.session.rollback()
    differing = [difference for difference in found if difference.rows]
    for difference in differing:
        click.echo(_describe(difference))
    if differing:
        raise click.ClickException(
            f"The aggregates differ from a fresh computation "
            f"({sum(d.rows for d in differing)} rows); run `flask results rebuild`."
        )
    click.echo("The result aggregates match the evaluations and interactions.")


@group.command("clear-charts")
def clear_charts_command() -> None:
    """Forget every drawn chart and kept team page; each is made again when next shown."""
    cache.clear()
    click.echo("The chart cache is empty.")
