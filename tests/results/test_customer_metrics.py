"""Customer metrics are facts about interactions: each counts once, evaluated or not."""

from __future__ import annotations

import io
import random
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from qa_app.accounts.models import Role, User
from qa_app.extensions import db
from qa_app.interactions.models import Channel, Interaction
from qa_app.interactions.services import import_interactions
from qa_app.results import queries
from qa_app.results.aggregates import rebuild
from qa_app.results.models import AgentDayInteractionStats
from qa_app.results.periods import Filters
from qa_app.scorecards.models import ScorecardVersion
from qa_app.scorecards.schema import SHIPPED_DIR, load_shipped_template
from qa_app.scorecards.services import import_doc
from tests.interactions.conftest import csv_bytes, row
from tests.results.conftest import evaluate

MARCH = Filters("custom", date(2026, 3, 1), date(2026, 3, 31))


@pytest.fixture
def desk(app, make_user):
    """An agent with three March chats: one evaluated, two not; and two reviewers."""
    agent = make_user(Role.AGENT, email="agent@example.com")
    reviewers = [make_user(Role.REVIEWER), make_user(Role.REVIEWER)]
    with app.app_context():
        version = import_doc(
            load_shipped_template(SHIPPED_DIR / "chat.yaml"), None, publish_now=True
        )
        answers = [(4, 10, 2, True, 300), (5, 9, 3, False, 200), (1, 0, 7, None, None)]
        chats = [
            Interaction(
                external_id=f"C-{n}",
                channel=Channel.CHAT,
                agent_id=agent.id,
                occurred_at=datetime(2026, 3, 2 + n, 9, 0, tzinfo=UTC),
                csat=csat,
                nps=nps,
                ces=ces,
                first_contact_resolved=fcr,
                handle_seconds=handle,
            )
            for n, (csat, nps, ces, fcr, handle) in enumerate(answers)
        ]
        db.session.add_all(chats)
        evaluate(chats[0], version, db.session.get(User, reviewers[0].id), random.Random(1))
        db.session.commit()
        return {"agent": agent.id, "reviewers": [r.id for r in reviewers], "version": version.id}


def _totals(app, agent_id, filters=MARCH):
    with app.app_context():
        return queries.totals(filters, [agent_id])


def _check(totals):
    """The three chats of the fixture, each counted once."""
    assert totals.interactions == 3
    assert totals.csat == pytest.approx(200 / 3)  # 4 and 5 of 4, 5, 1
    assert totals.nps == pytest.approx(100 * (2 - 1) / 3)
    assert totals.ces == pytest.approx(4)
    assert totals.fcr == pytest.approx(50)
    assert totals.aht == pytest.approx(250)


def test_interactions_count_whether_evaluated_or_not(app, desk):
    totals = _totals(app, desk["agent"])
    assert totals.evaluations == 1
    _check(totals)


def test_an_interaction_evaluated_twice_counts_once(app, desk):
    with app.app_context():
        first = db.session.scalar(sa.select(Interaction).where(Interaction.external_id == "C-0"))
        version = db.session.get(ScorecardVersion, desk["version"])
        second_reviewer = db.session.get(User, desk["reviewers"][1])
        evaluate(first, version, second_reviewer, random.Random(2))
        db.session.commit()
    totals = _totals(app, desk["agent"])
    assert totals.evaluations == 2
    _check(totals)


def test_the_scorecard_filter_narrows_qa_numbers_only(app, desk):
    with app.app_context():
        scorecard_id = db.session.get(ScorecardVersion, desk["version"]).scorecard_id
    other = _totals(app, desk["agent"], Filters("custom", MARCH.start, MARCH.end, None, -1))
    assert other.evaluations == 0
    _check(other)
    same = _totals(
        app, desk["agent"], Filters("custom", MARCH.start, MARCH.end, None, scorecard_id)
    )
    assert same.evaluations == 1
    _check(same)
    calls = _totals(app, desk["agent"], Filters("custom", MARCH.start, MARCH.end, "call"))
    assert calls.interactions == 0 and calls.csat is None


def _kept_and_rebuilt():
    stmt = sa.select(AgentDayInteractionStats).order_by(
        AgentDayInteractionStats.agent_id, AgentDayInteractionStats.day
    )

    def rows():
        return [
            tuple(getattr(r, c.name) for c in AgentDayInteractionStats.__table__.columns)
            for r in db.session.scalars(stmt)
        ]

    kept = rows()
    rebuild(db.session.connection())
    db.session.expire_all()
    return kept, rows()


def test_imported_and_moved_interactions_keep_the_aggregate_right(app, desk):
    imported = [
        row("agent@example.com", 2, csat="5", handle_seconds="100"),
        row("agent@example.com", 40, csat="2", channel="call"),
    ]
    with app.app_context():
        report = import_interactions(
            io.BytesIO(csv_bytes(imported)), source_name="march.csv", created_by=None
        )
        assert report.ok and report.rows_added == 2
        db.session.commit()
        # Imported again: nothing new, nothing counted twice.
        import_interactions(
            io.BytesIO(csv_bytes(imported)), source_name="again.csv", created_by=None
        )
        db.session.commit()
        moved = db.session.scalar(sa.select(Interaction).where(Interaction.external_id == "C-2"))
        moved.occurred_at = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)
        moved.channel = Channel.EMAIL
        db.session.commit()
        kept, rebuilt = _kept_and_rebuilt()
        assert kept == rebuilt and len(kept) == 4  # the second chat shares a day
        db.session.rollback()
    totals = _totals(app, desk["agent"])
    assert totals.interactions == 5 and totals.csat_n == 5 and totals.csat_positive == 3


def test_the_pages_say_what_the_customer_metrics_cover(app, desk, login_as):
    with app.app_context():
        agent = db.session.get(User, desk["agent"])
        db.session.expunge(agent)
    client = login_as(user=agent)
    body = client.get(f"/results/agents/{desk['agent']}?period=month&from=2026-03-01").get_data(
        as_text=True
    )
    assert "every interaction handled in the period" in body
    assert "66.7%" in body  # CSAT over the three chats, not over the one evaluation (100.0%)
