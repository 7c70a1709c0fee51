"""Result pages: organisation, team and agent, with their charts."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as BaseResponse

from ..accounts.access import agents_led_by
from ..accounts.models import Role, Team
from ..extensions import db
from ..scorecards.access import can_manage
from ..scorecards.models import ScorecardVersion, Status
from ..ui.labels import band_label
from . import causes, charts, queries, services
from .access import agent_or_404, team_or_404
from .periods import Filters, filter_args, parse_filters

bp = Blueprint("results", __name__, url_prefix="/results")


def _filters() -> tuple[Filters, list[str]]:
    return parse_filters(request.args)


def _scorecards() -> list[tuple[int, str]]:
    """The filter's scorecards, named as their newest version the reader may see."""
    stmt = sa.select(ScorecardVersion.scorecard_id, ScorecardVersion.name).order_by(
        ScorecardVersion.id
    )
    if not can_manage():  # drafts are hidden from everyone who does not manage scorecards
        stmt = stmt.where(ScorecardVersion.status != Status.DRAFT)
    return sorted(
        {sid: name for sid, name in db.session.execute(stmt)}.items(), key=lambda kv: kv[1]
    )


def _page(template: str, **context: object) -> str:
    filters, problems = _filters()
    return render_template(
        template,
        filters=filters,
        problems=problems,
        scorecards=_scorecards(),
        change=services.change,
        **context,
    )


@bp.get("/")
@login_required
def index() -> str | BaseResponse:
    if current_user.role == Role.AGENT:
        return redirect(
            url_for("results.agent", agent_id=current_user.id, **filter_args(request.args))
        )
    if current_user.role == Role.LEAD:
        teams = current_user.led_teams
        if len(teams) == 1:
            return redirect(
                url_for("results.team", team_id=teams[0].id, **filter_args(request.args))
            )
        filters = _filters()[0]
        by_team = queries.totals_by_team(filters, [t.id for t in teams])
        return _page(
            "results/org.html",
            teams=[(t, by_team.get(t.id, queries.Totals())) for t in teams],
            overall=None,
            auto=services.auto_series(filters, agents_led_by(current_user)),
            root_causes=causes.root_causes(filters, agents_led_by(current_user)),
        )
    filters = _filters()[0]
    by_team = queries.totals_by_team(filters)
    teams = db.session.scalars(sa.select(Team).order_by(Team.name)).all()
    return _page(
        "results/org.html",
        teams=[(t, by_team.get(t.id, queries.Totals())) for t in teams],
        overall=queries.totals(filters, None),
        auto=services.auto_series(filters, None),
        root_causes=causes.root_causes(filters, None),
    )


@bp.get("/teams/<int:team_id>")
@login_required
def team(team_id: int) -> str:
    found = team_or_404(team_id)
    filters = _filters()[0]
    return _page(
        "results/team.html",
        results=services.team_results(found, filters),
        root_causes=causes.root_causes(filters, queries.team_agent_ids(found.id)),
    )


@bp.get("/agents/<int:agent_id>")
@login_required
def agent(agent_id: int) -> str:
    found = agent_or_404(agent_id)
    filters = _filters()[0]
    return _page(
        "results/agent.html",
        results=services.agent_results(found, filters),
        root_causes=causes.root_causes(filters, [found.id]),
    )


def _svg(data: bytes) -> Response:
    # No cache header of its own: charts show scores, so they get every page's no-store.
    return Response(data, mimetype="image/svg+xml")


def _trend(series: list[tuple[str, list[tuple[object, float | None]]]]) -> Response:
    return _svg(charts.trend_chart(series, _("Weekly quality score"), _("Quality score")))


def _quality(points: list[tuple[object, queries.Totals]]) -> list[tuple[object, float | None]]:
    return [(week, totals.quality) for week, totals in points]


@bp.get("/teams/<int:team_id>/trend.svg")
@login_required
def team_trend(team_id: int) -> Response:
    found = team_or_404(team_id)
    weeks = queries.weekly(_filters()[0], queries.team_agent_ids(found.id))
    return _trend([(found.name, _quality(weeks))])


@bp.get("/teams/<int:team_id>/distribution.svg")
@login_required
def team_distribution(team_id: int) -> Response:
    found = team_or_404(team_id)
    totals = queries.totals(_filters()[0], queries.team_agent_ids(found.id))
    bands = {str(band_label(name)): count for name, count in totals.bands.items()}
    return _svg(charts.distribution_chart(bands, _("Scores by band"), _("Evaluations")))


@bp.get("/agents/<int:agent_id>/trend.svg")
@login_required
def agent_trend(agent_id: int) -> Response:
    found = agent_or_404(agent_id)
    weeks, team_weeks = services.agent_trend(found, _filters()[0])
    series = [(found.display_name, _quality(weeks))]
    if found.team is not None:
        series.append((_("Team %(name)s", name=found.team.name), _quality(team_weeks)))
    return _trend(series)


@bp.get("/agents/<int:agent_id>/criteria.svg")
@login_required
def agent_criteria(agent_id: int) -> Response:
    found = agent_or_404(agent_id)
    rows = [
        (r.name, r.agent.average if r.agent else None, r.team.average if r.team else None)
        for r in services.agent_criteria(found, _filters()[0])
    ]
    return _svg(charts.criteria_chart(rows, (found.display_name, _("Team"))))
