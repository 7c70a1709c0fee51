"""Result pages: organisation, team and agent, with their charts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from markupsafe import Markup
from werkzeug.wrappers import Response as BaseResponse

from ..accounts.access import agents_led_by
from ..accounts.models import Role, Team, User
from ..extensions import db
from ..scorecards.access import can_manage
from ..scorecards.models import ScorecardVersion, Status
from ..scoring import BANDS
from ..ui.filters import format_date, format_score
from ..ui.labels import band_label
from . import causes, charts, marks, queries, services
from .access import agent_or_404, team_or_404
from .chart_cache import Chart, drawn_by, inline, kept_part, kept_svg
from .periods import Filters, filter_args, parse_filters
from .queries import AgentIds, Totals

bp = Blueprint("results", __name__, url_prefix="/results")
Weeks = list[tuple[Any, Totals]]
Scope = dict[str, int] | None  # the evaluation list's filter of a line or bars; None: no links


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


def _list_link(filters: Filters, start: date, end: date, scope: dict[str, Any]) -> str:
    """The evaluation list narrowed to what a chart counted: submitted, not spotlight's finds."""
    args: dict[str, Any] = {"from": start.isoformat(), "to": end.isoformat(), **scope}
    args.update(status="submitted", spotlight="0")
    if filters.channel:
        args["channel"] = filters.channel
    if filters.scorecard_id:
        args["scorecard"] = filters.scorecard_id
    endpoint = "evaluations.mine" if current_user.role == Role.AGENT else "evaluations.index"
    return url_for(endpoint, **args)


def _week_links(filters: Filters, weeks: Weeks, scope: Scope) -> dict[date, charts.Link]:
    """Each week's point leads to its evaluations (the week cut to the filter's days)."""
    if scope is None:
        return {}
    links = {}
    for week, totals in weeks:
        start, end = max(week, filters.start), min(week + timedelta(days=6), filters.end)
        text = ngettext(
            "Week of %(week)s: score %(score)s, %(num)d evaluation",
            "Week of %(week)s: score %(score)s, %(num)d evaluations",
            totals.evaluations,
            week=format_date(week),
            score=format_score(totals.quality),
        )
        links[week] = charts.Link(_list_link(filters, start, end, scope), text)
    return links


def _band_links(filters: Filters, totals: Totals, scope: dict[str, int]) -> list[charts.Link]:
    counts = totals.bands
    return [
        charts.Link(
            _list_link(filters, filters.start, filters.end, {**scope, "band": band.slug}),
            f"{band_label(band.name)}: {counts[band.name]}",
        )
        for band in BANDS
    ]


def _link_parts(filters: Filters, scopes: object) -> tuple[object, ...]:
    """What a chart's links are made of, besides its numbers and the reader's language."""
    return filters, scopes, current_user.role == Role.AGENT, request.script_root


def _trend_svg(series: list[tuple[str, Weeks]], scopes: list[Scope]) -> Chart:
    filters = _filters()[0]
    titles = (_("Weekly quality score"), _("Quality score"))
    numbers = [[(week, t.quality, t.evaluations) for week, t in weeks] for _name, weeks in series]
    parts = ([name for name, _weeks in series], numbers, titles, _link_parts(filters, scopes))

    def draw() -> tuple[bytes, list[charts.Link]]:  # the links' texts and URLs: on a miss only
        pairs = zip(series, scopes, strict=True)
        links = [_week_links(filters, weeks, scope) for (_name, weeks), scope in pairs]
        lines = [(name, _quality(weeks)) for name, weeks in series]
        data = charts.trend_chart(lines, *titles, links)
        return data, [link for line in links for link in line.values()]

    return Chart("results.trend", parts, draw)


