"""Exports: the report for a request or a command, its download name, and the written file."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from typing import IO

from ..accounts.models import Team, User
from ..results.periods import Filters
from ..xlsx.model import Report
from ..xlsx.safety import ascii_slug
from ..xlsx.writer import write_report
from .agent_report import agent_report
from .team_report import organisation_scope, team_report, team_scope

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Export:
    report: Report
    filename: str  # built here from ids, ASCII and dates: never from what the user sent


def _dates(filters: Filters) -> str:
    return f"{filters.start.isoformat()}-{filters.end.isoformat()}"


def agent_export(agent: User, filters: Filters, creator: str) -> Export:
    slug = ascii_slug(agent.display_name, f"agent-{agent.id}")
    return Export(agent_report(agent, filters, creator), f"coaching-{slug}-{_dates(filters)}.xlsx")


def team_export(team: Team, filters: Filters, creator: str, agent_sheets: bool) -> Export:
    slug = ascii_slug(team.name, str(team.id))
    report = team_report(team_scope(team), filters, creator, agent_sheets)
    return Export(report, f"team-{slug}-{_dates(filters)}.xlsx")


def organisation_export(filters: Filters, creator: str, agent_sheets: bool) -> Export:
    report = team_report(organisation_scope(), filters, creator, agent_sheets)
    return Export(report, f"organisation-{_dates(filters)}.xlsx")


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
