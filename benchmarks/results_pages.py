"""Time the team, agent and organisation pages on a year of a large organisation, and raw GROUP BYs.

    .venv/bin/python benchmarks/results_pages.py [--evaluations N] [--agents N]
        [--unevaluated N] [--database-url URL] [--reuse] [--rounds N] [--plans]

Builds (with core bulk inserts) AGENTS agents in teams of ten, one published scorecard of ten
criteria, N evaluations spread over 52 weeks, UNEVALUATED interactions per evaluation that nobody
evaluated (they count in the customer metrics), then the result aggregates and their weekly and
monthly rollups. It then times, server side and rendered, the lead's team overview, the agent page
and the organisation overview for a 4-week and a 52-week period, each beside what that page shows
computed by raw SQL GROUP BYs on the base tables (evaluations, scores, interactions) of the same
database (for the agent page, the agent's numbers and the team's line drawn beside them: the team's
totals, weekly trend and criteria averages), with the ratio and the goal (a page in at most 50 ms
and at least 10 times faster than its raw GROUP BYs), after a change (rendered), after a change once
the worker rendered it ahead for the reader's view (with the worker's run) and
unchanged (its results kept); then the floor, a signed-in page that reads no results, beside what ten times faster
than the cheapest raw GROUP BYs needs. Every timing is a median: of 7 runs after one warm-up for
the raw GROUP BYs, of 25 runs after ten for a page, and of 25 changes after ten for a page
rendered ahead (a served connection has run its statements many times: on PostgreSQL they are
then prepared and planned once). Every page is timed in --rounds
rounds (3) spread over the run, and each figure printed is the lowest of its rounds' medians: a
burst of other work on the machine then moves one round, not the figure. --plans prints the query plan of
each statement the 52-week team page runs (EXPLAIN QUERY PLAN on SQLite, EXPLAIN ANALYZE on
PostgreSQL). Without --database-url a fresh SQLite file in a temporary folder is used; a URL must
name an empty scratch database (its tables are dropped and created), unless --reuse is given: then
data this script built there before is timed again without building, which lets one database time
several versions of the code.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from config import TestingConfig  # noqa: E402
from qa_app import create_app  # noqa: E402
from qa_app.accounts.models import Role, Team, User, team_members  # noqa: E402
from qa_app.bulk import analyze  # noqa: E402
from qa_app.evaluations.copies import utc_date  # noqa: E402
from qa_app.evaluations.models import Evaluation, EvaluationScore  # noqa: E402
from qa_app.extensions import db  # noqa: E402
from qa_app.interactions.models import Interaction  # noqa: E402
from qa_app.results import marks, queries, services  # noqa: E402
from qa_app.results.aggregates import rebuild  # noqa: E402
from qa_app.results.warming import warm_pages  # noqa: E402
from qa_app.scorecards.schema import SHIPPED_DIR, load_shipped_template  # noqa: E402
from qa_app.scorecards.services import criterion_specs, import_doc  # noqa: E402
from qa_app.scoring import round_score, score_evaluation  # noqa: E402

START = datetime(2025, 11, 24, 8, 0, tzinfo=UTC)  # a Monday, 52 weeks before END
END = START + timedelta(weeks=52)
BATCH = 5000
RUNS = 7
# A page is timed more often, after as many runs as a served connection has long had behind it:
# psycopg prepares a statement once it ran five times on a connection, PostgreSQL plans a
# prepared statement anew for its first five runs before it keeps one plan, and a server's
# pooled connection runs each page's statements thousands of times.
PAGE_RUNS, PAGE_WARM_UP = 25, 10
ROUNDS = 3


def _chunks(rows: list[dict[str, Any]], size: int = BATCH):
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _insert(table: sa.Table, rows: list[dict[str, Any]]) -> None:
    for chunk in _chunks(rows):
        db.session.execute(sa.insert(table), chunk)


def _person(handle: str, name: str, role: Role, now: datetime) -> dict[str, Any]:
    return dict(
        email=f"{handle}@bench.example.com",
        display_name=name,
        role=role,
        password_hash="x",
        is_active=True,
        session_version=1,
        created_at=now,
        password_changed_at=now,
    )


def _unevaluated(count: int, first_id: int, agent_ids: list[int], now: datetime) -> None:
    """Interactions nobody evaluated, with survey answers, inserted in chunks."""
    rng = random.Random(7)
    rows = []
    for n in range(first_id, first_id + count):
        moment = START + timedelta(seconds=rng.randrange(int((END - START).total_seconds())))
        rows.append(
            dict(
                id=n,
                external_id=f"U-{n}",
                channel=rng.choice(["call", "chat", "email"]),
                agent_id=agent_ids[n % len(agent_ids)],
                occurred_at=moment,
                csat=rng.choice([None, 1, 3, 4, 5]),
                nps=rng.choice([None, 2, 7, 9, 10]),
                ces=rng.choice([None, 1, 4, 6]),
                first_contact_resolved=rng.choice([None, True, False]),
                handle_seconds=rng.randint(30, 1200),
                created_at=now,
            )
        )
        if len(rows) == BATCH:
            _insert(Interaction.__table__, rows)
            rows = []
    _insert(Interaction.__table__, rows)


def build(evaluations: int, agents: int, unevaluated: int = 0) -> dict[str, int]:
    """Users, teams, a ten-criterion scorecard and the evaluations; returns ids to time with."""
    rng = random.Random(2026)
    now = datetime.now(UTC)
    people = [_person(f"agent{n}", f"Agent {n}", Role.AGENT, now) for n in range(agents)]
    people += [_person(f"lead{n}", f"Lead {n}", Role.LEAD, now) for n in range(agents // 10)]
    people.append(_person("reviewer", "Reviewer", Role.REVIEWER, now))
    _insert(User.__table__, people)
    ids = dict(db.session.execute(sa.select(User.email, User.id)).all())
    agent_ids = [ids[f"agent{n}@bench.example.com"] for n in range(agents)]
    _insert(
        Team.__table__,
        [
            dict(name=f"Team {n}", lead_id=ids[f"lead{n}@bench.example.com"], created_at=now)
            for n in range(agents // 10)
        ],
    )
    team_ids = dict(db.session.execute(sa.select(Team.name, Team.id)).all())
    _insert(
        team_members,
        [dict(team_id=team_ids[f"Team {n // 10}"], agent_id=a) for n, a in enumerate(agent_ids)],
    )
    version = _scorecard()
    specs = criterion_specs(version)
    criteria = [c.id for c in version.ordered_criteria]
    interactions, evals, scores = [], [], []
    for n in range(evaluations):
        occurred = START + timedelta(seconds=rng.randrange(int((END - START).total_seconds())))
        agent = agent_ids[n % agents]
        interactions.append(
            dict(
                id=n + 1,
                external_id=f"B-{n}",
                channel="call",
                agent_id=agent,
                occurred_at=occurred,
                csat=rng.choice([None, 2, 4, 5]),
                nps=rng.choice([None, 3, 8, 10]),
                ces=rng.choice([None, 2, 5]),
                first_contact_resolved=rng.choice([None, True, False]),
                handle_seconds=rng.randint(60, 900),
                created_at=now,
            )
        )
        values = [rng.choices([1, 2, 3, 4, 5], weights=[1, 2, 4, 6, 4])[0] for _ in criteria]
        result = score_evaluation(specs, {str(c): v for c, v in zip(criteria, values, strict=True)})
        evals.append(
            dict(
                id=n + 1,
                interaction_id=n + 1,
                agent_id=agent,  # the copies of the interaction's (qa_app/evaluations/copies.py)
                occurred_at=occurred,
                occurred_on=utc_date(occurred),
                channel="call",
                scorecard_version_id=version.id,
                reviewer_id=ids["reviewer@bench.example.com"],
                status="submitted",
                score=round_score(result.score),
                is_critical_fail=result.critical_fail,
                strengths="Clear explanation",
                improvements="Summarise next steps",
                created_at=now,
                updated_at=now,
                submitted_at=occurred,
                is_calibration=False,
                lock_version=1,
            )
        )
        scores += [
            dict(evaluation_id=n + 1, criterion_id=c, score=v, is_na=False, comment="")
            for c, v in zip(criteria, values, strict=True)
        ]
    _insert(Interaction.__table__, interactions)
    _insert(Evaluation.__table__, evals)
    _insert(EvaluationScore.__table__, scores)
    _unevaluated(evaluations * unevaluated, evaluations + 1, agent_ids, now)
    analyze([Interaction.__table__, Evaluation.__table__, EvaluationScore.__table__, team_members])
    db.session.commit()
    rebuild(db.session.connection())
    db.session.commit()
    return {
        "team": team_ids["Team 0"],
        "lead": ids["lead0@bench.example.com"],
        "agent": agent_ids[0],
        "admin": ids["reviewer@bench.example.com"],
    }


def _scorecard():
    """The five-key-elements template has ten criteria; drop its critical flags for a plain year."""
    version = import_doc(
        load_shipped_template(SHIPPED_DIR / "five-key-elements.yaml"), None, publish_now=True
    )
    db.session.flush()
    assert len(version.ordered_criteria) == 10, "the benchmark expects ten criteria"
    return version


RAW_TEAM = """
SELECT i.agent_id,
       COUNT(*) AS evaluations, AVG(e.score) AS quality,
       SUM(CASE WHEN e.score >= v.pass_mark THEN 1 ELSE 0 END) AS passed,
       SUM(CASE WHEN e.is_critical_fail THEN 1 ELSE 0 END) AS critical_fails
