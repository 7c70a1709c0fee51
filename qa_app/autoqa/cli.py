"""`flask autoqa run --all | --since YYYY-MM-DD`: auto-score stored interactions."""

from __future__ import annotations

from datetime import UTC, date, datetime

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from ..extensions import db
from ..interactions.models import Interaction
from ..jobs.terminal import terminal_progress
from ..moments import parse_day
from .services import score_many

group = AppGroup("autoqa", help="Auto QA: score interactions with the scorecards' rules.")


def interaction_ids(since: datetime | None) -> list[int]:
    """The interactions to score: all, or those that took place from ``since`` on."""
    stmt = sa.select(Interaction.id).order_by(Interaction.id)
    if since is not None:
        stmt = stmt.where(Interaction.occurred_at >= since)
    return list(db.session.scalars(stmt))


def since_choice(everything: bool, since: str | None) -> datetime | None:
    """The start of ``--since`` (None for ``--all``); exactly one of the two must be given."""
    if everything == (since is not None):
        raise click.UsageError("Give either --all or --since YYYY-MM-DD.")
    if since is None:
        return None
    day = parse_day(since)
    if day is None:
        raise click.BadParameter("must be a date such as 2026-03-31", param_hint="--since")
    return start_of(day)


def start_of(day: date) -> datetime:
    """Midnight UTC at the start of ``day``."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


@group.command("run")
@click.option("--all", "everything", is_flag=True, help="Score every stored interaction.")
@click.option("--since", metavar="YYYY-MM-DD", help="Score interactions from this day on (UTC).")
def run_command(everything: bool, since: str | None) -> None:
    """Score stored interactions again; earlier results of the same scorecard are replaced."""
    ids = interaction_ids(since_choice(everything, since))
    with terminal_progress(len(ids), "Scoring") as progress:
        stored = score_many(ids, progress)
    db.session.commit()
    click.echo(f"Auto-scored {stored} of {len(ids)} interactions.")