def _bands_svg(totals: Totals, scope: dict[str, int]) -> Chart:
    filters = _filters()[0]
    titles = (_("Scores by band"), _("Evaluations"))
    bands = {str(band_label(name)): count for name, count in totals.bands.items()}

    def draw() -> tuple[bytes, list[charts.Link]]:
        links = _band_links(filters, totals, scope)
        return charts.distribution_chart(bands, *titles, links), links

    return Chart("results.bands", (bands, titles, _link_parts(filters, scope)), draw)


def _inline(name: str, label: str, chart: Chart) -> Markup:
    """The chart inside the page, read from the chart cache when its data did not change."""
    return inline(chart, name, label)


def _criteria_chart(agent: Any, rows: Iterable[Any]) -> Chart:
    averages = [
        (r.name, r.agent.average if r.agent else None, r.team.average if r.team else None)
        for r in rows
    ]
    return drawn_by(
        "results.criteria", charts.criteria_chart, averages, (agent.display_name, _("Team"))
    )


def _org_charts(
    filters: Filters, agent_ids: AgentIds | None, totals: queries.Totals | None = None
) -> dict[str, Any]:
    """The organisation's (or a lead's teams') weekly trend and bands, inside the page;
    `totals`: the same scope's totals when the page already has them."""
    weeks = queries.weekly(filters, agent_ids)
    if totals is None:
        totals = queries.totals(filters, agent_ids)
    return {
        "weeks": weeks,
        "totals": totals,
        "trend": _inline(
            "trend",
            _("Weekly quality score; the numbers are in the table below."),
            _trend_svg([(_("All teams"), weeks)], [{}]),
        ),
        "bands": _inline(
            "bands",
            _("How many evaluations fell in each band; the numbers are in the table below."),
            _bands_svg(totals, {}),
        ),
    }


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
        led = sorted(db.session.scalars(agents_led_by(current_user).distinct()))
        by_team, scope = queries.totals_by_team_and_all(filters, [t.id for t in teams])
        return _page(
            "results/org.html",
            teams=[(t, by_team.get(t.id, queries.Totals())) for t in teams],
            overall=None,
            auto=services.auto_series(filters, led, scope),
            root_causes=causes.root_causes(filters, led),
            charts=_org_charts(filters, led, scope),
        )
    filters = _filters()[0]
    by_team, overall = queries.totals_by_team_and_all(filters)
    teams = db.session.scalars(sa.select(Team).order_by(Team.name)).all()
    return _page(
        "results/org.html",
        teams=[(t, by_team.get(t.id, queries.Totals())) for t in teams],
        overall=overall,
        auto=services.auto_series(filters, None, overall),
        root_causes=causes.root_causes(filters, None),
        charts=_org_charts(filters, None, overall),
    )


@bp.get("/teams/<int:team_id>")
@login_required
def team(team_id: int) -> str:
    found = team_or_404(team_id)
    ids, stamps, parts = _team_scope(found)
    body = kept_part("results.team", stamps, parts, lambda: _team_body(found, ids))
    return render_template("results/team.html", team=found, body=body)


def _team_body(found: Team, ids: list[int]) -> str:
    filters = _filters()[0]
    results = services.team_results(found, filters, ids)
    scope = {"team": found.id}
    trend = _trend_svg([(found.name, results.weeks)], [scope])
    return _page(
        "results/_team_body.html",
        results=results,
        root_causes=causes.root_causes(filters, ids),
        trend=_inline(
            "trend",
            _("Weekly quality score of the team; the numbers are in the table below."),
            trend,
        ),
        bands=_inline(
            "bands",
            _("How many evaluations fell in each band; the numbers are in the table below."),
            _bands_svg(results.current, scope),
        ),
    )


def _reader() -> tuple[str, str]:
    """What of the reader a kept page part depends on besides their language: the role (the
    links of the charts, drafts in the scorecard filter) and where the app is mounted."""
    return current_user.role.value, request.script_root


