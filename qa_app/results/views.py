"""Result pages: organisation, team and agent, with their charts."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from werkzeug.wrappers import Response as BaseResponse

from ..accounts.access import agents_led_by
from ..accounts.models import Role, Team, User
from ..extensions import db
from ..scorecards.access import can_manage
from ..scorecards.models import ScorecardVersion, Status
from . import causes, marks, queries, services
from .access import agent_or_404, team_or_404
from .chart_cache import Chart, inline, kept_part, kept_svg
from .page_charts import agent_series, bands_svg, criteria_chart, org_charts, trend_svg
from .periods import Filters, filter_args, parse_filters
from .readers import noted

bp = Blueprint("results", __name__, url_prefix="/results")
TEAMS_BY_NAME = sa.select(Team).order_by(Team.name, Team.id)


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
    teams = org_teams(current_user)  # None: every team, and the whole organisation
    if teams is not None and len(teams) == 1:
        return redirect(url_for("results.team", team_id=teams[0].id, **filter_args(request.args)))
    return render_template("results/org.html", body=org_part(teams))


def org_part(led: list[Team] | None) -> Markup:
    """The overview below the menu (every team, or a lead's `led` teams): kept while nothing it
    counts or names changed, as the team page is, under every agent's stamp and every team's
    members (a write for any agent, or a move between teams, makes it new)."""
    members, stamps = marks.of_everyone()
    teams = led if led is not None else list(db.session.scalars(TEAMS_BY_NAME))
    named = [(team.id, team.name) for team in teams]
    parts = (named, members, led is not None, _filters(), _reader())
    page = ("org", EVERYONES if led is None else current_user.id)
    render = noted(page, lambda: _org_body(teams, led is not None))
    return kept_part("results.org", stamps, parts, render)


EVERYONES = 0  # the overview's page id for admins and reviewers; a lead's is their own id


def org_teams(user: User) -> list[Team] | None:
    """The teams a user's overview shows: None for every team (admins and reviewers), a lead's
    own teams (a lead of exactly one is sent to that team's page instead)."""
    return list(user.led_teams) if user.role == Role.LEAD else None


def _org_body(teams: list[Team], lead: bool) -> str:
    filters = _filters()[0]
    ids, team_ids = None, None  # every agent and team
    if lead:
        ids = sorted(db.session.scalars(agents_led_by(current_user).distinct()))
        team_ids = [t.id for t in teams]
    by_team, scope = queries.totals_by_team_and_all(filters, team_ids)
    return _page(
        "results/_org_body.html",
        teams=[(t, by_team.get(t.id, queries.Totals())) for t in teams],
        overall=None if lead else scope,  # a lead's teams are not the whole organisation
        auto=services.auto_series(filters, ids, scope),
        root_causes=causes.root_causes(filters, ids),
        charts=org_charts(filters, ids, scope),
    )


@bp.get("/teams/<int:team_id>")
@login_required
def team(team_id: int) -> str:
    found = team_or_404(team_id)
    return render_template("results/team.html", team=found, body=team_part(found))


def team_part(found: Team) -> Markup:
    """The team page below the menu: kept while what it shows stays, the view noted on a render
    so that the worker renders it ahead after the next write (warming.py)."""
    ids, stamps, parts = _team_scope(found)
    render = noted(("team", found.id), lambda: _team_body(found, ids))
    return kept_part("results.team", stamps, parts, render)


def _team_body(found: Team, ids: list[int]) -> str:
    filters = _filters()[0]
    results = services.team_results(found, filters, ids)
    scope = {"team": found.id}
    trend = trend_svg(filters, [(found.name, results.weeks)], [scope])
    return _page(
        "results/_team_body.html",
        results=results,
        root_causes=causes.root_causes(filters, ids),
        trend=inline(
            trend,
            "trend",
            _("Weekly quality score of the team; the numbers are in the table below."),
        ),
        bands=inline(
            bands_svg(filters, results.current, scope),
            "bands",
            _("How many evaluations fell in each band; the numbers are in the table below."),
        ),
    )


def _reader() -> tuple[str, str]:
    """What of the reader a kept page part depends on besides their language: the role (the
    links of the charts, drafts in the scorecard filter) and where the app is mounted."""
    return current_user.role.value, request.script_root


@bp.get("/agents/<int:agent_id>")
@login_required
def agent(agent_id: int) -> str:
    found = agent_or_404(agent_id)
    return render_template("results/agent.html", agent=found, body=agent_part(found))


def agent_part(found: User) -> Markup:
    """As team_part, for an agent's page."""
    ids, stamps, parts = _agent_scope(found)
    render = noted(("agent", found.id), lambda: _agent_body(found, ids))
    return kept_part("results.agent", stamps, parts, render)


def _agent_body(found: User, ids: list[int]) -> str:
    filters = _filters()[0]
    results = services.agent_results(found, filters, ids)
    return _page(
        "results/_agent_body.html",
        results=results,
        root_causes=causes.root_causes(filters, [found.id]),
        # kept with the rest: whatever hides one from its agent stamps the agent (marks.py)
        latest=services.latest_evaluations(found.id),
        trend=inline(
            trend_svg(filters, *agent_series(found, results.weeks, results.team_weeks)),
            "trend",
            _("Weekly quality score with the team's line; the numbers are in the table below."),
        ),
        criteria=inline(
            criteria_chart(found, results.criteria),
            "criteria",
            _("Each criterion's average against the team's; the numbers are in the table below."),
        ),
    )


@bp.get("/teams/<int:team_id>/trend.svg")
@login_required
def team_trend(team_id: int) -> Response:
    found = team_or_404(team_id)
    ids, stamps, parts = _team_scope(found)

    def chart() -> Chart:
        filters = _filters()[0]
        weeks = queries.weekly(filters, ids)
        return trend_svg(filters, [(found.name, weeks)], [{"team": found.id}])

    return kept_svg("results.team-trend", stamps, parts, chart)


@bp.get("/teams/<int:team_id>/distribution.svg")
@login_required
def team_distribution(team_id: int) -> Response:
    found = team_or_404(team_id)
    ids, stamps, parts = _team_scope(found)

    def chart() -> Chart:
        filters = _filters()[0]
        return bands_svg(filters, queries.totals(filters, ids), {"team": found.id})

    return kept_svg("results.team-bands", stamps, parts, chart)


@bp.get("/agents/<int:agent_id>/trend.svg")
@login_required
def agent_trend(agent_id: int) -> Response:
    found = agent_or_404(agent_id)
    ids, stamps, parts = _agent_scope(found)

    def chart() -> Chart:
        filters = _filters()[0]
        weeks, team_weeks = services.agent_trend(found, filters, ids)
        return trend_svg(filters, *agent_series(found, weeks, team_weeks))

    return kept_svg("results.agent-trend", stamps, parts, chart)


@bp.get("/agents/<int:agent_id>/criteria.svg")
@login_required
def agent_criteria(agent_id: int) -> Response:
    found = agent_or_404(agent_id)
    ids, stamps, parts = _agent_scope(found)

    def chart() -> Chart:
        return criteria_chart(found, services.agent_criteria(found, _filters()[0], ids))

    return kept_svg("results.agent-criteria", stamps, parts, chart)


def _team_scope(found: Team) -> tuple[list[int], marks.Stamps, tuple[object, ...]]:
    """The team's agent ids, their change marks' stamps and the rest of a kept part's key:
    the team, its name and members, the filters and the reader."""
    ids, stamps = marks.of_team(found.id)
    return ids, stamps, (found.id, found.name, ids, _filters(), _reader())


def _agent_scope(found: User) -> tuple[list[int], marks.Stamps, tuple[object, ...]]:
    """As _team_scope for an agent's page: the agent and their team (or the agent alone)."""
    team = found.team
    if team is None:
        ids, stamps = [found.id], marks.read([marks.agent(found.id)])
    else:  # the agent is one of the team's members
        ids, stamps = marks.of_team(team.id)
    named = None if team is None else (team.id, team.name)
    return ids, stamps, (found.id, named, ids, _filters(), _reader())
