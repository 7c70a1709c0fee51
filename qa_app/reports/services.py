"""Exports: the report for a request or a command, its download name, and the written file."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from typing import IO

from ..accounts.models import Team, User
from ..results.periods import Filters
from ..results.queries import AgentIds, team_agent_ids
from ..xlsx.model import Report
from ..xlsx.safety import ascii_slug
from ..xlsx.writer import write_report
from .agent_report import agent_report
from .evaluation_chunks import Progress, count_evaluations
from .team_report import organisation_scope, team_report, team_scope

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Export:
    report: Report
    filename: str  # built here from ids, ASCII and dates: never from what the user sent


def _dates(filters: Filters) -> str:
    return f"{filters.start.isoformat()}-{filters.end.isoformat()}"


def agent_export(
    agent: User, filters: Filters, creator: str, progress: Progress | None = None
) -> Export:
    slug = ascii_slug(agent.display_name, f"agent-{agent.id}")
    report = agent_report(agent, filters, creator, progress)
    return Export(report, f"coaching-{slug}-{_dates(filters)}.xlsx")


def team_export(
    team: Team,
    filters: Filters,
    creator: str,
    agent_sheets: bool,
    progress: Progress | None = None,
) -> Export:
    slug = ascii_slug(team.name, str(team.id))
    report = team_report(team_scope(team), filters, creator, agent_sheets, progress)
    return Export(report, f"team-{slug}-{_dates(filters)}.xlsx")


def organisation_export(
    filters: Filters, creator: str, agent_sheets: bool, progress: Progress | None = None
) -> Export:
    report = team_report(organisation_scope(), filters, creator, agent_sheets, progress)
    return Export(report, f"organisation-{_dates(filters)}.xlsx")


def report_size(filters: Filters, team: Team | None = None, agent: User | None = None) -> int:
    """How many evaluations a report lists: one agent's, one team's, or everyone's."""
    agent_ids: AgentIds | None = None
    if agent is not None:
        agent_ids = [agent.id]
    elif team is not None:
        agent_ids = team_agent_ids(team.id)
    return count_evaluations(filters, agent_ids)


def write_temporary(export: Export) -> IO[bytes]:
    """The workbook in an anonymous temporary file, rewound, for a download to stream."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115  (the response closes it)
    try:
        write_report(export.report, handle)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return handle
