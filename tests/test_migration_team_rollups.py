"""The migration that adds the team rollups fills them from the agents' rows of today's teams."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from qa_app import create_app
from qa_app.accounts.models import Role
from qa_app.accounts.services import create_user
from qa_app.extensions import db
from qa_app.results.families import INTERACTIONS, MONTH, STATS, TEAMS, WEEK
from qa_app.results.team_rollups import team_select
from qa_app.scorecards.schema import SHIPPED_DIR, load_shipped_template
from qa_app.scorecards.services import import_doc
from tests.conftest import PASSWORD, make_config
from tests.test_migrations import MIGRATIONS, _alembic_config

# The revisions these tests write at have no result_marks: their writes stamp nothing.
pytestmark = pytest.mark.usefixtures("old_schema")

TEAM_ROLLUPS = "818ae77a3707"
MAY, JUNE = date(2026, 5, 1), date(2026, 6, 1)
MONDAY = date(2026, 5, 4)


def _row(keys: dict, sums: tuple[str, ...], n: int) -> dict:
    """A row whose sums are n, 2n, 3n, ... in the order of `sums`."""
    return keys | {name: n * (place + 1) for place, name in enumerate(sums)}


def _insert(table: str, rows: list[dict]) -> None:
    columns = [sa.column(name) for name in rows[0]]
    db.session.execute(sa.insert(sa.table(table, *columns)), rows)


def _kept(family, grain) -> list[tuple]:
    table = TEAMS[family].model(grain).__table__
    columns = [table.c[name] for name in TEAMS[family].columns(grain)]
    return [tuple(row) for row in db.session.execute(sa.select(*columns).order_by(*columns))]


def test_upgrade_sums_each_teams_members_and_downgrade_drops_them(backend, empty_database_url):
    script = ScriptDirectory.from_config(_alembic_config())
    before = script.get_revision(TEAM_ROLLUPS).down_revision
    app = create_app(make_config(empty_database_url(backend)))
    with app.app_context():
        upgrade(directory=MIGRATIONS, revision=before)
        # the schema before has no team tables: teams and members written as rows
        first, second, alone = (
            create_user(f"{name}@example.com", name, Role.AGENT, PASSWORD).id
            for name in ("aron", "bea", "cili")
        )
        scorecard = import_doc(load_shipped_template(SHIPPED_DIR / "chat.yaml"), None)
        db.session.flush()
        now = datetime(2026, 6, 1, tzinfo=UTC)
        _insert("teams", [{"name": "North", "created_at": now}])
        team = db.session.scalar(sa.text("SELECT id FROM teams"))
        _insert("team_members", [{"team_id": team, "agent_id": a} for a in (first, second)])
        chat = {"channel": "chat", "scorecard_id": scorecard.scorecard_id}
        months = [(first, MAY, False, 1), (second, MAY, False, 10), (second, JUNE, True, 100)]
        months.append((alone, MAY, False, 1000))
        _insert(
            "agent_month_stats",
            [
                _row({"agent_id": a, "month_start": m, **chat, "targeted": t}, STATS.sums, n)
                for a, m, t, n in months
            ],
        )
        call = {"week_start": MONDAY, "channel": "call"}
        _insert(
            "agent_week_interaction_stats",
            [
                _row({"agent_id": agent, **call}, INTERACTIONS.sums, n)
                for agent, n in ((first, 1), (second, 10), (alone, 1000))
            ],
        )
        db.session.commit()

        upgrade(directory=MIGRATIONS, revision=TEAM_ROLLUPS)
        kept_months = _kept(STATS, MONTH)
        # (team, month, targeted, evaluations, passed): the members' rows, not the agent's in none
        assert [(row[0], row[1], bool(row[4]), row[5], row[8]) for row in kept_months] == [
            (team, MAY, False, 11, 44),
            (team, JUNE, True, 100, 400),
        ]
        weeks = _kept(INTERACTIONS, WEEK)
        assert [(row[0], row[1], row[2], row[3]) for row in weeks] == [(team, MONDAY, "call", 11)]
        # what `flask results rebuild` and the session hook sum, exactly
        for family, grain, kept in ((STATS, MONTH, kept_months), (INTERACTIONS, WEEK, weeks)):
            rebuilt = sorted(tuple(row) for row in db.session.execute(team_select(family, grain)))
            assert kept == rebuilt
        db.session.rollback()

        downgrade(directory=MIGRATIONS, revision=before)
        names = sa.inspect(db.engine).get_table_names()
        assert not [name for name in names if name.startswith("team_") and name.endswith("stats")]
        assert db.session.scalar(sa.text("SELECT COUNT(*) FROM agent_month_stats")) == 4
        db.session.rollback()
        db.engine.dispose()
