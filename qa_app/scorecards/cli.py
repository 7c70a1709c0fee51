"""`flask scorecards import|export|list`."""

from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from ..extensions import db
from . import services
from .models import ScorecardVersion
from .schema import ScorecardSchemaError, dump_scorecard_yaml, parse_scorecard_yaml

group = AppGroup("scorecards", help="Import, export and list scorecards.")


@group.command("import")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--publish", is_flag=True, help="Publish at once instead of leaving a draft.")
def import_command(files: tuple[Path, ...], publish: bool) -> None:
    """Import scorecards from YAML files (all or none)."""
    for path in files:
        try:
            doc = parse_scorecard_yaml(path.read_bytes())
        except ScorecardSchemaError as exc:
            db.session.rollback()
            lines = "\n".join(f"  {problem.path}: {problem.message}" for problem in exc.errors)
            raise click.ClickException(
                f"{path}: not imported, nothing was stored.\n{lines}"
            ) from exc
        version = services.import_doc(doc, None, publish_now=publish)
        click.echo(f"{path}: {version.name} (id {version.id}, {version.status.value})")
    db.session.commit()


@group.command("export")
@click.argument("version_id", type=int)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: print).",
)
def export_command(version_id: int, output: Path | None) -> None:
    """Export one scorecard version as YAML."""
    version = db.session.get(ScorecardVersion, version_id)
    if version is None:
        raise click.ClickException(f"No scorecard version with id {version_id}.")
    text = dump_scorecard_yaml(services.to_doc(version))
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {output}")


@group.command("list")
def list_command() -> None:
    """List every scorecard version: id, version, status, language and name."""
    stmt = sa.select(ScorecardVersion).order_by(ScorecardVersion.name, ScorecardVersion.version)
    for version in db.session.scalars(stmt):
        number, status, language = version.version, version.status.value, version.language
        click.echo(f"{version.id:>5}  v{number:<3} {status:<10} {language:<6}{version.name}")
