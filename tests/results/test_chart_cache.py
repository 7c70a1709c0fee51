"""The chart cache: a chart whose data did not change is read back, not drawn; the .svg routes
answer a browser that holds them with a 304; a broken cache backend costs only the drawing."""

from __future__ import annotations

import re
from datetime import date

import pytest
from flask import Response
from flask_babel import force_locale

from qa_app import create_app
from qa_app.accounts.models import Role, Team
from qa_app.extensions import db
from qa_app.results import chart_cache, charts, page_charts
from qa_app.results.chart_cache import Chart, chart_key
from qa_app.security import add_security_headers
from tests.conftest import make_config

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10pt" height="10pt"><g id="a"/></svg>'
POINTS = [("North", [(date(2026, 9, 7), 71.5), (date(2026, 9, 14), None)])]
LINK = charts.Link("/evaluations/?team=1", "Week of Sep 7: score 71.5, 2 evaluations")


def test_a_second_draw_of_the_same_chart_is_read_from_the_cache(app):
    calls: list[str] = []

    def draw() -> tuple[bytes, list[charts.Link]]:
        calls.append("drawn")
        return SVG, [LINK]

    chart = Chart("test.trend", (POINTS, "Weekly quality score"), draw)
    with app.test_request_context():
        first = chart_cache.inline(chart, "trend", "The team's weekly score")
        assert chart_cache.inline(chart, "trend", "The team's weekly score") == first
        assert 'aria-label="The team' in first and 'id="trend-a"' in first
        assert chart_cache.cached(chart.key, lambda: draw()[0]) == SVG
        chart_cache.cached(chart.key, lambda: draw()[0])
        assert chart_cache.inline(chart, "bands", "The team's weekly score") != first
    assert len(calls) == 3  # the page's markup, the .svg bytes, the markup under another id


def test_another_datum_link_or_language_is_another_key(app):
    with app.test_request_context():
        key = chart_key("trend", [POINTS, [LINK]])
        assert chart_key("trend", [POINTS, [LINK]]) == key
        changed = [("North", [(date(2026, 9, 7), 71.6), (date(2026, 9, 14), None)])]
        assert chart_key("trend", [changed, [LINK]]) != key
        assert chart_key("trend", [POINTS, [charts.Link("/evaluations/?team=2", LINK.text)]]) != key
        assert chart_key("bands", [POINTS, [LINK]]) != key
        assert chart_key("trend", ["1"]) != chart_key("trend", [1])
        with force_locale("hu"):
            assert chart_key("trend", [POINTS, [LINK]]) != key
        with pytest.raises(TypeError):
            chart_key("trend", [object()])  # a type the key cannot spell would silently miss


def test_only_a_private_response_keeps_its_own_cache_header(app):
    with app.test_request_context("/results/"):
        public = Response("x")
        public.cache_control.public, public.cache_control.max_age = True, 3600
        assert add_security_headers(public).headers["Cache-Control"] == "no-store"
        private = Response("x")
        private.cache_control.private, private.cache_control.no_cache = True, True
        assert add_security_headers(private).headers["Cache-Control"] == "private, no-cache"


def _without_csrf(page: str) -> str:
    """The sign-out form's CSRF token carries the second it was made in: not the chart's doing."""
    return re.sub(r'name="csrf_token" value="[^"]*"', "", page)


def _team(app, make_user, make_team):
    lead = make_user(Role.LEAD)
    return lead, make_team("North", lead=lead)


def test_a_chart_the_browser_holds_is_a_304_until_its_data_changes(
    app, make_user, make_team, login_as, monkeypatch
):
    lead, team = _team(app, make_user, make_team)
    client = login_as(user=lead)
    page = client.get(f"/results/teams/{team.id}")  # the pages around the charts keep no-store
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    with monkeypatch.context() as patched:  # a chart read back needs no links made
        patched.setattr(page_charts, "_week_links", lambda *args: pytest.fail("links made again"))
        again = client.get(f"/results/teams/{team.id}").get_data(as_text=True)
        assert _without_csrf(again) == _without_csrf(page.get_data(as_text=True))
    url = f"/results/teams/{team.id}/trend.svg"
    first = client.get(url)
    assert first.status_code == 200 and first.headers["Cache-Control"] == "private, no-cache"
    etag = first.headers["ETag"]
    monkeypatch.setattr(charts, "new_figure", lambda *args: pytest.fail("drawn again"))
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
    assert again.headers["Cache-Control"] == "private, no-cache"
    monkeypatch.undo()
    with app.app_context():
        db.session.get(Team, team.id).name = "North-East"  # the line's name is chart data too
        db.session.commit()
    renamed = client.get(url, headers={"If-None-Match": etag})
    assert renamed.status_code == 200 and renamed.headers["ETag"] != etag
    assert renamed.data.lstrip().startswith(b"<?xml")


def test_an_agent_gets_no_304_for_another_agents_chart(app, make_user, make_team, login_as):
    _lead, team = _team(app, make_user, make_team)
    other = make_user(Role.AGENT, team=team)
    agent = login_as(Role.AGENT, team=team)
    url = f"/results/agents/{other.id}/trend.svg"
    assert agent.get(url, headers={"If-None-Match": "*"}).status_code == 404


@pytest.mark.parametrize(
    "config_overrides",
    # Nothing listens on port 1: every read and write of this Redis fails at once.
    [{"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": "redis://127.0.0.1:1/0"}],
)
def test_a_broken_cache_backend_still_serves_the_page(
    app, make_user, make_team, login_as, config_overrides
):
    lead, team = _team(app, make_user, make_team)
    client = login_as(user=lead)
    page = client.get(f"/results/teams/{team.id}")
    assert page.status_code == 200 and 'class="chart"' in page.get_data(as_text=True)
    chart = client.get(f"/results/teams/{team.id}/distribution.svg")
    assert chart.status_code == 200 and b"<svg" in chart.data


def test_clear_charts_empties_the_cache(app, runner):
    with app.test_request_context():
        chart_cache.cached("some-key", lambda: SVG)
    result = runner.invoke(args=["results", "clear-charts"])
    assert result.exit_code == 0 and "empty" in result.output
    with app.test_request_context():
        assert chart_cache.cached("some-key", lambda: b"drawn again") == b"drawn again"


def test_without_redis_the_processes_of_a_server_share_files(tmp_path):
    files = {"CACHE_TYPE": "", "REDIS_URL": "", "CACHE_DIR": str(tmp_path / "charts")}
    first, second = (create_app(make_config("sqlite://", **files)) for _ in range(2))
    with first.test_request_context():
        chart_cache.cached("some-key", lambda: SVG)
    with second.test_request_context():
        assert chart_cache.cached("some-key", lambda: b"drawn again") == SVG
    unusable = {**files, "CACHE_DIR": str(tmp_path / "a-file" / "charts")}
    (tmp_path / "a-file").write_text("not a folder")
    with create_app(make_config("sqlite://", **unusable)).test_request_context():
        assert chart_cache.cached("some-key", lambda: b"drawn") == b"drawn"  # and it started
