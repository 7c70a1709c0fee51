"""Flask commands: backup FILE, restore FILE."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from ..audit.models import AuditAction
from ..audit.services import os_user, record_event
from ..extensions import db
from .services import BackupError, backup_database, restore_database


@click.command("backup")
@with_appcontext
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(file: Path) -> None:
    """Write a consistent copy of the database to FILE, even while the app is running."""
    try:
        backup_database(file)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    detail = {"what": "backup", "file": file.name, "via": "command line", "os_user": os_user()}
    record_event(AuditAction.EXPORT, target="database", detail=detail)
    db.session.commit()
    click.echo(f"Backup written to {file}.")


@click.command("restore")
@with_appcontext
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(file: Path, yes: bool) -> None:
    """Replace the whole database with the backup in FILE (stop the web and worker processes)."""
    if not yes:
        click.confirm(
            "This replaces every row of the current database with the backup. Continue?",
            abort=True,
        )
    try:
        restore_database(file)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Database restored from {file}.")