FROM evaluations e
JOIN interactions i ON i.id = e.interaction_id
JOIN scorecard_versions v ON v.id = e.scorecard_version_id
WHERE e.status = 'submitted' AND NOT e.is_calibration
  AND i.occurred_at >= :start AND i.occurred_at < :end
  AND i.agent_id {who}
GROUP BY i.agent_id
"""
RAW_CUSTOMER = """
SELECT i.agent_id, COUNT(*) AS interactions,
       SUM(CASE WHEN i.csat >= 4 THEN 1 ELSE 0 END) AS csat_positive, COUNT(i.csat) AS csat_n,
       SUM(CASE WHEN i.nps >= 9 THEN 1 ELSE 0 END) AS promoters,
       SUM(CASE WHEN i.nps <= 6 THEN 1 ELSE 0 END) AS detractors, COUNT(i.nps) AS nps_n,
       AVG(i.ces) AS ces, AVG(CASE WHEN i.first_contact_resolved THEN 1.0 ELSE 0.0 END) AS fcr,
       AVG(i.handle_seconds) AS aht
FROM interactions i
WHERE i.occurred_at >= :start AND i.occurred_at < :end
  AND i.agent_id {who}
GROUP BY i.agent_id
"""
RAW_WEEKS = """
SELECT {week} AS week, COUNT(*), AVG(e.score)
FROM evaluations e
JOIN interactions i ON i.id = e.interaction_id
WHERE e.status = 'submitted' AND NOT e.is_calibration
  AND i.occurred_at >= :start AND i.occurred_at < :end
  AND i.agent_id {who}
