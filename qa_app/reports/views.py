"""Excel downloads: an agent's coaching report and a team's report, with the results' filters."""

from __future__ import annotations

from flask import Blueprint, request, send_file
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ..results.access import agent_or_404, team_or_404
from ..results.periods import parse_filters
from . import services

bp = Blueprint("reports", __name__, url_prefix="/reports")


def _send(export: services.Export) -> Response:
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


@bp.get("/agents/<int:agent_id>.xlsx")
@login_required
def agent(agent_id: int) -> Response:
    found = agent_or_404(agent_id)
    filters = parse_filters(request.args)[0]
    return _send(services.agent_export(found, filters, current_user.display_name))


@bp.get("/teams/<int:team_id>.xlsx")
@login_required
def team(team_id: int) -> Response:
    found = team_or_404(team_id)
    filters, agent_sheets = parse_filters(request.args)[0], request.args.get("sheets") == "1"
    return _send(services.team_export(found, filters, current_user.display_name, agent_sheets))
