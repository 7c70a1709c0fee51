"""flask backup / restore: a backup taken while the app writes restores to a consistent database."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from qa_app import create_app
from qa_app.extensions import db
from tests.conftest import make_config

PROBE_TABLES = """
CREATE TABLE probe_order (id INTEGER PRIMARY KEY, lines INTEGER NOT NULL);
CREATE TABLE probe_line (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES probe_order (id),
    amount INTEGER NOT NULL
)
"""
LINES_PER_ORDER = 3


@pytest.fixture
def make_app():
    """Apps on databases of their own; their connections are closed at the end of the test."""
    made = []

    def make(url, *, schema=True):
        # The backup command records an audit event while the writer below keeps the write lock
        # busy: on a loaded machine two seconds of waiting (the tests' default) can run out.
        app = create_app(make_config(url, SQLITE_BUSY_TIMEOUT_MS=15000))
        made.append(app)
        if schema:
            add_schema(app)
        return app

    yield make
    for app in made:
        with app.app_context():
            db.engine.dispose()


def add_schema(app):
    with app.app_context():
        db.create_all()
        for statement in PROBE_TABLES.split(";"):
            db.session.execute(sa.text(statement))
        db.session.commit()


class Writer(threading.Thread):
    """Commits orders 1, 2, 3, ... each with its lines, one transaction per order."""

    def __init__(self, url):
        super().__init__(daemon=True)
        self.engine = sa.create_engine(url)
        self.stop = threading.Event()
        self.committed = 0
        self.error: BaseException | None = None

    def run(self):
        try:
            while not self.stop.is_set():
                self.write(self.committed + 1)
                self.committed += 1
        except BaseException as error:  # reported by the test
            self.error = error
        finally:
            self.engine.dispose()

    def write(self, n):
        with self.engine.begin() as conn:
            conn.execute(
                sa.text("INSERT INTO probe_order (id, lines) VALUES (:n, :k)"),
                {"n": n, "k": LINES_PER_ORDER},
            )
            for i in range(LINES_PER_ORDER):
                conn.execute(
                    sa.text("INSERT INTO probe_line (id, order_id, amount) VALUES (:id, :n, 1)"),
                    {"id": n * LINES_PER_ORDER + i, "n": n},
                )

    def wait_for(self, count):
        while self.committed < count and self.error is None:
            self.stop.wait(0.01)


def check_consistent(app):
    """Integrity, foreign keys, and whole orders 1..k: a prefix of what was committed."""
    with app.app_context():
        conn = db.session.connection()
        if conn.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalars().all() == ["ok"]
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        orphans = "SELECT count(*) FROM probe_line l LEFT JOIN probe_order o ON o.id = l.order_id"
        assert conn.exec_driver_sql(orphans + " WHERE o.id IS NULL").scalar() == 0
        orders, top = conn.exec_driver_sql("SELECT count(*), max(id) FROM probe_order").one()
        lines = conn.exec_driver_sql("SELECT count(*) FROM probe_line").scalar()
        db.session.rollback()
    assert orders == top and lines == orders * LINES_PER_ORDER
    return orders


def test_backup_while_writing_restores_a_consistent_committed_prefix(
    backend, empty_database_url, make_app, tmp_path
):
    source_url = empty_database_url(backend)
    source = make_app(source_url)
    writer = Writer(source_url)
    writer.start()
    try:
        writer.wait_for(30)
        before = writer.committed
        result = source.test_cli_runner().invoke(args=["backup", str(tmp_path / "qa.backup")])
        after = writer.committed
        writer.wait_for(after + 10)  # the app kept writing after the backup
    finally:
        writer.stop.set()
        writer.join()
    assert writer.error is None, writer.error
    assert result.exit_code == 0, result.output
    assert list(tmp_path.iterdir()) == [tmp_path / "qa.backup"]  # no temporary file left

    target = make_app(empty_database_url(backend), schema=False)
    restored = target.test_cli_runner().invoke(
        args=["restore", str(tmp_path / "qa.backup"), "--yes"]
    )
    assert restored.exit_code == 0, restored.output
    assert before <= check_consistent(target) <= after + 1


def test_restore_replaces_the_current_data_only_after_confirmation(
    backend, empty_database_url, make_app, tmp_path
):
    app = make_app(empty_database_url(backend))
    writer = Writer(str(app.config["SQLALCHEMY_DATABASE_URI"]))
    writer.write(1)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["backup", str(tmp_path / "one.backup")]).exit_code == 0
    writer.write(2)
    writer.engine.dispose()  # the app is stopped during a restore

    declined = runner.invoke(args=["restore", str(tmp_path / "one.backup")], input="n\n")
    assert declined.exit_code != 0 and check_consistent(app) == 2
    accepted = runner.invoke(args=["restore", str(tmp_path / "one.backup")], input="y\n")
    assert accepted.exit_code == 0, accepted.output
    assert check_consistent(app) == 1
    writer.write(2)  # the restored database takes writes again
    writer.engine.dispose()
    assert check_consistent(app) == 2


def test_in_memory_database_is_refused(make_app, tmp_path):
    app = make_app("sqlite://", schema=False)
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "x.backup")])
    assert result.exit_code != 0 and "in-memory" in result.output


def test_pg_dump_gets_the_password_through_the_environment_not_argv(monkeypatch, tmp_path):
    from qa_app.backups import services

    calls = []

    def fake_run(command, env, **kwargs):
        calls.append((command, env))
        return services.subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(services, "_pg_tool", lambda name: f"/bin/{name}")
    monkeypatch.setattr(services.subprocess, "run", fake_run)
    url = sa.make_url("postgresql+psycopg://qa:s3cret-pw@db.internal:5433/qa")
    services._run_pg("pg_dump", url, ["--format=custom"])
    ((command, env),) = calls
    assert env["PGPASSWORD"] == "s3cret-pw"
    assert not any("s3cret-pw" in part for part in command)
    assert "--host=db.internal" in command and "--port=5433" in command
