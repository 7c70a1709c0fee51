"""A big import refreshes the query planner's statistics; a small one leaves them be; whatever
they say, an import counts its own rows by their ids."""

from __future__ import annotations

import io

import pytest

from qa_app import create_app
from qa_app.accounts.models import Role, User
from qa_app.bulk import analyze
from qa_app.extensions import db
from qa_app.interactions import services
from tests.conftest import make_config
from tests.evaluations.plans import sent_plans, upgrade_with_statistics
from tests.interactions.conftest import csv_bytes, row


@pytest.fixture
def analysed(monkeypatch) -> list[list[str]]:
    """The tables each import asked to analyse (analysed for real, then rolled back)."""
    calls: list[list[str]] = []

    def spy(tables):
        calls.append([table.name for table in tables])
        analyze(tables)

    monkeypatch.setattr(services, "analyze", spy)
    return calls


def _import(app, email: str, count: int) -> None:
    content = io.BytesIO(csv_bytes([row(email, n) for n in range(1, count + 1)]))
    with app.app_context():
        report = services.import_interactions(content, source_name="a.csv", created_by=None)
        assert report.ok and report.rows_added == count
        db.session.rollback()  # the statistics too: later tests find none of them


def test_an_import_that_is_much_of_the_table_analyzes_it(app, make_user, analysed, monkeypatch):
    monkeypatch.setattr(services, "ANALYZE_ROWS", 20)  # 2 rows or more, a tenth of the table
    _import(app, make_user(Role.AGENT).email, 3)
    # the interactions before the hooks read them, the sums once they are counted (after the hooks)
    assert analysed == [["interactions"], ["agent_day_interaction_stats"]]


def test_a_small_import_does_not_analyze(app, make_user, analysed):
    _import(app, make_user(Role.AGENT).email, 3)
    assert analysed == []


# sqlite_stat1 as ANALYZE leaves it after one import of 100,000 rows: one batch holds them all.
ONE_BIG_BATCH = [
    ("interactions", "ix_interactions_import_batch_id", "100000 100000"),
    ("interactions", "ix_interactions_agent_id_occurred_at", "100000 200 1"),
    ("interactions", "ix_interactions_agent_id", "100000 200"),
    ("interactions", "ix_interactions_occurred_at", "100000 1"),
    ("interactions", "sqlite_autoindex_interactions_1", "100000 1"),
]


def test_an_import_counts_its_own_rows_by_id_whatever_the_statistics_say(empty_database_url):
    """Statistics that say one batch holds every row would have SQLite read the whole table for
    each of the six counts of a later import; it reads the new rows by their ids."""
    app = create_app(make_config(empty_database_url("sqlite")))
    with app.app_context():
        upgrade_with_statistics(ONE_BIG_BATCH)
        agent = User(
            email="agent@example.com",
            display_name="Agent",
            role=Role.AGENT,
            password_hash="-",
            is_active=True,
            session_version=1,
        )
        db.session.add(agent)
        db.session.commit()
        content = io.BytesIO(csv_bytes([row(agent.email, n) for n in range(1, 4)]))

        def run() -> None:
            report = services.import_interactions(content, source_name="a.csv", created_by=None)
            assert report.ok and report.rows_added == 3

        plans = sent_plans(run, "_interaction_stats")
        db.session.rollback()
        db.engine.dispose()
    assert len(plans) == 6  # the agents' and their teams' days, weeks and months
    for plan in plans:
        assert plan.startswith("SEARCH interactions USING INTEGER PRIMARY KEY (rowid>?)"), plan
