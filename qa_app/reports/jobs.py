"""Large Excel reports as jobs: the worker writes the workbook to a job file its owner downloads.

A report listing more than REPORT_JOB_THRESHOLD_EVALUATIONS evaluations is started as a job by
the download routes. Who may see the report is checked when the job is made (by the route) and
again when the worker runs it, as the owner's rights may have changed meanwhile (docs/jobs.md).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..accounts.models import Team, User
from ..extensions import db
from ..jobs import files
from ..jobs import services as jobs
from ..jobs.models import Job, JobKind
from ..jobs.services import Outcome, Runner
from ..results.access import ALL_RESULTS, may_see_agent, may_see_team
from ..results.periods import Filters
from ..xlsx.writer import ReportTooLarge, write_report
from .services import (
    XLSX_MIMETYPE,
    Export,
    agent_export,
    organisation_export,
    report_size,
    team_export,
)

AGENT, TEAM, ORGANISATION = "agent", "team", "organisation"

# What the progress bar counts, as the job page words it.
EVALUATIONS = _l("%(done)s of %(total)s evaluations")


def is_large(size: int) -> bool:
    """Whether a report of this many evaluations is written by the worker."""
    return size > int(current_app.config["REPORT_JOB_THRESHOLD_EVALUATIONS"])


def start_report_job(
    owner: User, report: str, target_id: int, filters: Filters, agent_sheets: bool = False
) -> Job:
    """A queued report job (the caller commits and enqueues); `report` is AGENT, TEAM or
    ORGANISATION (whose target is 0)."""
    params = {
        "report": report,
        "target": target_id,
        "filters": {
            "period": filters.period,
            "start": filters.start.isoformat(),
            "end": filters.end.isoformat(),
            "channel": filters.channel,
            "scorecard_id": filters.scorecard_id,
        },
        "agent_sheets": agent_sheets,
    }
    return jobs.create_job(JobKind.REPORT_EXPORT, owner, params)


def _filters(values: dict[str, Any]) -> Filters:
    return Filters(
        values["period"],
        date.fromisoformat(values["start"]),
        date.fromisoformat(values["end"]),
        values.get("channel"),
        values.get("scorecard_id"),
    )


def _target(job: Job) -> tuple[Team | None, User | None] | None:
    """The team or agent of the report, if its owner may still see it; None otherwise.

    (None, None) stands for the whole organisation.
    """
    owner, params = job.owner, job.params
    if not owner.is_active:
        return None
    if params.get("report") == ORGANISATION:
        return (None, None) if owner.role in ALL_RESULTS else None
    if params.get("report") == TEAM:
        team = db.session.get(Team, int(params["target"]))
        return (team, None) if team is not None and may_see_team(owner, team) else None
    agent = db.session.get(User, int(params["target"]))
    return (None, agent) if agent is not None and may_see_agent(owner, agent) else None


def _export(job: Job, target: tuple[Team | None, User | None], progress: jobs.Progress) -> Export:
    filters, creator = _filters(job.params["filters"]), job.owner.display_name
    team, agent = target
    sheets = bool(job.params.get("agent_sheets"))
    if team is not None:
        return team_export(team, filters, creator, sheets, progress)
    if agent is None:
        return organisation_export(filters, creator, sheets, progress)
    return agent_export(agent, filters, creator, progress)


def run_report_job(job: Job) -> Outcome:
    """Write the report to a job file; the result names the file and the workbook's size."""
    target = _target(job)
    if target is None:
        return Outcome(False, error=_("You may no longer see this report."))
    total = report_size(_filters(job.params["filters"]), *target)
    progress = jobs.Progress(job.id, total)
    progress(0)
    export = _export(job, target, progress)
    token, path = files.new_file()
    try:
        shapes = write_report(export.report, str(path))
    except ReportTooLarge:
        path.unlink(missing_ok=True)
        error = _("The report has more rows than Excel allows: choose a shorter period.")
        return Outcome(False, error=error)
    except BaseException:  # cancelled or broken: no half-written file stays behind
        path.unlink(missing_ok=True)
        raise
    result = {
        "file": files.describe(token, export.filename, XLSX_MIMETYPE),
        "sheets": len(shapes),
        "rows": sum(shape.rows for shape in shapes),
    }
    return Outcome(True, result, total)


def report_result(result: dict[str, Any]) -> dict[str, Any]:
    """What the job page shows of a finished report: its sheets and rows."""
    return {"sheets": int(result.get("sheets", 0)), "rows": int(result.get("rows", 0))}


def register_jobs() -> None:
    """Large reports run as jobs (called once by create_app)."""
    runner = Runner(run_report_job, "reports/_job_result.html", report_result, EVALUATIONS)
    jobs.register_runner(JobKind.REPORT_EXPORT, runner)
