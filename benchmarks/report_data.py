"""The data set of benchmarks/excel_report.py: a year of evaluations for 500 agents, in bulk.

500 agents in 50 teams, one scorecard of ten criteria, N evaluations (one every 315 seconds from
2025-01-06, so 100,000 fill a year) scored by the product's own rules, with comments and a few
disputes; inserted with core bulk inserts, then the aggregates rebuilt as `flask results rebuild`.
"""

from __future__ import annotations

import random
from array import array
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask

from config import TestingConfig
from qa_app import create_app
from qa_app.accounts.models import Role, Team, User, team_members
from qa_app.disputes.models import Dispute, DisputeStatus
from qa_app.evaluations.copies import utc_date
from qa_app.evaluations.models import Evaluation, EvaluationScore, EvaluationStatus
from qa_app.extensions import db
from qa_app.interactions.models import Channel, Interaction
from qa_app.results.aggregates import rebuild
from qa_app.results.periods import Filters
from qa_app.scorecards.schema import SHIPPED_DIR, load_shipped_template
from qa_app.scorecards.services import criterion_specs, import_doc
from qa_app.scoring import CriterionSpec, round_score, score_evaluation

AGENTS, TEAMS, BATCH = 500, 50, 5_000
START = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)
YEAR = Filters("custom", date(2025, 1, 6), date(2026, 1, 4))
PHRASES = [
    "Warm greeting and a clear summary of the problem.",
    "Καλή ενσυναίσθηση, αλλά η λύση άργησε.",
    "Jó hangnem, a lezárás hiányzott.",
    "Răspuns corect, dar prea lung pentru chat.",
    "Checked the account before promising a refund.",
]


def _user(user_id: int, email: str, name: str, role: Role) -> dict[str, Any]:
    return {
        "id": user_id,
        "email": email,
        "display_name": name,
        "role": role,
        "password_hash": "-",
        "is_active": True,
        "session_version": 1,
    }


def _people(conn: sa.Connection) -> tuple[int, list[int]]:
    """A reviewer, the leads, the teams and the agents; returns the reviewer's and agents' ids."""
    first = 2 + TEAMS
    users = [_user(1, "r@bench.example", "Reviewer", Role.REVIEWER)]
    users += [_user(2 + n, f"lead{n}@b.example", f"Lead {n}", Role.LEAD) for n in range(TEAMS)]
    users += [
        _user(first + n, f"agent{n}@b.example", f"Agent {n:03}", Role.AGENT) for n in range(AGENTS)
    ]
    conn.execute(sa.insert(User), users)
    teams = [{"id": n + 1, "name": f"Team {n:02}", "lead_id": 2 + n} for n in range(TEAMS)]
    conn.execute(sa.insert(Team), teams)
    members = [{"team_id": n % TEAMS + 1, "agent_id": first + n} for n in range(AGENTS)]
    conn.execute(sa.insert(team_members), members)
    return 1, [first + n for n in range(AGENTS)]


