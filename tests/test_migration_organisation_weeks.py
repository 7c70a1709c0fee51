"""The migrations that add the organisation's week and day tables fill them from the agents'
week and daily rows."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from qa_app import create_app
from qa_app.accounts.models import Role
from qa_app.accounts.services import create_user
from qa_app.extensions import db
from qa_app.results.families import STATS
from qa_app.results.models import OrganisationDayStats, OrganisationWeekStats
from qa_app.results.rollups import (
    organisation_columns,
    organisation_day_columns,
    organisation_day_select,
    organisation_week_select,
)
from qa_app.scorecards.schema import SHIPPED_DIR, load_shipped_template
from qa_app.scorecards.services import import_doc
from tests.conftest import PASSWORD, make_config
from tests.test_migrations import MIGRATIONS, _alembic_config

# The revisions these tests write at have no result_marks: their writes stamp nothing.
pytestmark = pytest.mark.usefixtures("old_schema")

ORGANISATION_WEEKS = "c7e3a9d1f462"
ORGANISATION_DAYS = "4b362652b93c"
SUMS = STATS.sums
MONDAY, NEXT_MONDAY = date(2026, 3, 2), date(2026, 3, 9)


def _week_row(agent_id: int, week: date, scorecard_id: int, targeted: bool, n: int) -> dict:
    """An agent's week row whose sums are n, 2n, 3n, ... in the order of SUMS."""
    row = {"agent_id": agent_id, "week_start": week, "channel": "call"}
    row.update(scorecard_id=scorecard_id, targeted=targeted)
    return row | {name: n * (place + 1) for place, name in enumerate(SUMS)}


def _organisation_rows() -> list[tuple]:
    table = OrganisationWeekStats.__table__
    columns = [table.c[name] for name in organisation_columns(STATS)]
    return [tuple(row) for row in db.session.execute(sa.select(*columns).order_by(*columns))]


def test_upgrade_sums_every_agents_weeks_and_downgrade_drops_them(backend, empty_database_url):
    script = ScriptDirectory.from_config(_alembic_config())
    before = script.get_revision(ORGANISATION_WEEKS).down_revision
    app = create_app(make_config(empty_database_url(backend)))
    with app.app_context():
        upgrade(directory=MIGRATIONS, revision=before)
        # the schema before is the models' but for the new table: made through the services
        first, second = (
            create_user(f"{name}@example.com", name, Role.AGENT, PASSWORD).id
            for name in ("aron", "bea")
        )
        chat = import_doc(load_shipped_template(SHIPPED_DIR / "chat.yaml"), None)
        db.session.flush()
        scorecard = chat.scorecard_id
        rows = [
            _week_row(first, MONDAY, scorecard, False, 1),
            _week_row(second, MONDAY, scorecard, False, 10),
            _week_row(second, MONDAY, scorecard, True, 100),
            _week_row(first, NEXT_MONDAY, scorecard, False, 1000),
        ]
        columns = [sa.column(name) for name in rows[0]]
        db.session.execute(sa.insert(sa.table("agent_week_stats", *columns)), rows)
        db.session.commit()

        upgrade(directory=MIGRATIONS, revision=ORGANISATION_WEEKS)
        filled = _organisation_rows()
        # (week, targeted, evaluations, passed): both agents' untargeted rows of a week summed
        assert [(row[0], bool(row[3]), row[4], row[7]) for row in filled] == [
            (MONDAY, False, 11, 44),
            (MONDAY, True, 100, 400),
            (NEXT_MONDAY, False, 1000, 4000),
        ]
        # what `flask results rebuild` and the session hook sum from the week rows, exactly
        rebuilt = sorted(tuple(row) for row in db.session.execute(organisation_week_select(STATS)))
        assert [tuple(row) for row in filled] == rebuilt
        db.session.rollback()

        downgrade(directory=MIGRATIONS, revision=before)
        assert "organisation_week_stats" not in sa.inspect(db.engine).get_table_names()
        assert db.session.scalar(sa.text("SELECT COUNT(*) FROM agent_week_stats")) == 4
        db.session.rollback()
        db.engine.dispose()


def test_upgrade_sums_every_agents_days_and_downgrade_drops_them(backend, empty_database_url):
    script = ScriptDirectory.from_config(_alembic_config())
    before = script.get_revision(ORGANISATION_DAYS).down_revision
    app = create_app(make_config(empty_database_url(backend)))
    with app.app_context():
        upgrade(directory=MIGRATIONS, revision=before)
        first, second = (
            create_user(f"{name}@example.com", name, Role.AGENT, PASSWORD).id
            for name in ("aron", "bea")
        )
        chat = import_doc(load_shipped_template(SHIPPED_DIR / "chat.yaml"), None)
        db.session.flush()
        tuesday = MONDAY.replace(day=MONDAY.day + 1)
        rows = [
            _week_row(agent, MONDAY, chat.scorecard_id, False, n) | {"day": day}
            for agent, day, n in ((first, MONDAY, 1), (second, MONDAY, 10), (first, tuesday, 100))
        ]
        columns = [sa.column(name) for name in rows[0]]
        db.session.execute(sa.insert(sa.table("agent_day_stats", *columns)), rows)
        db.session.commit()

        upgrade(directory=MIGRATIONS, revision=ORGANISATION_DAYS)
        table = OrganisationDayStats.__table__
        names = [table.c[name] for name in organisation_day_columns(STATS)]
        filled = [tuple(row) for row in db.session.execute(sa.select(*names).order_by(*names))]
        # (day, week, evaluations): both agents' rows of a day summed
        assert [(row[0], row[1], row[5]) for row in filled] == [
            (MONDAY, MONDAY, 11),
            (tuesday, MONDAY, 100),
        ]
        rebuilt = sorted(tuple(row) for row in db.session.execute(organisation_day_select(STATS)))
        assert filled == rebuilt
        db.session.rollback()

        downgrade(directory=MIGRATIONS, revision=before)
        assert "organisation_day_stats" not in sa.inspect(db.engine).get_table_names()
        db.session.rollback()
        db.engine.dispose()