GROUP BY week
"""
WEEK = {
    "sqlite": "date(i.occurred_at, 'weekday 0', '-6 days')",
    "postgresql": "date_trunc('week', i.occurred_at AT TIME ZONE 'UTC')",
}
WHO = {
    "team": "IN (SELECT agent_id FROM team_members WHERE team_id = :team)",
    "agent": "= :agent",
}
RAW_ORGANISATION = """
SELECT m.team_id, COUNT(*), AVG(e.score),
       SUM(CASE WHEN e.score >= v.pass_mark THEN 1 ELSE 0 END),
       SUM(CASE WHEN e.is_critical_fail THEN 1 ELSE 0 END)
FROM evaluations e
JOIN interactions i ON i.id = e.interaction_id
JOIN scorecard_versions v ON v.id = e.scorecard_version_id
JOIN team_members m ON m.agent_id = i.agent_id
WHERE e.status = 'submitted' AND NOT e.is_calibration
  AND i.occurred_at >= :start AND i.occurred_at < :end
GROUP BY m.team_id
"""
RAW_ORGANISATION_CUSTOMER = """
SELECT m.team_id, COUNT(*), COUNT(i.csat), SUM(CASE WHEN i.csat >= 4 THEN 1 ELSE 0 END),
       COUNT(i.nps), AVG(i.ces), AVG(i.handle_seconds)