def _agent_series(agent: Any, weeks: Weeks, team_weeks: Weeks) -> tuple[list[Any], list[Scope]]:
    """The agent's line and their team's; an agent may open their own evaluations only."""
    series: list[tuple[str, Weeks]] = [(agent.display_name, weeks)]
    scopes: list[Scope] = [{"agent": agent.id}]
    if agent.team is not None:
        series.append((_("Team %(name)s", name=agent.team.name), team_weeks))
        scopes.append(None if current_user.role == Role.AGENT else {"team": agent.team.id})
    return series, scopes


@bp.get("/agents/<int:agent_id>")
@login_required
def agent(agent_id: int) -> str:
    found = agent_or_404(agent_id)
    filters = _filters()[0]
    results = services.agent_results(found, filters)
    return _page(
        "results/agent.html",
        results=results,
        root_causes=causes.root_causes(filters, [found.id]),
        trend=_inline(
            "trend",
            _("Weekly quality score with the team's line; the numbers are in the table below."),
            _trend_svg(*_agent_series(found, results.weeks, results.team_weeks)),
        ),
        criteria=_inline(
            "criteria",
            _("Each criterion's average against the team's; the numbers are in the table below."),
            _criteria_chart(found, results.criteria),
        ),
    )


def _quality(points: Weeks) -> list[tuple[date, float | None]]:
    return [(week, totals.quality) for week, totals in points]


@bp.get("/teams/<int:team_id>/trend.svg")
@login_required
def team_trend(team_id: int) -> Response:
    found = team_or_404(team_id)
    ids, stamps, parts = _team_scope(found)

    def chart() -> Chart:
        weeks = queries.weekly(_filters()[0], ids)
        return _trend_svg([(found.name, weeks)], [{"team": found.id}])

    return kept_svg("results.team-trend", stamps, parts, chart)


@bp.get("/teams/<int:team_id>/distribution.svg")
@login_required
def team_distribution(team_id: int) -> Response:
    found = team_or_404(team_id)
    ids, stamps, parts = _team_scope(found)

    def chart() -> Chart:
        return _bands_svg(queries.totals(_filters()[0], ids), {"team": found.id})

    return kept_svg("results.team-bands", stamps, parts, chart)


@bp.get("/agents/<int:agent_id>/trend.svg")
@login_required
def agent_trend(agent_id: int) -> Response:
    found = agent_or_404(agent_id)
    ids, stamps, parts = _agent_scope(found)

    def chart() -> Chart:
        weeks, team_weeks = services.agent_trend(found, _filters()[0], ids)
        return _trend_svg(*_agent_series(found, weeks, team_weeks))

    return kept_svg("results.agent-trend", stamps, parts, chart)


@bp.get("/agents/<int:agent_id>/criteria.svg")
@login_required
def agent_criteria(agent_id: int) -> Response:
    found = agent_or_404(agent_id)
    ids, stamps, parts = _agent_scope(found)

    def chart() -> Chart:
        return _criteria_chart(found, services.agent_criteria(found, _filters()[0], ids))

    return kept_svg("results.agent-criteria", stamps, parts, chart)


def _team_scope(found: Team) -> tuple[list[int], marks.Stamps, tuple[object, ...]]:
    """The team's agent ids, their change marks' stamps and the rest of a kept part's key:
    the team, its name and members, the filters and the reader."""
    ids = sorted(queries.team_agent_ids(found.id))
    stamps = marks.read(map(marks.agent, ids))
    return ids, stamps, (found.id, found.name, ids, _filters(), _reader())


def _agent_scope(found: User) -> tuple[list[int], marks.Stamps, tuple[object, ...]]:
    """As _team_scope for an agent's page: the agent and their team (or the agent alone)."""
    team = found.team
    ids = sorted(services.colleague_ids(found))
    stamps = marks.read(map(marks.agent, {found.id, *ids}))
    named = None if team is None else (team.id, team.name)
    return ids, stamps, (found.id, named, ids, _filters(), _reader())
