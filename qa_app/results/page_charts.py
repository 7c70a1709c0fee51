"""The result pages' charts: what each draws, its links into the evaluation list, and what a
kept chart's key is made of besides its numbers (chart_cache.py keeps them)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from flask import request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..accounts.models import Role
from ..scoring import BANDS
from ..ui.filters import format_date, format_score
from ..ui.labels import band_label
from . import charts, queries
from .chart_cache import Chart, drawn_by, inline
from .periods import Filters
from .queries import AgentIds
from .totals import Totals

Weeks = list[tuple[Any, Totals]]
Scope = dict[str, int] | None  # the evaluation list's filter of a line or bars; None: no links


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


def trend_svg(filters: Filters, series: list[tuple[str, Weeks]], scopes: list[Scope]) -> Chart:
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


def bands_svg(filters: Filters, totals: Totals, scope: dict[str, int]) -> Chart:
    titles = (_("Scores by band"), _("Evaluations"))
    bands = {str(band_label(name)): count for name, count in totals.bands.items()}

    def draw() -> tuple[bytes, list[charts.Link]]:
        links = _band_links(filters, totals, scope)
        return charts.distribution_chart(bands, *titles, links), links

    return Chart("results.bands", (bands, titles, _link_parts(filters, scope)), draw)


def criteria_chart(agent: Any, rows: Iterable[Any]) -> Chart:
    averages = [
        (r.name, r.agent.average if r.agent else None, r.team.average if r.team else None)
        for r in rows
    ]
    return drawn_by(
        "results.criteria", charts.criteria_chart, averages, (agent.display_name, _("Team"))
    )


def org_charts(
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
        "trend": inline(
            trend_svg(filters, [(_("All teams"), weeks)], [{}]),
            "trend",
            _("Weekly quality score; the numbers are in the table below."),
        ),
        "bands": inline(
            bands_svg(filters, totals, {}),
            "bands",
            _("How many evaluations fell in each band; the numbers are in the table below."),
        ),
    }


def agent_series(agent: Any, weeks: Weeks, team_weeks: Weeks) -> tuple[list[Any], list[Scope]]:
    """The agent's line and their team's; an agent may open their own evaluations only."""
    series: list[tuple[str, Weeks]] = [(agent.display_name, weeks)]
    scopes: list[Scope] = [{"agent": agent.id}]
    if agent.team is not None:
        series.append((_("Team %(name)s", name=agent.team.name), team_weeks))
        scopes.append(None if current_user.role == Role.AGENT else {"team": agent.team.id})
    return series, scopes


def _quality(points: Weeks) -> list[tuple[date, float | None]]:
    return [(week, totals.quality) for week, totals in points]
