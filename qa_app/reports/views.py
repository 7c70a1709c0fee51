"""Excel downloads: an agent's coaching report and a team's report, with the results' filters.

A report over many evaluations is written by the worker instead: the download link then shows a
page whose button (a POST, as it changes state) starts a job and goes to the job's page, which
offers the file when it is ready (reports/jobs.py).
"""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ..audit.models import AuditAction
from ..audit.services import record_event
from ..extensions import db
from ..jobs.tasks import enqueue
from ..results.access import agent_or_404, team_or_404
from ..results.periods import Filters, filter_args, parse_filters
from . import jobs, services

bp = Blueprint("reports", __name__, url_prefix="/reports")


def _send(export: services.Export, target: str) -> Response:
    detail = {"what": "excel_report", "file": export.filename}
    record_event(AuditAction.EXPORT, target=target, detail=detail)
    db.session.commit()
    response = send_file(
        services.write_temporary(export),
        mimetype=services.XLSX_MIMETYPE,
        as_attachment=True,
        download_name=export.filename,
        conditional=False,
        etag=False,
    )
    response.headers["Cache-Control"] = "no-store"  # people's scores: never kept in a cache
    return response


def _offer_job(name: str, size: int) -> str:
    """The page of a large report: its button starts the job (same URL and filters, POST)."""
    args = filter_args(request.args)
    if request.args.get("sheets") == "1":
        args["sheets"] = "1"
    action = url_for(request.endpoint or "", **(request.view_args or {}), **args)
    return render_template("reports/prepare.html", name=name, size=size, action=action)


def _start_job(
    report: str, target_id: int, filters: Filters, agent_sheets: bool = False
) -> Response:
    job = jobs.start_report_job(current_user, report, target_id, filters, agent_sheets)
    job_id, task_id = job.id, str(job.task_id)
    db.session.commit()
    enqueue(job_id, task_id)
    return redirect(url_for("jobs.detail", job_id=job_id))


@bp.get("/agents/<int:agent_id>.xlsx")
@login_required
def agent(agent_id: int) -> Response | str:
    found = agent_or_404(agent_id)
    filters = parse_filters(request.args)[0]
    size = services.report_size(filters, agent=found)
    if jobs.is_large(size):
        return _offer_job(found.display_name, size)
    export = services.agent_export(found, filters, current_user.display_name)
    return _send(export, f"agent {found.id}")


@bp.post("/agents/<int:agent_id>.xlsx")
@login_required
def agent_job(agent_id: int) -> Response:
    found = agent_or_404(agent_id)
    return _start_job(jobs.AGENT, found.id, parse_filters(request.args)[0])


@bp.get("/teams/<int:team_id>.xlsx")
@login_required
def team(team_id: int) -> Response | str:
    found = team_or_404(team_id)
    filters, agent_sheets = parse_filters(request.args)[0], request.args.get("sheets") == "1"
    size = services.report_size(filters, team=found)
    if jobs.is_large(size):
        return _offer_job(found.name, size)
    export = services.team_export(found, filters, current_user.display_name, agent_sheets)
    return _send(export, f"team {found.id}")


@bp.post("/teams/<int:team_id>.xlsx")
@login_required
def team_job(team_id: int) -> Response:
    found = team_or_404(team_id)
    filters, agent_sheets = parse_filters(request.args)[0], request.args.get("sheets") == "1"
    return _start_job(jobs.TEAM, found.id, filters, agent_sheets)
