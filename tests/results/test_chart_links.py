"""The result charts: each point and bar links to exactly the evaluations behind it, the text
stays readable on a phone, and the SVG holds no markup or link from outside."""

from __future__ import annotations

import re
from datetime import UTC, date, timedelta
from html import unescape

import pytest
import sqlalchemy as sa

from qa_app.accounts.models import User
from qa_app.evaluations.models import Evaluation, EvaluationStatus, PickReason
from qa_app.extensions import db
from qa_app.results import charts
from qa_app.scoring import band_of

RANGE = "period=custom&from=2026-09-10&to=2026-11-01"  # starts mid-week: the first week is cut
START, END = date(2026, 9, 10), date(2026, 11, 1)
PHONE_CHART_PX = 320  # a 390 px phone, less the page's and the figure's padding
MIN_TEXT_PX = 11


def _user(app, user_id):
    with app.app_context():
        return db.session.get(User, user_id)


def _headline(app, agent_ids):
    """(UTC day, band slug) of each submitted evaluation a chart counts: not spotlight's finds."""
    with app.app_context():
        stmt = sa.select(Evaluation).where(
            Evaluation.status == EvaluationStatus.SUBMITTED,
            Evaluation.is_calibration.is_(False),
            Evaluation.picked != PickReason.TARGETED,
        )
        found = []
        for evaluation in db.session.scalars(stmt):
            day = evaluation.interaction.occurred_at.astimezone(UTC).date()
            if evaluation.interaction.agent_id in agent_ids and START <= day <= END:
                band = band_of(None if evaluation.score is None else float(evaluation.score))
                found.append((day, band.slug if band else None))
        return found


def _links(svg: str) -> list[str]:
    return [unescape(href) for href in re.findall(r'<a [^>]*xlink:href="([^"]+)"', svg)]


def _listed(client, url: str) -> int:
    page = client.get(url)
    assert page.status_code == 200, url
    return len(re.findall(r'href="/evaluations/\d+"', page.get_data(as_text=True)))


def test_each_trend_point_lists_exactly_its_weeks_evaluations(app, mixed, login_as):
    lead = login_as(user=_user(app, mixed.lead_ids[0]))
    team = mixed.team_ids[0]
    svg = lead.get(f"/results/teams/{team}/trend.svg?{RANGE}").get_data(as_text=True)
    links = _links(svg)
    rows = _headline(app, set(mixed.agent_ids[:3]))
    weeks = sorted({day - timedelta(days=day.weekday()) for day, _ in rows})
    assert len(links) == len(weeks) >= 7
    for week, url in zip(weeks, links, strict=True):
        assert url.startswith("/evaluations/?") and f"team={team}" in url
        expected = sum(1 for day, _ in rows if week <= day <= week + timedelta(days=6))
        assert _listed(lead, url) == expected, (week, url)
    assert "from=2026-09-10" in links[0]  # the first week starts where the filter does


def test_each_band_bar_lists_exactly_its_evaluations(app, mixed, login_as):
    lead = login_as(user=_user(app, mixed.lead_ids[0]))
    team = mixed.team_ids[0]
    page = lead.get(f"/results/teams/{team}?{RANGE}").get_data(as_text=True)
    links = [u for u in _links(page) if "band=" in u]
    rows = _headline(app, set(mixed.agent_ids[:3]))
    assert len(links) == 5
    for url in links:
        slug = re.search(r"band=([a-z-]+)", url).group(1)
        assert _listed(lead, url) == sum(1 for _, band in rows if band == slug), url


def test_an_agent_follows_their_own_points_to_their_list_but_not_the_teams(app, mixed, login_as):
    agent_id = mixed.agent_ids[0]
    agent = login_as(user=_user(app, agent_id))
    page = agent.get(f"/results/agents/{agent_id}?{RANGE}").get_data(as_text=True)
    links = _links(page)
    assert links and all(u.startswith("/my/scorecards?") for u in links)
    total = sum(_listed(agent, url) for url in links)
    assert total == len(_headline(app, {agent_id}))


def test_chart_text_stays_readable_on_a_phone_and_on_a_laptop(app, mixed, login_as):
    lead = login_as(user=_user(app, mixed.lead_ids[0]))
    for path in (
        f"/results/teams/{mixed.team_ids[0]}/trend.svg",
        f"/results/teams/{mixed.team_ids[0]}/distribution.svg",
        f"/results/agents/{mixed.agent_ids[0]}/trend.svg",
        f"/results/agents/{mixed.agent_ids[0]}/criteria.svg",
    ):
        svg = lead.get(f"{path}?{RANGE}").get_data(as_text=True)
        width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
        sizes = [float(s) for s in re.findall(r"font-size: ([\d.]+)px", svg)]
        assert sizes, path
        # Shrunk to a phone's width, and at its own size (1 unit = 4/3 px) on a laptop.
        assert min(sizes) * PHONE_CHART_PX / width >= MIN_TEXT_PX, (path, min(sizes), width)
        assert min(sizes) * 4 / 3 >= MIN_TEXT_PX


def test_page_charts_carry_no_inline_style_and_only_our_own_links():
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
        b' width="72pt" height="36pt" viewBox="0 0 72 36"><defs><style>*{}</style></defs>'
        b'<g id="a" clip-path="url(#p1)"><text style="font-size: 12px; fill: #000">'
        b"&lt;script&gt;alert(1)&lt;/script&gt;</text></g>"
        b'<a xlink:href="https://evil.example/" target="_blank"><path d="M0 0"/></a>'
        b'<a xlink:href="/evaluations/?band=good" target="_blank"><path d="M0 0"/></a></svg>'
    )
    link = charts.Link("/evaluations/?band=good", 'Good: 3 "quoted"')
    markup = str(charts.page_svg(svg, "bands", "Bands <b>", [link]))
    assert "style" not in markup and 'font-size="12px"' in markup
    assert "<script" not in markup and "&lt;script&gt;" in markup
    assert "evil.example" not in markup and "target=" not in markup
    assert 'id="bands-a"' in markup and 'clip-path="url(#bands-p1)"' in markup
    assert 'aria-label="Good: 3 &quot;quoted&quot;"' in markup
    assert 'aria-label="Bands &lt;b&gt;"' in markup and 'width="96"' in markup
    for outside in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        with pytest.raises(ValueError):
            charts.Link(outside, "x")


def test_evaluation_list_ignores_filters_it_does_not_understand(app, mixed, login_as):
    lead = login_as(user=_user(app, mixed.lead_ids[0]))
    everything = _listed(lead, "/evaluations/?status=submitted")
    odd = "agent=x&team=-1&from=2026-13-01&to=nope&channel=fax&scorecard=9e99&band=great"
    assert _listed(lead, f"/evaluations/?status=submitted&{odd}&spotlight=maybe") == everything
    # Another team's agents stay out of a lead's list, whatever the filter names.
    other = mixed.team_ids[1]
    assert _listed(lead, f"/evaluations/?team={other}") == 0
