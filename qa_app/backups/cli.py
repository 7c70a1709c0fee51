"""Flask commands: backup FILE, restore FILE."""

from __future__ import annotations

import getpass
from pathlib import Path

import click
from flask.cli import with_appcontext

from ..audit.models import AuditAction
from ..audit.services import record_event
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
    detail = {"what": "backup", "file": file.name, "via": "command line", "os_user": _os_user()}
    record_event(AuditAction.EXPORT, target="database", detail=detail)
    db.session.commit()
    click.echo(f"Backup written to {file}.")


def _os_user() -> str:
    """Who ran the command, as the operating system names them (the audit log's actor)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this user id (a bare container)
        return ""


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