FROM interactions i
JOIN team_members m ON m.agent_id = i.agent_id
WHERE i.occurred_at >= :start AND i.occurred_at < :end
GROUP BY m.team_id
"""
RAW_CRITERIA = """
SELECT c.key, AVG(s.score), COUNT(s.score)
FROM evaluation_scores s
JOIN evaluations e ON e.id = s.evaluation_id
JOIN interactions i ON i.id = e.interaction_id
JOIN criteria c ON c.id = s.criterion_id
WHERE e.status = 'submitted' AND NOT e.is_calibration AND s.score IS NOT NULL
  AND i.occurred_at >= :start AND i.occurred_at < :end
  AND i.agent_id {who}
GROUP BY c.key
"""


def _median_ms(action, runs: int = RUNS, warm_up: int = 1) -> float:
    """The median of `runs` timings after `warm_up` untimed runs (caches, the first render, the
    SQLite page cache)."""
    for _ in range(warm_up):
        action()
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        timings.append((time.perf_counter() - began) * 1000)
    return statistics.median(timings)


def _signed_in(app, user_id: int):
    client = app.test_client()
    with app.app_context():
        user = db.session.get(User, user_id)
        key = user.get_id()
    with client.session_transaction() as session:
        session["_user_id"] = key
        session["_fresh"] = True
    return client


GOAL_MS, GOAL_RATIO = 50.0, 10.0


@contextmanager
def daily_only():
    """Read every range from the daily tables, as the pages did before the rollups."""
    original = queries.spanned
    queries.spanned = lambda *args, grains=None, **kwargs: original(*args, grains=(), **kwargs)
    try:
        yield
    finally:
        queries.spanned = original


def _period(first) -> str:
    last = (END.date() - timedelta(days=1)).isoformat()
    return f"period=custom&from={first.isoformat()}&to={last}"


def _raw_ms(app, first, who: str | None) -> float:
    """What a page shows, as raw GROUP BYs on the base tables: team or agent, or organisation."""
    start = datetime.combine(first, datetime.min.time(), tzinfo=UTC)
    with app.app_context():
        params = {"start": _bind(start), "end": _bind(END)}
        if who is None:
            return _median_ms(lambda: _raw_organisation(params))
        params[who] = app.config["BENCH_IDS"][who]
        before = {**params, "start": _bind(start - (END - start)), "end": _bind(start)}
        team = None
        if who == "agent":  # the page draws the agent's team beside the agent
            of_agent = sa.select(team_members.c.team_id).filter_by(agent_id=params["agent"])
            team = {**params, "team": db.session.scalar(of_agent)}
        return _median_ms(lambda: _raw(params, before, WHO[who], team))


def measure(app, ids: dict[str, int], rounds: int = ROUNDS) -> None:
    """Each page for 4 and 52 weeks beside its raw GROUP BYs, with the ratio and the goal: the
    lowest of each figure's medians over `rounds` rounds of every page."""
    app.config["BENCH_IDS"] = ids
    lead, admin = _signed_in(app, ids["lead"]), _signed_in(app, ids["admin"])
    pages = (
        ("team overview", lead, f"/results/teams/{ids['team']}", "team"),
        ("agent page", lead, f"/results/agents/{ids['agent']}", "agent"),
        ("organisation", admin, "/results/", None),
    )
    spans = (("4 weeks", END.date() - timedelta(days=27)), ("52 weeks", START.date()))
    figures: dict[tuple[str, str], list[tuple[float, ...]]] = {}
    for _ in range(rounds):
        for label, first in spans:
            for name, client, path, who in pages:
                url = f"{path}?{_period(first)}"
                found = (
                    *_page_figures(app, client, url, who),
                    *_ahead_figures(app, client, url),
                    _raw_ms(app, first, who),
                )
                figures.setdefault((label, name), []).append(found)
    cheapest: list[tuple[float, str]] = []
    for (label, name), found in figures.items():
        page, reads, other, kept, ahead, run, raw = (min(c) for c in zip(*found, strict=True))
        print(
            f"{label:>8} {name:<14}: page {page:7.1f} ms (aggregate reads {reads:5.1f} ms, "
            f"other SQL {other:6.1f} ms; unchanged {kept:5.1f} ms; rendered ahead {ahead:5.1f} "
            f"ms, the worker's run {run:6.1f} ms) | raw GROUP BYs {raw:7.1f} ms | raw / page "
            f"{raw / page:5.1f}x, unchanged {raw / kept:5.1f}x, rendered ahead {raw / ahead:5.1f}x"
            f" | goal <= {GOAL_MS:.0f} ms and >= "
            f"{GOAL_RATIO:.0f}x: {_verdict(page, kept, ahead, raw)}"
        )
        cheapest.append((raw, f"{label} {name}"))
    _floor(lead, min(cheapest), rounds)


