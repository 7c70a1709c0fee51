"""`flask signals run --all | --since YYYY-MM-DD`: compute the signals of stored interactions."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..autoqa.cli import interaction_ids, since_choice
from ..extensions import db
from ..jobs.terminal import terminal_progress
from .services import compute_many

group = AppGroup("signals", help="Spotlight signals: why an interaction may need a look.")


@group.command("run")
@click.option("--all", "everything", is_flag=True, help="Every stored interaction.")
@click.option("--since", metavar="YYYY-MM-DD", help="Interactions from this day on (UTC).")
def run_command(everything: bool, since: str | None) -> None:
    """Compute the signals again; an interaction's earlier signals are replaced."""
    ids = interaction_ids(since_choice(everything, since))
    with terminal_progress(len(ids), "Signals") as progress:
        stored = compute_many(ids, progress)
    db.session.commit()
    click.echo(f"Stored {stored} signals for {len(ids)} interactions.")