def _batches(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    while batch := list(islice(rows, BATCH)):
        yield batch


def _evaluation(
    n: int, rnd: random.Random, specs: list[CriterionSpec], version_id: int, reviewer: int
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One evaluation with its interaction and scores, scored by the product's own rules."""
    values = {
        spec.key: None if spec.allow_na and rnd.random() < 0.1 else rnd.choice((2, 3, 4, 4, 5))
        for spec in specs
    }
    result = score_evaluation(specs, values)
    score = None if result.score is None else Decimal(str(round_score(result.score)))
    evaluation = {
        "id": n + 1,
        "interaction_id": n + 1,
        "scorecard_version_id": version_id,
        "reviewer_id": reviewer,
        "status": EvaluationStatus.SUBMITTED,
        "score": score,
        "is_critical_fail": result.critical_fail,
        "strengths": rnd.choice(PHRASES),
        "improvements": rnd.choice(PHRASES),
        "submitted_at": START + timedelta(seconds=n * 315),
    }
    return evaluation, _scores(n, rnd, values)


def _scores(n: int, rnd: random.Random, values: dict[str, int | None]) -> list[dict[str, Any]]:
    """The evaluation's criterion rows; one in five has a comment."""
    return [
        {
            "evaluation_id": n + 1,
            "criterion_id": int(key),
            "score": value,
            "is_na": value is None,
            "comment": rnd.choice(PHRASES) if rnd.random() < 0.2 else "",
        }
        for key, value in values.items()
    ]


def _interaction(n: int, rnd: random.Random, agents: list[int]) -> dict[str, Any]:
    return {
        "id": n + 1,
        "external_id": f"BENCH-{n:08}",
        "channel": Channel.CHAT,
        "agent_id": rnd.choice(agents),
        "occurred_at": START + timedelta(seconds=n * 315),
        "csat": rnd.randint(1, 5),
        "nps": rnd.randint(0, 10),
        "ces": rnd.randint(1, 7),
        "first_contact_resolved": rnd.choice((True, False, None)),
        "handle_seconds": rnd.randrange(60, 2400),
    }


def _disputes(count: int, agent_id: int) -> list[dict[str, Any]]:
    """Every 97th evaluation was disputed, and upheld."""
    return [
        {
            "evaluation_id": n + 1,
            "raised_by_id": agent_id,
            "reason": "Please look again",
            "status": DisputeStatus.UPHELD,
            "resolution_note": "The score stands.",
        }
        for n in range(0, count, 97)
    ]


def _fill(conn: sa.Connection, count: int, specs: list[CriterionSpec], version_id: int) -> None:
    """The people, then interactions, evaluations and scores in batches, then the disputes."""
    reviewer, agents = _people(conn)
    rnd = random.Random(11)
    agent_of = array("i")  # each interaction's agent, for its evaluation's copy
    for batch in _batches(_interaction(n, rnd, agents) for n in range(count)):
        conn.execute(sa.insert(Interaction), batch)
        agent_of.extend(row["agent_id"] for row in batch)
    made = (_evaluation(n, rnd, specs, version_id, reviewer) for n in range(count))
    for chunk in iter(lambda: list(islice(made, BATCH // 10)), []):
        rows = [evaluation for evaluation, _ in chunk]
        for row in rows:  # the copies of the interaction (qa_app/evaluations/copies.py)
            n = row["id"] - 1
            moment = START + timedelta(seconds=n * 315)
            row.update(agent_id=agent_of[n], occurred_at=moment, occurred_on=utc_date(moment))
            row["channel"] = Channel.CHAT
        conn.execute(sa.insert(Evaluation), rows)
        conn.execute(sa.insert(EvaluationScore), [s for _, scores in chunk for s in scores])
    conn.execute(sa.insert(Dispute), _disputes(count, agents[0]))


def database_url(url: str | None, folder: Path) -> str:
    """The scratch database: the URL given, or a SQLite file in `folder`."""
    return url or f"sqlite:///{folder / 'bench.db'}"


def open_app(url: str) -> Flask:
    """The app on the scratch database, as it is."""
    return create_app(type("Bench", (TestingConfig,), {"SQLALCHEMY_DATABASE_URI": url}))


def build(url: str | None, folder: Path, count: int) -> Flask:
    """A fresh schema with `count` evaluations and their aggregates (`flask results rebuild`)."""
    app = open_app(database_url(url, folder))
    with app.app_context():
        db.drop_all()
        db.create_all()
        template = load_shipped_template(SHIPPED_DIR / "five-key-elements.yaml")
        version = import_doc(template, None, publish_now=True)
        specs, version_id = criterion_specs(version), version.id
        db.session.commit()
        _fill(db.session.connection(), count, specs, version_id)
        rebuild(db.session.connection())
        if db.engine.dialect.name == "postgresql":
            # Statistics, as autovacuum gathers them within a minute of a bulk load: without them
            # the planner's guesses make the report's cursor query take seconds per chunk.
            db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
        db.engine.dispose()
    return app
