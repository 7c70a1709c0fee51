"""The migration that keeps history fields as data converts the rows stored as English words."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from qa_app import create_app
from qa_app.extensions import db
from tests.conftest import make_config
from tests.test_migrations import MIGRATIONS, _alembic_config

# The revisions these tests write at have no result_marks: their writes stamp nothing.
pytestmark = pytest.mark.usefixtures("old_schema")

HISTORY_AS_DATA = "e4cd770dddb2"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
# (kind, field) as the application stored them before the migration, oldest first.
OLD_ROWS = [
    ("submitted", ""),
    ("edited", 'Score for "Greeting"'),
    ("edited", 'Comment on "Empathy"'),
    ("edited", "Strengths"),
    ("edited", "Areas to improve"),
    ("edited", "Score"),
    ("disputed", "Hold, then transfer, Greeting"),
    ("disputed", "the whole evaluation"),
    ("adjusted", 'Score for "Renamed since"'),
    ("upheld", "Score"),
]


def _insert(table: str, **values: Any) -> int:
    typed = {"channels": sa.JSON()}
    columns = [sa.column(name, typed.get(name)) for name in values]
    db.session.execute(sa.insert(sa.table(table, *columns)).values(**values))
    return int(
        db.session.scalar(sa.select(sa.func.max(sa.column("id"))).select_from(sa.table(table)))
    )


def _user(email: str, role: str) -> int:
    return _insert(
        "users",
        email=email,
        display_name=email,
        role=role,
        password_hash="x",
        is_active=True,
        session_version=1,
        created_at=START,
        password_changed_at=START,
    )


def _version(number: int, criteria: list[str]) -> tuple[int, dict[str, int]]:
    """A published scorecard version with these criteria; returns its id and theirs by name."""
    scorecard = _insert("scorecards", created_at=START)
    labels = {f"label_{n}": str(n) for n in range(1, 6)}
    version = _insert(
        "scorecard_versions",
        scorecard_id=scorecard,
        version=number,
        status="published",
        slug=f"support-{number}",
        name="Support",
        description="",
        language="en",
        channels=["call"],
        pass_mark=80,
        created_at=START,
        **labels,
    )
    section = _insert("scorecard_sections", scorecard_version_id=version, position=0, name="All")
    ids = {}
    for position, name in enumerate(criteria):
        ids[name] = _insert(
            "criteria",
            scorecard_version_id=version,
            section_id=section,
            key=f"c{position}",
            position=position,
            name=name,
            description="",
            anchor_1="",
            anchor_3="",
            anchor_5="",
            weight=1,
            allow_na=False,
            is_critical=False,
            coaching_tips="",
        )
    return version, ids


def _seed_history() -> dict[str, int]:
    """One evaluation whose history holds every kind of old words; returns its criteria's ids."""
    reviewer, agent = _user("rita@example.com", "reviewer"), _user("aron@example.com", "agent")
    _version(1, ["Greeting"])  # an older version's namesake, which must not be matched
    version, criteria = _version(2, ["Greeting", "Hold, then transfer", "Empathy"])
    interaction = _insert(
        "interactions",
        external_id="CALL-1",
        channel="call",
        agent_id=agent,
        occurred_at=START,
        created_at=START,
    )
    evaluation = _insert(
        "evaluations",
        interaction_id=interaction,
        scorecard_version_id=version,
        reviewer_id=reviewer,
        status="submitted",
        is_critical_fail=False,
        strengths="",
        improvements="",
        created_at=START,
        updated_at=START,
        is_calibration=False,
        lock_version=1,
    )
    for minute, (kind, field) in enumerate(OLD_ROWS):
        _insert(
            "evaluation_changes",
            evaluation_id=evaluation,
            actor_id=reviewer,
            at=START + timedelta(minutes=minute),
            kind=kind,
            field=field,
            old_value="",
            new_value="",
            reason=f"reason {minute}",
        )
    return criteria


def test_old_history_words_become_a_field_kind_and_a_criterion(backend, empty_database_url):
    script = ScriptDirectory.from_config(_alembic_config())
    before = script.get_revision(HISTORY_AS_DATA).down_revision
    app = create_app(make_config(empty_database_url(backend)))
    with app.app_context():
        upgrade(directory=MIGRATIONS, revision=before)
        ids = _seed_history()
        db.session.commit()

        upgrade(directory=MIGRATIONS, revision=HISTORY_AS_DATA)
        rows = db.session.execute(
            sa.text(
                "SELECT kind, field_kind, criterion_id, legacy_field, reason"
                " FROM evaluation_changes ORDER BY at, id"
            )
        ).all()
        db.session.rollback()
        greeting, hold, empathy = ids["Greeting"], ids["Hold, then transfer"], ids["Empathy"]
        assert [tuple(row) for row in rows] == [
            ("submitted", None, None, None, "reason 0"),
            ("edited", "criterion_score", greeting, None, "reason 1"),
            ("edited", "comment", empathy, None, "reason 2"),
            ("edited", "strengths", None, None, "reason 3"),
            ("edited", "improvements", None, None, "reason 4"),
            ("edited", "score", None, None, "reason 5"),
            ("disputed", "criterion", hold, None, "reason 6"),
            ("disputed", "criterion", greeting, None, "reason 6"),
            ("disputed", "evaluation", None, None, "reason 7"),
            ("adjusted", "other", None, 'Score for "Renamed since"', "reason 8"),
            ("upheld", "score", None, None, "reason 9"),
        ]

        downgrade(directory=MIGRATIONS, revision=before)
        fields = db.session.scalars(
            sa.text("SELECT field FROM evaluation_changes ORDER BY at, id")
        ).all()
        db.session.rollback()
        split = ["Hold, then transfer", "Greeting"]  # the dispute stays one entry per criterion
        assert fields == [f for _, f in OLD_ROWS[:6]] + split + [f for _, f in OLD_ROWS[7:]]
        db.engine.dispose()
