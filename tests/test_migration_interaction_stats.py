"""The customer-metrics migration fills its table from the interactions already stored."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask_migrate import upgrade

from qa_app import create_app
from qa_app.extensions import db
from qa_app.results.interaction_aggregates import INTERACTION_COLUMNS, interaction_select
from qa_app.results.models import AgentDayInteractionStats
from tests.conftest import make_config
from tests.test_migration_history_fields import START, _insert, _user
from tests.test_migrations import MIGRATIONS, _alembic_config

# The revisions these tests write at have no result_marks: their writes stamp nothing.
pytestmark = pytest.mark.usefixtures("old_schema")

INTERACTION_STATS = "5b0c7e2a9d31"


def _interactions(agent: int) -> None:
    """Five interactions over two days and two channels, some with answers, one late at night."""
    answers = [
        ("call", START, {"csat": 5, "nps": 10, "ces": 2, "first_contact_resolved": True}),
        ("call", START + timedelta(hours=1), {"csat": 2, "nps": 3, "handle_seconds": 300}),
        ("chat", START, {"csat": 4, "first_contact_resolved": False}),
        ("call", START + timedelta(days=1, hours=14, minutes=59), {"handle_seconds": 120}),
        ("call", START + timedelta(days=6), {}),
    ]
    for number, (channel, at, values) in enumerate(answers):
        _insert(
            "interactions",
            external_id=f"X-{number}",
            channel=channel,
            agent_id=agent,
            occurred_at=at,
            created_at=START,
            **values,
        )


def _stats() -> list[tuple]:
    query = "SELECT * FROM agent_day_interaction_stats ORDER BY agent_id, day, channel"
    rows = db.session.execute(sa.text(query))
    return [tuple(row) for row in rows]


def test_upgrade_counts_every_stored_interaction_once(backend, empty_database_url):
    script = ScriptDirectory.from_config(_alembic_config())
    before = script.get_revision(INTERACTION_STATS).down_revision
    app = create_app(make_config(empty_database_url(backend)))
    with app.app_context():
        upgrade(directory=MIGRATIONS, revision=before)
        _interactions(_user("aron@example.com", "agent"))
        db.session.commit()

        upgrade(directory=MIGRATIONS, revision=INTERACTION_STATS)
        filled = _stats()
        db.session.rollback()
        with db.engine.begin() as connection:  # the interaction part of `flask results rebuild`
            # (the whole rebuild needs the newest schema of the other aggregates)
            connection.execute(sa.delete(AgentDayInteractionStats))
            insert = sa.insert(AgentDayInteractionStats)
            connection.execute(insert.from_select(INTERACTION_COLUMNS, interaction_select()))
        rebuilt = _stats()
        db.session.rollback()
        assert len(filled) == 4
        assert sum(row[4] for row in filled) == 5  # every interaction, once
        assert filled == rebuilt
        db.engine.dispose()
