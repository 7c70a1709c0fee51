"""Statements on every page read the index made for them, however the schema was built."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from qa_app import create_app
from qa_app.accounts.models import Role, User
from qa_app.disputes.services import open_disputes_for
from qa_app.evaluations.queries import own_draft
from qa_app.extensions import db
from tests.conftest import make_config

from .plans import sent_plans, upgrade_with_statistics


@pytest.mark.parametrize("built_by", ["upgrade", "create_all"])
def test_draft_check_uses_the_interaction_reviewer_index_on_sqlite(empty_database_url, built_by):
    app = create_app(make_config(empty_database_url("sqlite")))
    with app.app_context():
        if built_by == "upgrade":
            upgrade(directory="migrations")
        else:
            db.create_all()
        sql = own_draft(1, 2).compile(db.engine, compile_kwargs={"literal_binds": True})
        plan = " | ".join(
            row[-1] for row in db.session.execute(sa.text(f"EXPLAIN QUERY PLAN {sql}"))
        )
        db.engine.dispose()
    assert "USING INDEX ix_evaluations_interaction_reviewer " in plan, plan


STATISTICS = [
    ("evaluations", "ix_evaluations_interaction_id", "100000 1"),
    ("evaluations", "ix_evaluations_agent_submitted", "100000 200 1 1 1 1"),
    ("evaluations", "sqlite_autoindex_evaluations_1", "100000 100000 1 1"),
    ("interactions", "ix_interactions_agent_id", "300000 600"),
    ("interactions", "sqlite_autoindex_interactions_1", "300000 1"),
    ("team_members", "sqlite_autoindex_team_members_2", "500 1"),
    ("team_members", "sqlite_autoindex_team_members_1", "500 10 1"),
]


def test_open_dispute_counts_start_from_the_open_disputes_on_sqlite(empty_database_url):
    """A lead's open disputes (counted in the menu on every page) are found from the partial
    index of open disputes, never by walking the evaluations: the plan of the statement as it
    is sent, with its bound parameters."""
    app = create_app(make_config(empty_database_url("sqlite")))
    with app.app_context():
        # statistics as ANALYZE left them at 100,000 evaluations and no dispute at all
        upgrade_with_statistics(STATISTICS)

        def count_open_disputes() -> None:
            for role in (Role.LEAD, Role.REVIEWER):
                db.session.execute(open_disputes_for(User(id=1, role=role))).all()

        plans = sent_plans(count_open_disputes, "FROM disputes")
        db.engine.dispose()
    assert len(plans) == 2
    for plan in plans:
        assert plan.startswith("SCAN disputes USING INDEX uq_disputes_one_open"), plan
        assert "SCAN evaluations" not in plan, plan


def test_an_agents_latest_evaluations_read_five_index_entries_on_sqlite(empty_database_url):
    """The agent page's newest evaluations come backwards through the agent index, with no sort
    of the agent's whole history (the plan of the statement as sent, with statistics)."""
    from qa_app.results.services import latest_evaluations

    app = create_app(make_config(empty_database_url("sqlite")))
    with app.app_context():
        upgrade_with_statistics(STATISTICS)
        found: list[Any] = []
        [plan] = sent_plans(lambda: found.extend(latest_evaluations(7)), "FROM evaluations")
        db.engine.dispose()
    assert found == []
    assert plan.startswith("SEARCH evaluations USING INDEX ix_evaluations_agent_submitted"), plan
    assert "TEMP B-TREE" not in plan, plan
