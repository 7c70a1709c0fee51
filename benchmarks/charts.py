"""Time each chart drawn anew and read from the chart cache, and a 304 against a full 200.

    .venv/bin/python benchmarks/charts.py [--evaluations N] [--agents N]
        [--database-url URL] [--redis-url URL]

First each chart kind is timed on data of the pages' size (a 52-week trend of two lines with a
link on every point, the five bands, ten criteria, a calibration session of ten rows and five
reviewers): drawn anew (matplotlib, plus page_svg for the markup inside a page) against read from
the cache (the key's hash and one read), for the inline markup and for the .svg bytes. The cache is
the single server's default, files in a temporary folder, or Redis with --redis-url (the entries
are written under a prefix of their own and cleared afterwards). These samples key on their whole
drawing arguments, links included; the pages key on their numbers and make the links only when
drawing, which the line "as the page builds it" times on real data.

Then, on N evaluations over 52 weeks (SQLite in a temporary folder, or an empty scratch database
with --database-url), the team's trend.svg through the test client: a full 200 drawn anew, a 200
from the cache, and a 304 for a browser that holds it; and the team page with its charts drawn
anew against read from the cache. Every figure is the median of several runs after a warm-up.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_login import login_user  # noqa: E402
from results_pages import END, START, build  # noqa: E402  (beside this script)

from config import TestingConfig  # noqa: E402
from qa_app import create_app  # noqa: E402
from qa_app.accounts.models import User  # noqa: E402
from qa_app.calibration.charts import scores_chart  # noqa: E402
from qa_app.extensions import cache, db  # noqa: E402
from qa_app.results import chart_cache, charts, queries, views  # noqa: E402
from qa_app.results.chart_cache import Chart, drawn_by  # noqa: E402

RUNS = 7
GOAL_MS = 5.0


def median_ms(action: Callable[[], Any], runs: int = RUNS) -> float:
    action()  # warm-up: imports, fonts, the cache entry
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        timings.append((time.perf_counter() - began) * 1000)
    return statistics.median(timings)


def sample_charts() -> dict[str, Chart]:
    """One chart of each kind, on data of the size the pages show."""
    weeks = [date(2025, 11, 24) + timedelta(weeks=n) for n in range(52)]
    lines, links = [], []
    for line, base in (("Agent 0", 70.0), ("Team Team 0", 74.0)):
        points = [(week, base + (n * 7 % 23) / 2) for n, week in enumerate(weeks)]
        lines.append((line, points))
        links.append(
            {
                week: charts.Link(f"/evaluations/?agent=1&from={week}", f"Week of {week}: {value}")
                for week, value in points
            }
        )
    bands = {"Excellent": 120, "Good": 340, "Fair": 210, "Poor": 80, "Failing": 12}
    band_links = [charts.Link(f"/evaluations/?band={name}", name) for name in bands]
    criteria = [(f"Criterion {n}", 3.0 + n / 10, 3.5 + n / 20) for n in range(10)]
    reviewers = [(n, f"Reviewer {n}") for n in range(5)]
    rows = [(f"Criterion {n}", {r: 1 + (n + r) % 5 for r, _ in reviewers}) for n in range(10)]
    flat = [link for line in links for link in line.values()]
    trend = (lines, "Weekly quality score", "Quality score", links)
    bars = (bands, "Scores by band", "Evaluations", band_links)
    return {
        "trend, 2 lines x 52 weeks": Chart(
            "bench.trend", trend, lambda: (charts.trend_chart(*trend), flat)
        ),
        "bands, 5 bars": Chart(
            "bench.bands", bars, lambda: (charts.distribution_chart(*bars), band_links)
        ),
        "criteria, 10 x 2 bars": drawn_by(
            "bench.criteria", charts.criteria_chart, criteria, ("Agent 0", "Team")
        ),
        "calibration, 10 rows x 5": drawn_by("bench.scores", scores_chart, rows, reviewers),
    }


def verdict(cached_ms: float) -> str:
    return f"goal cached <= {GOAL_MS:.0f} ms: {'met' if cached_ms <= GOAL_MS else 'missed'}"


def markup(chart: Chart) -> str:
    """The chart drawn anew as the page's markup: what a cache miss costs."""
    data, links = chart.draw()
    return charts.page_svg(data, "c", "label", links)


