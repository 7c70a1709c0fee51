"""The migration that counts targeted evaluations apart refills agent_day_stats from the rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from qa_app import create_app
from qa_app.extensions import db
from qa_app.results.aggregates import STATS_COLUMNS, stats_select
from qa_app.results.models import AgentDayStats
from tests.conftest import make_config
from tests.test_migration_history_fields import START, _insert, _user, _version
from tests.test_migrations import MIGRATIONS, _alembic_config

# The revisions these tests write at have no result_marks: their writes stamp nothing.
pytestmark = pytest.mark.usefixtures("old_schema")

TARGETED_STATS = "c5e81a7d2f46"
# (picked, score, status, hours after START): two kinds on one day, a draft, a day later.
EVALUATIONS = [
    ("random", 90, "submitted", 0),
    ("hand", 70, "submitted", 1),
    ("targeted", 40, "submitted", 2),
    ("targeted", 85, "submitted", 3),
    ("targeted", 10, "draft", 4),
    ("random", 60, "submitted", 30),
]


def _seed() -> None:
    reviewer, agent = _user("rita@example.com", "reviewer"), _user("aron@example.com", "agent")
    version, _criteria = _version(1, ["Greeting"])
    for number, (picked, score, status, hours) in enumerate(EVALUATIONS):
        at = START + timedelta(hours=hours)
        interaction = _insert(
            "interactions",
            external_id=f"T-{number}",
            channel="call",
            agent_id=agent,
            occurred_at=at,
            created_at=at,
        )
        _insert(
            "evaluations",
            interaction_id=interaction,
            scorecard_version_id=version,
            reviewer_id=reviewer,
            status=status,
            score=score,
            picked=picked,
            is_critical_fail=False,
            strengths="",
            improvements="",
            created_at=at,
            updated_at=at,
            is_calibration=False,
            lock_version=1,
        )


def _stats() -> list[tuple]:
    columns = [getattr(AgentDayStats, name) for name in STATS_COLUMNS]
    return [tuple(row) for row in db.session.execute(sa.select(*columns).order_by(*columns))]


def test_upgrade_splits_the_stored_evaluations_by_pick(backend, empty_database_url):
    script = ScriptDirectory.from_config(_alembic_config())
    before = script.get_revision(TARGETED_STATS).down_revision
    app = create_app(make_config(empty_database_url(backend)))
    with app.app_context():
        upgrade(directory=MIGRATIONS, revision=before)
        _seed()
        db.session.commit()

        upgrade(directory=MIGRATIONS, revision=TARGETED_STATS)
        filled = _stats()
        db.session.rollback()
        with db.engine.begin() as connection:  # the evaluation part of `flask results rebuild`
            connection.execute(sa.delete(AgentDayStats))
            insert = sa.insert(AgentDayStats).from_select(STATS_COLUMNS, stats_select())
            connection.execute(insert)
        assert _stats() == filled
        db.session.rollback()
        # (targeted, evaluations, score sum) per day: the draft never counts
        assert [(bool(row[5]), row[6], row[8]) for row in filled] == [
            (False, 2, 160),
            (True, 2, 125),
            (False, 1, 60),
        ]

        downgrade(directory=MIGRATIONS, revision=before)
        counts = db.session.execute(sa.text("SELECT evaluations FROM agent_day_stats ORDER BY day"))
        assert [row[0] for row in counts] == [4, 1]
        db.session.rollback()
        db.engine.dispose()
