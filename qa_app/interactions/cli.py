"""Flask commands: `flask interactions import FILE [--as EMAIL] [--format NAME]`."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from ..accounts.models import Role, User
from ..accounts.services import get_user_by_email
from ..extensions import db
from . import services
from .helpdesk_records import HELPDESK_FORMATS

group = AppGroup("interactions", help="Import interactions: calls, chats and emails.")


def _importer(email: str) -> User:
    user = get_user_by_email(email)
    if user is None or not user.is_active or user.role not in (Role.ADMIN, Role.REVIEWER):
        raise click.ClickException(f"{email} is not an active reviewer or admin.")
    return user


@group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as", "as_email", metavar="EMAIL", help="The reviewer or admin importing.")
@click.option(
    "--format",
    "file_format",
    type=click.Choice(["auto", *(f.value for f in HELPDESK_FORMATS)]),
    default="auto",
    show_default=True,
    help="A helpdesk export's source; auto recognises CSV, JSON Lines and helpdesk exports.",
)
def import_command(path: Path, as_email: str | None, file_format: str) -> None:
    """Import a CSV, JSON Lines or helpdesk export file of interactions: all of it, or nothing."""
    importer = _importer(as_email) if as_email else None
    chosen = None if file_format == "auto" else file_format
    with path.open("rb") as stream:
        total = services.count_records(stream, chosen)
    # The bar goes to stderr, so that the summary on stdout stays one clean line.
    bar = click.progressbar(length=total, label="Importing", file=sys.stderr)
    with bar, path.open("rb") as stream:
        report = services.import_interactions(
            stream,
            source_name=path.name,
            created_by=importer,
            progress=lambda done: bar.update(done - bar.pos),
            file_format=chosen,
        )
        bar.update(total - bar.pos)
    if not report.ok:
        db.session.rollback()
        for line in report.lines():
            click.echo(line, err=True)
        raise click.ClickException("Nothing was imported.")
    db.session.commit()
    services.after_import(report)
    click.echo(report.summary)