def measure_kinds(app: Any) -> None:
    with app.test_request_context():
        for name, chart in sample_charts().items():
            drawn = median_ms(lambda c=chart: markup(c))
            kept = median_ms(lambda c=chart: chart_cache.inline(c, "c", "label"), RUNS * 5)
            raw = median_ms(lambda c=chart: c.draw()[0])
            read = median_ms(lambda c=chart: chart_cache.cached(c.key, lambda: c.draw()[0]))
            print(
                f"{name:>26}: inline drawn {drawn:6.1f} ms, cached {kept:5.2f} ms "
                f"({drawn / kept:5.0f}x) | .svg drawn {raw:6.1f} ms, cached {read:5.2f} ms "
                f"({raw / read:5.0f}x) | {verdict(max(kept, read))}"
            )


def signed_in(app: Any, user_id: int) -> Any:
    client = app.test_client()
    with app.app_context():
        key = db.session.get(User, user_id).get_id()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = key, True
    return client


def _get(client: Any, url: str, status: int = 200, **headers: str) -> Any:
    response = client.get(url, headers=headers)
    assert response.status_code == status, (url, response.status_code)
    response.get_data()
    return response


def _cleared(app: Any) -> None:
    with app.app_context():
        cache.clear()


def measure_page_trend(app: Any, ids: dict[str, int], period: str) -> None:
    """The team's trend as its page builds it: the parts gathered, then drawn or read back."""
    team = ids["team"]
    with app.test_request_context(f"/results/teams/{team}?{period}"):
        login_user(db.session.get(User, ids["lead"]))
        weeks = queries.weekly(views._filters()[0], queries.team_agent_ids(team))
        chart = lambda: views._trend_svg([("Team 0", weeks)], [{"team": team}])  # noqa: E731
        drawn = median_ms(lambda: markup(chart()))
        kept = median_ms(lambda: chart_cache.inline(chart(), "trend", "label"), RUNS * 5)
    print(
        f"team trend as the page builds it, {len(weeks)} weeks: drawn {drawn:6.1f} ms (links, "
        f"matplotlib, page_svg) | cached {kept:5.2f} ms (parts, key, read) | "
        f"{drawn / kept:4.0f}x | {verdict(kept)}"
    )


def measure_routes(app: Any, ids: dict[str, int]) -> None:
    lead = signed_in(app, ids["lead"])
    period = f"period=custom&from={START.date()}&to={END.date() - timedelta(days=1)}"
    measure_page_trend(app, ids, period)
    svg = f"/results/teams/{ids['team']}/trend.svg?{period}"
    page = f"/results/teams/{ids['team']}?{period}"
    drawn = median_ms(lambda: (_cleared(app), _get(lead, svg)))
    kept = median_ms(lambda: _get(lead, svg))
    etag = _get(lead, svg).headers["ETag"]
    unchanged = median_ms(lambda: _get(lead, svg, 304, **{"If-None-Match": etag}))
    print(
        f"team trend.svg, 52 weeks: 200 drawn {drawn:6.1f} ms | 200 from the cache {kept:5.1f} ms"
        f" | 304 {unchanged:5.1f} ms | 200 drawn / 304 {drawn / unchanged:5.1f}x"
    )
    page_drawn = median_ms(lambda: (_cleared(app), _get(lead, page)))
    page_kept = median_ms(lambda: _get(lead, page))
    print(
        f"team page, 52 weeks, 2 charts: charts drawn {page_drawn:6.1f} ms | charts from the "
        f"cache {page_kept:5.1f} ms | {page_drawn / page_kept:4.1f}x"
    )


def settings(args: argparse.Namespace, folder: str) -> dict[str, Any]:
    url = args.database_url or f"sqlite:///{folder}/bench.db"
    chosen: dict[str, Any] = {"SQLALCHEMY_DATABASE_URI": url, "CACHE_TYPE": ""}
    chosen["CACHE_DIR"] = f"{folder}/chart-cache"
    if args.redis_url:
        chosen.update(REDIS_URL=args.redis_url, CACHE_KEY_PREFIX="qa-bench-charts:")
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--evaluations", type=int, default=10_000)
    parser.add_argument("--agents", type=int, default=50)
    parser.add_argument("--database-url")
    parser.add_argument("--redis-url", help="time the Redis backend instead of files")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(type("Bench", (TestingConfig,), settings(args, folder)))
        with app.app_context():
            print(f"chart cache: {type(cache.cache).__name__}; {RUNS} runs, median")
            measure_kinds(app)
            db.drop_all()
            db.create_all()
            ids = build(args.evaluations, args.agents)
            print(
                f"data: {args.evaluations:,} evaluations, {args.agents} agents, 52 weeks, ", end=""
            )
            print(db.engine.dialect.name)
            db.session.remove()
        measure_routes(app, ids)
        _cleared(app)


if __name__ == "__main__":
    main()
