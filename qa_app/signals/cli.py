"""`flask signals run --all | --since YYYY-MM-DD`: compute the signals of stored interactions."""

from __future__ import annotations

from datetime import datetime

import click
from flask.cli import AppGroup

from ..autoqa.cli import interaction_ids, start_of
from ..extensions import db
from ..jobs.terminal import terminal_progress
from ..moments import parse_day
from .services import compute_many

group = AppGroup("signals", help="Spotlight signals: why an interaction may need a look.")


def _since(everything: bool, since: str | None) -> datetime | None:
    if everything == (since is not None):
        raise click.UsageError("Give either --all or --since YYYY-MM-DD.")
    if since is None:
        return None
    day = parse_day(since)
    if day is None:
        raise click.BadParameter("must be a date such as 2026-03-31", param_hint="--since")
    return start_of(day)


@group.command("run")
@click.option("--all", "everything", is_flag=True, help="Every stored interaction.")
@click.option("--since", metavar="YYYY-MM-DD", help="Interactions from this day on (UTC).")
def run_command(everything: bool, since: str | None) -> None:
    """Compute the signals again; an interaction's earlier signals are replaced."""
    ids = interaction_ids(_since(everything, since))
    with terminal_progress(len(ids), "Signals") as progress:
        stored = compute_many(ids, progress)
    db.session.commit()
    click.echo(f"Stored {stored} signals for {len(ids)} interactions.")