def _page_figures(app, client, url: str, who: str | None) -> tuple[float, ...]:
    """A page's medians: rendered (after a change), its reads, and unchanged (a kept part)."""
    get = partial(lambda client, url: _ok(client.get(url)), client, url)
    with rendered_every_time() as renders:
        page = _median_ms(get, PAGE_RUNS, PAGE_WARM_UP)
        reads, other = _sql_ms(app, get)
    if renders[0] < PAGE_RUNS + PAGE_WARM_UP + RUNS:
        sys.exit(f"{url}: its results were read back, not rendered, after a change")
    kept = _median_ms(get, PAGE_RUNS)  # unchanged since the last request: a kept part
    return page, reads, other, kept


def _ahead_figures(app, client, url: str) -> tuple[float, float]:
    """The first view after a change once the worker rendered the page ahead (the reader's view
    was noted when the page was rendered above), and the worker's run (warming.py), medians of
    PAGE_RUNS changes after PAGE_WARM_UP, as for a page: each a new stamp of the lead's first
    agent, as any write of theirs gives (which changes the organisation overview too)."""
    agent_id = app.config["BENCH_IDS"]["agent"]
    views, runs = [], []
    with counted_renders() as renders:
        for _ in range(PAGE_WARM_UP + PAGE_RUNS):
            with app.app_context():
                marks.stamp(db.session.connection(), [marks.agent(agent_id)])
                db.session.commit()
                before = renders[0]
                began = time.perf_counter()
                warm_pages()
                runs.append((time.perf_counter() - began) * 1000)
            rendered = renders[0]
            began = time.perf_counter()
            _ok(client.get(url))
            views.append((time.perf_counter() - began) * 1000)
            if rendered == before or renders[0] != rendered:
                sys.exit(f"{url}: rendered by its reader, not ahead by the worker's run")
    return statistics.median(views[PAGE_WARM_UP:]), statistics.median(runs[PAGE_WARM_UP:])


def _verdict(page: float, kept: float, ahead: float, raw: float) -> str:
    """The goal after a change (the page rendered; rendered ahead) and while unchanged."""
    met = [ms <= GOAL_MS and raw / ms >= GOAL_RATIO for ms in (page, kept, ahead)]
    if met[0] and met[1]:
        return "met"
    if met[1] and met[2]:
        return "met unchanged and rendered ahead; MISSED when read before the worker's run"
    return "met unchanged, MISSED after a change" if met[1] else "MISSED"


FLOOR_PAGE = "/account/preferences"


def _floor(client, cheapest: tuple[float, str], rounds: int) -> None:
    """What any page costs before it reads a result: a signed-in page with the menu and a form,
    beside the time ten times faster than the cheapest raw GROUP BYs would need."""
    get = partial(lambda client: _ok(client.get(FLOOR_PAGE)), client)
    floor = min(_median_ms(get, PAGE_RUNS, PAGE_WARM_UP) for _ in range(rounds))
    raw, name = cheapest
    print(
        f"floor: {FLOOR_PAGE} (signed in, the menu, no results) {floor:.1f} ms | "
        f"10x faster than the cheapest raw ({name}, {raw:.1f} ms) needs {raw / GOAL_RATIO:.1f} "
        f"ms: {'within reach' if floor < raw / GOAL_RATIO else 'below the floor of any page'}"
    )


