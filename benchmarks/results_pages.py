"""Time the team overview and agent page on a year of a large organisation, and a raw GROUP BY.

    .venv/bin/python benchmarks/results_pages.py [--evaluations N] [--agents N]
        [--unevaluated N] [--database-url URL]

Builds (with core bulk inserts) AGENTS agents in teams of ten, one published scorecard of ten
criteria, N evaluations spread over 52 weeks, UNEVALUATED interactions per evaluation that nobody
evaluated (they count in the customer metrics), then the result aggregates. It then times, server
side and rendered, the lead's team overview and the agent page for a 4-week period and a 52-week
period, and beside them the same team aggregates as one raw SQL GROUP BY on the base tables
(evaluations, scores, interactions) of the same database. Every timing is the median of several
runs after one warm-up. Without --database-url a fresh SQLite file in a temporary folder is used;
a URL must name an empty scratch database (its tables are dropped and created).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from config import TestingConfig  # noqa: E402
from qa_app import create_app  # noqa: E402
from qa_app.accounts.models import Role, Team, User, team_members  # noqa: E402
from qa_app.evaluations.models import Evaluation, EvaluationScore  # noqa: E402
from qa_app.extensions import db  # noqa: E402
from qa_app.interactions.models import Interaction  # noqa: E402
from qa_app.results.aggregates import rebuild  # noqa: E402
from qa_app.scorecards.schema import SHIPPED_DIR, load_shipped_template  # noqa: E402
from qa_app.scorecards.services import criterion_specs, import_doc  # noqa: E402
from qa_app.scoring import round_score, score_evaluation  # noqa: E402

START = datetime(2025, 11, 24, 8, 0, tzinfo=UTC)  # a Monday, 52 weeks before END
END = START + timedelta(weeks=52)
BATCH = 5000
RUNS = 7


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
  AND i.agent_id IN (SELECT agent_id FROM team_members WHERE team_id = :team)
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
  AND i.agent_id IN (SELECT agent_id FROM team_members WHERE team_id = :team)
GROUP BY i.agent_id
"""
RAW_WEEKS = """
SELECT {week} AS week, COUNT(*), AVG(e.score)
FROM evaluations e
JOIN interactions i ON i.id = e.interaction_id
WHERE e.status = 'submitted' AND NOT e.is_calibration
  AND i.occurred_at >= :start AND i.occurred_at < :end
  AND i.agent_id IN (SELECT agent_id FROM team_members WHERE team_id = :team)
GROUP BY week
"""
WEEK = {
    "sqlite": "date(i.occurred_at, 'weekday 0', '-6 days')",
    "postgresql": "date_trunc('week', i.occurred_at AT TIME ZONE 'UTC')",
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
RAW_CRITERIA = """
SELECT c.key, AVG(s.score), COUNT(s.score)
FROM evaluation_scores s
JOIN evaluations e ON e.id = s.evaluation_id
JOIN interactions i ON i.id = e.interaction_id
JOIN criteria c ON c.id = s.criterion_id
WHERE e.status = 'submitted' AND NOT e.is_calibration AND s.score IS NOT NULL
  AND i.occurred_at >= :start AND i.occurred_at < :end
  AND i.agent_id IN (SELECT agent_id FROM team_members WHERE team_id = :team)
GROUP BY c.key
"""


def _median_ms(action) -> float:
    action()  # warm-up: caches, first matplotlib-free render, SQLite page cache
    timings = []
    for _ in range(RUNS):
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


def measure(app, ids: dict[str, int]) -> None:
    lead = _signed_in(app, ids["lead"])
    for label, first in (("4 weeks", END.date() - timedelta(days=27)), ("52 weeks", START.date())):
        query = f"period=custom&from={first.isoformat()}&to={(END.date() - timedelta(days=1)).isoformat()}"
        team = _median_ms(lambda: _ok(lead.get(f"/results/teams/{ids['team']}?{query}")))
        agent = _median_ms(lambda: _ok(lead.get(f"/results/agents/{ids['agent']}?{query}")))
        start = datetime.combine(first, datetime.min.time(), tzinfo=UTC)
        with app.app_context():
            params = {"start": _bind(start), "end": _bind(END), "team": ids["team"]}
            before = {**params, "start": _bind(start - (END - start)), "end": _bind(start)}
            raw = _median_ms(lambda: _raw(params, before))
        print(
            f"{label:>8}: team overview {team:7.1f} ms | agent page {agent:7.1f} ms | "
            f"the team page's aggregates as raw GROUP BYs on the base tables {raw:7.1f} ms | "
            f"raw / team page {raw / team:5.1f}x"
        )


def measure_organisation(app, ids: dict[str, int]) -> None:
    reviewer = _signed_in(app, ids["admin"])
    query = f"period=custom&from={START.date().isoformat()}&to={(END.date() - timedelta(days=1)).isoformat()}"
    page = _median_ms(lambda: _ok(reviewer.get(f"/results/?{query}")))
    with app.app_context():
        params = {"start": _bind(START), "end": _bind(END)}
        raw = _median_ms(
            lambda: (
                db.session.execute(sa.text(RAW_ORGANISATION), params).all(),
                db.session.rollback(),
            )
        )
    print(
        f"52 weeks: organisation overview (all teams) {page:7.1f} ms | the same as one raw GROUP BY "
        f"on the base tables {raw:7.1f} ms | raw / page {raw / page:5.1f}x"
    )


def _bind(moment: datetime) -> Any:
    return moment.replace(tzinfo=None) if db.engine.dialect.name == "sqlite" else moment


def _raw(params: dict[str, Any], previous: dict[str, Any]) -> None:
    """What the team page shows: agents now and before, the weekly trend, the criteria."""
    db.session.execute(sa.text(RAW_TEAM), params).all()
    db.session.execute(sa.text(RAW_TEAM), previous).all()
    db.session.execute(sa.text(RAW_CUSTOMER), params).all()
    db.session.execute(sa.text(RAW_CUSTOMER), previous).all()
    db.session.execute(sa.text(RAW_WEEKS.format(week=WEEK[db.engine.dialect.name])), params).all()
    db.session.execute(sa.text(RAW_CRITERIA), params).all()
    db.session.rollback()


def _ok(response) -> None:
    assert response.status_code == 200, response.status_code
    response.get_data()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--evaluations", type=int, default=100_000)
    parser.add_argument("--agents", type=int, default=500)
    parser.add_argument("--unevaluated", type=int, default=20, help="per evaluation")
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.db"
        config = type("Bench", (TestingConfig,), {"SQLALCHEMY_DATABASE_URI": url})
        app = create_app(config)
        with app.app_context():
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
        measure(app, ids)
        measure_organisation(app, ids)


if __name__ == "__main__":
    main()
