"""Migrations: one head, an empty database upgrades to exactly the models, and back down."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from qa_app import create_app
from qa_app.extensions import db
from tests.conftest import make_config

MIGRATIONS = "migrations"


def test_migrations_have_a_single_head():
    script = ScriptDirectory.from_config(_alembic_config())
    assert len(script.get_heads()) == 1


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    return config


def _differences(app) -> list:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_upgrade_builds_an_empty_database_that_matches_the_models(backend, empty_database_url):
    app = create_app(make_config(empty_database_url(backend)))
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        assert _differences(app) == []
        tables = set(sa.inspect(db.engine).get_table_names())
        assert {t.name for t in db.metadata.sorted_tables} <= tables
        db.engine.dispose()


def test_upgraded_database_has_every_named_check_constraint(backend, empty_database_url):
    """Autogenerate does not compare CHECK constraints, so this does (batch mode must keep them)."""
    app = create_app(make_config(empty_database_url(backend)))
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        inspector = sa.inspect(db.engine)
        for table in db.metadata.sorted_tables:
            wanted = {c.name for c in table.constraints if isinstance(c, sa.CheckConstraint)}
            found = {c["name"] for c in inspector.get_check_constraints(table.name)}
            assert wanted <= found, (table.name, wanted - found)
        db.engine.dispose()


def test_downgrade_to_base_and_upgrade_again(backend, empty_database_url):
    app = create_app(make_config(empty_database_url(backend)))
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        downgrade(directory=MIGRATIONS, revision="base")
        assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade(directory=MIGRATIONS)
        assert _differences(app) == []
        db.engine.dispose()


def test_each_migration_upgrades_the_previous_schema_keeping_its_data(backend, empty_database_url):
    """Step through every revision on a database that already holds rows from the first one."""
    script = ScriptDirectory.from_config(_alembic_config())
    revisions = [rev.revision for rev in reversed(list(script.walk_revisions()))]
    app = create_app(make_config(empty_database_url(backend)))
    with app.app_context():
        upgrade(directory=MIGRATIONS, revision=revisions[0])
        db.session.execute(
            sa.text(
                "INSERT INTO users (email, display_name, role, password_hash, is_active,"
                " session_version, created_at, password_changed_at)"
                " VALUES ('kept@example.com', 'Kept', 'admin', 'x', true, 1,"
                " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
        db.session.commit()
        for revision in revisions[1:]:
            upgrade(directory=MIGRATIONS, revision=revision)
        assert db.session.scalar(sa.text("SELECT email FROM users")) == "kept@example.com"
        db.session.rollback()  # outside a request every transaction holds SQLite's write lock
        assert _differences(app) == []
        db.engine.dispose()