def _sql_ms(app, action) -> tuple[float, float]:
    """Median time per request in statements on the aggregate tables, and in the other SQL."""
    with app.app_context():
        engine = db.engine
    spent: list[list[float]] = []

    def before(conn, _cursor, _statement, _parameters, _context, _many) -> None:
        conn.info["began"] = time.perf_counter()

    def after(conn, _cursor, statement, _parameters, _context, _many) -> None:
        took = (time.perf_counter() - conn.info.pop("began")) * 1000
        spent[-1][0 if "_stats" in statement else 1] += took

    sa.event.listen(engine, "before_cursor_execute", before)
    sa.event.listen(engine, "after_cursor_execute", after)
    try:
        for _ in range(RUNS):
            spent.append([0.0, 0.0])
            action()
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)
        sa.event.remove(engine, "after_cursor_execute", after)
    return statistics.median(s[0] for s in spent), statistics.median(s[1] for s in spent)


def print_plans(app, ids: dict[str, int]) -> None:
    """The plan of each statement the 52-week team page runs, with its own parameters."""
    seen: list[tuple[str, Any]] = []

    def remember(_conn, _cursor, statement, parameters, _context, _many) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "SET LOCAL")):
            seen.append((statement, parameters))

    lead = _signed_in(app, ids["lead"])
    with app.app_context():
        engine = db.engine
    url = f"/results/teams/{ids['team']}?{_period(START.date())}"
    _ok(lead.get(url))
    sa.event.listen(engine, "before_cursor_execute", remember)
    try:
        _ok(lead.get(url))
    finally:
        sa.event.remove(engine, "before_cursor_execute", remember)
    postgresql = engine.dialect.name == "postgresql"
    prefix = "EXPLAIN (ANALYZE, COSTS OFF, TIMING ON) " if postgresql else "EXPLAIN QUERY PLAN "
    with engine.begin() as connection:  # the page's own SET LOCAL settings apply, as in it
        for statement, parameters in seen:
            if statement.lstrip().upper().startswith("SET LOCAL"):
                connection.exec_driver_sql(statement, parameters)
                continue
            if "_stats" not in statement:
                continue
            print("\n" + " ".join(statement.split())[:400])
            for row in connection.exec_driver_sql(prefix + statement, parameters):
                print("    " + (row[0] if postgresql else f"{row[1]:>3} {row[3]}"))


def _bind(moment: datetime) -> Any:
    return moment.replace(tzinfo=None) if db.engine.dialect.name == "sqlite" else moment


def _raw(
    params: dict[str, Any], previous: dict[str, Any], who: str, team: dict[str, Any] | None
) -> None:
    """What the team or agent page shows: now and before, the weekly trend, the criteria; on the
    agent page (`team` given) also the team's line of each: its totals now, its weekly trend and
    its criteria averages, against which the agent's are drawn."""
    weeks = RAW_WEEKS.replace("{week}", WEEK[db.engine.dialect.name])
    reads = [(RAW_TEAM, previous, who), (RAW_CUSTOMER, previous, who)]
    for values, members in [(params, who)] + ([(team, WHO["team"])] if team else []):
        reads += [(sql, values, members) for sql in (RAW_TEAM, RAW_CUSTOMER, weeks, RAW_CRITERIA)]
    for sql, values, members in reads:
        db.session.execute(sa.text(sql.replace("{who}", members)), values).all()
    db.session.rollback()


def _raw_organisation(params: dict[str, Any]) -> None:
    """What the organisation overview shows: QA and customer sums per team."""
    db.session.execute(sa.text(RAW_ORGANISATION), params).all()
    db.session.execute(sa.text(RAW_ORGANISATION_CUSTOMER), params).all()
    db.session.rollback()


def _ok(response) -> None:
    assert response.status_code == 200, response.status_code
    response.get_data()


