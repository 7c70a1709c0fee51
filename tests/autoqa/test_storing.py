"""How Auto QA finds a batch's earlier results: by interaction, whatever the statistics say."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from qa_app.accounts.models import Role
from qa_app.autoqa import services
from qa_app.autoqa.models import AutoResult
from qa_app.bulk import analyze
from qa_app.database import utcnow
from qa_app.extensions import db
from qa_app.interactions.models import Channel, Interaction
from tests.autoqa.conftest import TURNS

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
STATISTICS = {  # what the planner believes of the table: rows counted, or ANALYZE's lines
    "sqlite": "SELECT group_concat(stat, ';') FROM sqlite_stat1 WHERE tbl = 'auto_results'",
    "postgresql": "SELECT reltuples FROM pg_class WHERE relname = 'auto_results'",
}


def _add_interactions(agent_id: int, count: int, prefix: str, channel: Channel) -> list[int]:
    rows = [
        {
            "external_id": f"{prefix}-{n}",
            "channel": channel,
            "agent_id": agent_id,
            "occurred_at": START + timedelta(minutes=n),
            "transcript_turns": TURNS,
            "language": "en",
            "csat": 5,
            "created_at": utcnow(),
        }
        for n in range(count)
    ]
    db.session.execute(sa.insert(Interaction), rows)
    found = sa.select(Interaction.id).where(Interaction.external_id.startswith(f"{prefix}-"))
    return list(db.session.scalars(found.order_by(Interaction.id)))


def _explained(sent: list[tuple[str, Any]]) -> list[str]:
    """The plan of each statement on auto_results that was sent, with its own parameters."""
    connection = db.session.connection()
    word = "EXPLAIN" if connection.dialect.name == "postgresql" else "EXPLAIN QUERY PLAN"
    plans = []
    for sql, params in sent:
        if "FROM auto_results" in sql:
            rows = connection.exec_driver_sql(f"{word} {sql}", params)
            plans.append(" | ".join(str(row[-1]) for row in rows))
    return plans


def test_earlier_results_are_found_by_interaction_when_the_version_looks_rare(
    app, make_user, rules_card
):
    """Thousands of results of one version, with statistics to say so; a newer version scores.
    Its lookups must not go through the version's index: the statistics call the new version
    rare, and a big run would read every result it had stored so far, batch after batch."""
    older = rules_card(("email",))
    newer = rules_card(("chat",))
    agent = make_user(Role.AGENT)
    with app.app_context():
        scored = _add_interactions(agent.id, 5000, "OLD", Channel.EMAIL)
        results = [
            {
                "interaction_id": interaction_id,
                "scorecard_version_id": older,
                "critical_fail": False,
                "criteria_total": 8,
                "criteria_with_rule": 2,
                "criteria_decided": 2,
                "scored_at": utcnow(),
            }
            for interaction_id in scored
        ]
        db.session.execute(sa.insert(AutoResult), results)
        analyze([AutoResult.__table__])
        db.session.commit()
        new = _add_interactions(agent.id, 3, "NEW", Channel.CHAT)
        sent: list[tuple[str, Any]] = []
        record = lambda _c, _cur, sql, params, *_rest: sent.append((sql, params))  # noqa: E731
        sa.event.listen(db.engine, "before_cursor_execute", record)
        try:
            assert services.score_many(new) == 3
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", record)
        plans = _explained(sent)
        versions = db.session.execute(
            sa.select(AutoResult.scorecard_version_id).where(AutoResult.interaction_id.in_(new))
        ).scalars()
        assert set(versions) == {newer}
        db.session.rollback()
    assert len(plans) == 2, plans  # the DELETE of earlier results, the SELECT of the new ids
    for plan in plans:
        assert "ix_auto_results_scorecard_version_id" not in plan, plan


def test_a_big_run_gathers_statistics_on_postgresql_only(app, make_user, rules_card):
    """After its first batch, a run that makes the results table many times bigger refreshes
    PostgreSQL's statistics (which it scales as the table grows); SQLite's are left alone."""
    rules_card()
    agent = make_user(Role.AGENT)
    count = 4 * services.BATCH_SIZE  # above a tenth of ANALYZE_ROWS, into an empty table
    with app.app_context():
        name = db.session.connection().dialect.name
        before = db.session.scalar(sa.text(STATISTICS[name]))
        ids = _add_interactions(agent.id, count, "RUN", Channel.CHAT)
        assert services.score_many(ids) == count
        after = db.session.scalar(sa.text(STATISTICS[name]))
        db.session.rollback()
    if name == "postgresql":  # gathered after the first batch: its rows counted, uncommitted
        assert after == services.BATCH_SIZE, (before, after)
    else:
        assert after == before
