"""`flask privacy retention`: apply the retention rule now, as the worker does daily."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..extensions import db
from .services import run_retention

group = AppGroup("privacy", help="Retention of transcripts and recording links.")


@group.command("retention")
def retention_command() -> None:
    """Remove transcripts and recording links older than the admin's retention setting."""
    cleared = run_retention()
    db.session.commit()
    if cleared is None:
        click.echo("No retention period is set: transcripts are kept for ever.")
    else:
        click.echo(f"Removed the transcripts of {cleared} interactions.")
