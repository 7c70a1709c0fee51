"""Time the result pages' top root causes from the kept counts beside the join they replaced.

    .venv/bin/python benchmarks/root_causes.py [--evaluations N] [--agents N] [--database-url URL]

Builds the data of benchmarks/results_pages.py (agents in teams of ten, a ten-criterion scorecard,
N evaluations over 52 weeks), gives the scorecard three categories of four root causes, and picks
one or two causes on half of the scores of 1-3; then rebuilds the aggregates. It times
`root_causes()` (the kept per-agent-day counts) for an agent, a team and the whole organisation
over 4 and 52 weeks, beside the query the pages ran before (picks joined to their scores,
evaluations and interactions, grouped) on the same database, and checks both give the same counts.
Every timing is the median of seven runs after a warm-up. Without --database-url a fresh SQLite
file in a temporary folder is used; a URL must name an empty scratch database.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from benchmarks.results_pages import END, START, _insert, _median_ms, build  # noqa: E402
from config import TestingConfig  # noqa: E402
from qa_app import create_app  # noqa: E402
from qa_app.evaluations.models import Evaluation, EvaluationScore, EvaluationStatus  # noqa: E402
from qa_app.extensions import db  # noqa: E402
from qa_app.interactions.models import Interaction  # noqa: E402
from qa_app.results.aggregates import rebuild  # noqa: E402
from qa_app.results.causes import _cause_counts, root_causes  # noqa: E402
from qa_app.results.periods import Filters  # noqa: E402
from qa_app.results.queries import team_agent_ids  # noqa: E402
from qa_app.rootcauses.models import (  # noqa: E402
    RootCause,
    RootCauseCategory,
    evaluation_score_causes,
)
from qa_app.scorecards.models import Criterion, ScorecardVersion  # noqa: E402


def _causes() -> list[int]:
    scorecard_id = db.session.scalar(sa.select(ScorecardVersion.scorecard_id).limit(1))
    ids = []
    for c in range(3):
        category = RootCauseCategory(scorecard_id=scorecard_id, name=f"Category {c}", position=c)
        db.session.add(category)
        db.session.flush()
        for n in range(4):
            cause = RootCause(category_id=category.id, name=f"Cause {c}.{n}", position=n)
            db.session.add(cause)
            db.session.flush()
            ids.append(cause.id)
    return ids


def _pick(cause_ids: list[int]) -> int:
    """One or two causes on half of the scores of 1-3; returns how many picks were made."""
    rng = random.Random(7)
    low = db.session.scalars(sa.select(EvaluationScore.id).where(EvaluationScore.score <= 3))
    rows = [
        dict(evaluation_score_id=score_id, root_cause_id=cause)
        for score_id in low
        if rng.random() < 0.5
        for cause in rng.sample(cause_ids, rng.choice([1, 2]))
    ]
    _insert(evaluation_score_causes, rows)
    db.session.commit()
    return len(rows)


def _old(filters: Filters, agent_ids: Any) -> list[Any]:
    """The query the result pages ran before the kept counts, as it was."""
    picks = evaluation_score_causes
    stmt = (
        sa.select(RootCause.id, RootCauseCategory.name, RootCause.name, Criterion.name)
        .add_columns(sa.func.count().label("n"))
        .select_from(picks)
        .join(EvaluationScore, EvaluationScore.id == picks.c.evaluation_score_id)
        .join(Evaluation, Evaluation.id == EvaluationScore.evaluation_id)
        .join(Interaction, Interaction.id == Evaluation.interaction_id)
        .join(Criterion, Criterion.id == EvaluationScore.criterion_id)
        .join(RootCause, RootCause.id == picks.c.root_cause_id)
        .join(RootCauseCategory, RootCauseCategory.id == RootCause.category_id)
        .where(
            Evaluation.status == EvaluationStatus.SUBMITTED,
            Evaluation.is_calibration.is_(False),
            EvaluationScore.score <= 3,
            Interaction.occurred_at >= datetime.combine(filters.start, clock(), tzinfo=UTC),
            Interaction.occurred_at
            < datetime.combine(filters.end + timedelta(days=1), clock(), tzinfo=UTC),
        )
        .group_by(RootCause.id, RootCauseCategory.name, RootCause.name, Criterion.name)
    )
    if agent_ids is not None:
        stmt = stmt.where(Interaction.agent_id.in_(agent_ids))
    return _cause_counts(list(db.session.execute(stmt)), 10)


def measure(ids: dict[str, int]) -> None:
    last = END.date() - timedelta(days=1)
    scopes = {
        "agent": [ids["agent"]],
        "team": team_agent_ids(ids["team"]),
        "organisation": None,
    }
    for weeks, first in ((4, END.date() - timedelta(days=27)), (52, START.date())):
        filters = Filters("custom", first, last)
        for scope, agent_ids in scopes.items():
            kept = root_causes(filters, agent_ids)
            assert kept == _old(filters, agent_ids), f"{scope}, {weeks} weeks: counts differ"
            new_ms = _median_ms(lambda: root_causes(filters, agent_ids))  # noqa: B023
            old_ms = _median_ms(lambda: _old(filters, agent_ids))  # noqa: B023
            print(
                f"{scope:>12}, {weeks:2} weeks: kept counts {new_ms:7.2f} ms | "
                f"join as before {old_ms:8.2f} ms | {old_ms / new_ms:6.1f}x"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--evaluations", type=int, default=100_000)
    parser.add_argument("--agents", type=int, default=500)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.db"
        app = create_app(type("Bench", (TestingConfig,), {"SQLALCHEMY_DATABASE_URI": url}))
        with app.app_context():
            db.drop_all()
            db.create_all()
            began = time.perf_counter()
            ids = build(args.evaluations, args.agents)
            picks = _pick(_causes())
            rebuild(db.session.connection())
            db.session.execute(sa.text("ANALYZE"))
            db.session.commit()
            print(
                f"data: {args.evaluations:,} evaluations x 10 criteria, {picks:,} root cause "
                f"picks, {args.agents} agents in teams of 10, 52 weeks, "
                f"{db.engine.dialect.name}; built in {time.perf_counter() - began:.1f} s"
            )
            measure(ids)


if __name__ == "__main__":
    main()
