"""/api/v1/results: the organisation's, a team's and an agent's figures for a period.

The same service functions as the result pages compute them, so the numbers are the pages'.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import sqlalchemy as sa
from flask import abort, request
from flask_login import current_user
from flask_smorest import Blueprint

from ...accounts.models import Role, Team
from ...extensions import db
from ...results import queries, services
from ...results.access import agent_or_404, team_or_404
from ...results.periods import Filters, parse_filters
from . import schemas
from .problems import Invalid
from .routing import documents, protect

bp = Blueprint("api_results", __name__, description="Scores and customer metrics per period.")
protect(bp)
ARGS = [{"in": "query", "schema": schemas.ResultArgs}]


def _filters() -> Filters:
    """The result pages' filters; what they would correct and say, the API refuses."""
    filters, problems = parse_filters(request.args)
    if problems:
        raise Invalid({"": problems})
    return filters


def _totals(totals: queries.Totals) -> dict[str, Any]:
    names = ("quality", "pass_rate", "csat", "nps", "ces", "fcr", "aht", "bands")
    return {**asdict(totals), **{name: getattr(totals, name) for name in names}}


def _period(filters: Filters) -> dict[str, Any]:
    return asdict(filters)


@bp.get("/results")
@bp.doc(parameters=ARGS)
@bp.response(200, schemas.OrganisationResultsSchema)
@documents(bp, 400, 403)
def organisation() -> dict[str, Any]:
    """Every team's figures (a lead: their teams'), and the whole organisation's for staff."""
    if current_user.role == Role.AGENT:
        abort(403)
    filters = _filters()
    if current_user.role == Role.LEAD:
        teams, overall = list(current_user.led_teams), None
        by_team = queries.totals_by_team(filters, [t.id for t in teams])
    else:
        teams = list(db.session.scalars(sa.select(Team).order_by(Team.name)))
        by_team, overall = queries.totals_by_team_and_all(filters)
    rows = [
        {"team_id": t.id, "name": t.name, "totals": _totals(by_team.get(t.id, queries.Totals()))}
        for t in teams
    ]
    return {
        "filters": _period(filters),
        "overall": _totals(overall) if overall else None,
        "teams": rows,
    }


@bp.get("/results/teams/<int:team_id>")
@bp.doc(parameters=ARGS)
@bp.response(200, schemas.TeamResultsSchema)
@documents(bp, 400, 404)
def team(team_id: int) -> dict[str, Any]:
    """A team's figures and each of its agents', now and in the period before."""
    found = team_or_404(team_id)
    filters = _filters()
    results = services.team_results(found, filters)
    agents = [
        {
            "agent_id": a.id,
            "name": a.display_name,
            "current": _totals(now),
            "previous": _totals(before),
        }
        for a, now, before in results.agents
    ]
    return {
        "filters": _period(filters),
        "team_id": found.id,
        "current": _totals(results.current),
        "previous": _totals(results.previous),
        "agents": agents,
    }


@bp.get("/results/agents/<int:agent_id>")
@bp.doc(parameters=ARGS)
@bp.response(200, schemas.AgentResultsSchema)
@documents(bp, 400, 404)
def agent(agent_id: int) -> dict[str, Any]:
    """An agent's figures, the period before, and their team's."""
    found = agent_or_404(agent_id)
    filters = _filters()
    results = services.agent_results(found, filters)
    return {
        "filters": _period(filters),
        "agent_id": found.id,
        "team_id": results.team.id if results.team else None,
        "current": _totals(results.current),
        "previous": _totals(results.previous),
        "team_current": _totals(results.team_current),
    }
