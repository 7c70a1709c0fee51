"""`flask reports export --team ID | --agent ID | --all --from DATE --to DATE -o FILE`."""

from __future__ import annotations

import os
import tempfile
from datetime import datetime
from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import force_locale

from ..accounts.models import Role, Team, User
from ..accounts.services import get_user_by_email
from ..audit.models import AuditAction
from ..audit.services import os_user, record_event
from ..extensions import db
from ..i18n import DEFAULT_LANGUAGE, LANGUAGES
from ..jobs.terminal import terminal_progress
from ..results.periods import CHANNELS, Filters
from ..xlsx.writer import ReportTooLarge, SheetShape, write_report
from . import services
from .evaluation_chunks import Progress

group = AppGroup("reports", help="Excel coaching reports.")
DAY = click.DateTime(["%Y-%m-%d"])


def _target(team_id: int | None, agent_id: int | None) -> tuple[Team | None, User | None]:
    """The team or the agent asked for; neither for the whole organisation."""
    if team_id is not None:
        team = db.session.get(Team, team_id)
        if team is None:
            raise click.ClickException(f"There is no team {team_id}.")
        return team, None
    if agent_id is not None:
        agent = db.session.get(User, agent_id)
        if agent is None or agent.role != Role.AGENT:
            raise click.ClickException(f"There is no agent {agent_id}.")
        return None, agent
    return None, None


def _export(
    target: tuple[Team | None, User | None],
    filters: Filters,
    creator: str,
    sheets: bool,
    progress: Progress,
) -> services.Export:
    team, agent = target
    if team is not None:
        return services.team_export(team, filters, creator, sheets, progress)
    if agent is not None:
        return services.agent_export(agent, filters, creator, progress)
    return services.organisation_export(filters, creator, sheets, progress)


def _creator(email: str | None) -> tuple[str, str | None]:
    """Who the report names as its author, and the language they chose (None: not chosen)."""
    if email is None:
        return "QA Scorecard", None
    user = get_user_by_email(email)
    if user is None:
        raise click.ClickException(f"There is no user {email}.")
    return user.display_name, user.language


def _write(export: services.Export, output: Path) -> list[SheetShape]:
    """Write next to the target and rename, so a failed export leaves no half-written file."""
    folder = output.resolve().parent
    handle, partial = tempfile.mkstemp(dir=folder, prefix=".report-", suffix=".xlsx")
    os.close(handle)
    try:
        shapes = write_report(export.report, partial)
        os.replace(partial, output)
    except ReportTooLarge as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
    return shapes


@group.command("export")
@click.option("--team", "team_id", type=int, help="A team's report.")
@click.option("--agent", "agent_id", type=int, help="An agent's coaching report.")
@click.option("--all", "everyone", is_flag=True, help="The whole organisation's report.")
@click.option("--from", "start", type=DAY, required=True, help="First day, YYYY-MM-DD (UTC).")
@click.option("--to", "end", type=DAY, required=True, help="Last day, YYYY-MM-DD (UTC).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--agent-sheets", is_flag=True, help="Add one coaching sheet per agent.")
@click.option("--channel", type=click.Choice(CHANNELS), help="Only this channel.")
@click.option("--scorecard", "scorecard_id", type=int, help="Only this scorecard.")
@click.option("--as", "as_email", metavar="EMAIL", help="The user named as the report's creator.")
@click.option(
    "--language",
    type=click.Choice(list(LANGUAGES)),
    help="The report's language (default: the --as user's choice, else English).",
)
def export_command(
    team_id: int | None,
    agent_id: int | None,
    everyone: bool,
    start: datetime,
    end: datetime,
    output: Path,
    agent_sheets: bool,
    channel: str | None,
    scorecard_id: int | None,
    as_email: str | None,
    language: str | None,
) -> None:
    """Write the Excel report of a team, an agent or the whole organisation for a period."""
    _check_arguments(team_id, agent_id, everyone, start, end)
    filters = Filters("custom", start.date(), end.date(), channel, scorecard_id)
    creator, preferred = _creator(as_email)
    target = _target(team_id, agent_id)
    size = services.report_size(filters, *target)
    with (
        force_locale(language or preferred or DEFAULT_LANGUAGE),
        terminal_progress(size, "Evaluations") as progress,
    ):
        export = _export(target, filters, creator, agent_sheets, progress)
        shapes = _write(export, output)
    rows = sum(shape.rows for shape in shapes)
    _audit(target, output)
    click.echo(f"Wrote {output}: {len(shapes)} sheets, {rows:,} rows.")


def _audit(target: tuple[Team | None, User | None], output: Path) -> None:
    """The report left the application: an export event, as for a download."""
    team, agent = target
    what = f"team {team.id}" if team else f"agent {agent.id}" if agent else "organisation"
    detail = {"what": "excel_report", "file": output.name, "via": "command line"}
    record_event(AuditAction.EXPORT, target=what, detail=detail | {"os_user": os_user()})
    db.session.commit()


def _check_arguments(
    team_id: int | None, agent_id: int | None, everyone: bool, start: datetime, end: datetime
) -> None:
    """Refuse anything but exactly one of team, agent and everyone, or a period that ends early."""
    if [team_id is not None, agent_id is not None, everyone].count(True) != 1:
        raise click.UsageError("Give exactly one of --team, --agent or --all.")
    if end < start:
        raise click.UsageError("--to must not be before --from.")