def _built(args: argparse.Namespace) -> dict[str, int]:
    """A fresh database with the benchmark's data; the ids to time with."""
    db.drop_all()
    db.create_all()
    began = time.perf_counter()
    ids = build(args.evaluations, args.agents, args.unevaluated)
    rows = db.session.scalar(sa.select(sa.func.count()).select_from(EvaluationScore))
    handled = db.session.scalar(sa.select(sa.func.count()).select_from(Interaction))
    print(
        f"data: {args.evaluations:,} evaluations x 10 criteria ({rows:,} scores), "
        f"{handled:,} interactions, "
        f"{args.agents} agents in teams of 10, 52 weeks, {db.engine.dialect.name}; "
        f"built in {time.perf_counter() - began:.1f} s"
    )
    db.session.remove()
    return ids


def ready_for_this_version() -> None:
    """A database an earlier version of this script built: the tables added since (empty), and
    the `everyone` stamp without which no page part is kept (its aggregates were rebuilt whole,
    so the stamp is true of them)."""
    db.session.commit()  # a check's transaction holds SQLite's write lock
    db.create_all()
    if marks.read([]) is None:
        marks.stamp(db.session.connection(), [marks.EVERYONE])
    db.session.commit()


@contextmanager
def rendered_every_time():
    """Pages as they cost after a change: no page part is read back (the charts still are).
    Yields the count of results read, for measure() to check that they were."""
    read, of_team, of_everyone = marks.read, marks.of_team, marks.of_everyone
    marks.read = lambda scopes: None
    marks.of_team = lambda team_id: (of_team(team_id)[0], None)
    marks.of_everyone = lambda: (of_everyone()[0], None)
    try:
        with counted_renders() as renders:
            yield renders
    finally:
        marks.read, marks.of_team, marks.of_everyone = read, of_team, of_everyone


@contextmanager
def counted_renders():
    """Yields the count of team, agent and organisation results read (each a render of the
    page's results)."""
    team, agent = services.team_results, services.agent_results
    overview = queries.totals_by_team_and_all
    renders = [0]

    def counted(function):
        def read_results(*args, **kwargs):
            renders[0] += 1
            return function(*args, **kwargs)

        return read_results

    services.team_results, services.agent_results = counted(team), counted(agent)
    queries.totals_by_team_and_all = counted(overview)
    try:
        yield renders
    finally:
        services.team_results, services.agent_results = team, agent
        queries.totals_by_team_and_all = overview


def _built_before() -> dict[str, int] | None:
    """The ids of data `build` made in this database before (and its evaluation count), if any."""
    if not sa.inspect(db.engine).has_table("users"):
        return None
    emails = dict(db.session.execute(sa.select(User.email, User.id)).all())
    team = db.session.scalar(sa.select(Team.id).filter_by(name="Team 0"))
    if team is None or "lead0@bench.example.com" not in emails:
        return None
    ready_for_this_version()
    return {
        "team": team,
        "lead": emails["lead0@bench.example.com"],
        "agent": emails["agent0@bench.example.com"],
        "admin": emails["reviewer@bench.example.com"],
        "evaluations": db.session.scalar(sa.select(sa.func.count()).select_from(Evaluation)) or 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--evaluations", type=int, default=100_000)
    parser.add_argument("--agents", type=int, default=500)
    parser.add_argument("--unevaluated", type=int, default=20, help="per evaluation")
    parser.add_argument("--database-url")
    parser.add_argument("--plans", action="store_true", help="print the team page's plans")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="rounds of every page")
    parser.add_argument(
        "--daily", action="store_true", help="also time the pages reading the daily tables alone"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="time the data built at --database-url before"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.db"
        config = type("Bench", (TestingConfig,), {"SQLALCHEMY_DATABASE_URI": url})
        app = create_app(config)
        with app.app_context():
            ids = _built_before() if args.reuse and args.database_url else None
            if ids is not None:
                print(
                    f"data: reusing {ids.pop('evaluations'):,} evaluations, {db.engine.dialect.name}"
                )
                db.session.remove()
            else:
                ids = _built(args)
        print("pages reading the weekly and monthly rollups:")
        measure(app, ids, args.rounds)
        if args.daily:
            print("the same pages reading the per-agent-day tables alone (before the rollups):")
            with daily_only():
                measure(app, ids, args.rounds)
        if args.plans:
            print_plans(app, ids)


if __name__ == "__main__":
    main()
