"""Fixtures: an app per test on SQLite and PostgreSQL, clients that send CSRF tokens, factories."""

from __future__ import annotations

import functools
import os
import re
import signal
import sqlite3
import subprocess
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.pool import NullPool

from config import TestingConfig
from qa_app import create_app
from qa_app.accounts import services
from qa_app.accounts.models import Role, Team, User
from qa_app.extensions import db
from qa_app.interactions.models import Channel, Interaction
from qa_app.results import marks
from qa_app.ui.labels import label
from tests import per_process

PASSWORD = "Correct-Horse-Battery-42"
BACKENDS = ["sqlite", "postgresql"]
PG_ENV = "QA_TEST_POSTGRES_URL"
_TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')

per_process.install()  # an app per test: what all of them would build alike, built once


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_service(variable: str, what: str) -> str:
    """A test service's URL from the environment; a missing one fails in CI and skips elsewhere."""
    url = os.environ.get(variable, "").strip()
    if not url:
        reason = f"{what} tests need {variable} (a server URL; .ci/run sets it up)"
        if in_ci():
            pytest.fail(f"CI must run the {what} tests: {reason}", pytrace=False)
        pytest.skip(reason)
    return url


def require_postgres() -> str:
    """The PostgreSQL server URL; a missing server fails in CI and skips elsewhere."""
    return require_service(PG_ENV, "PostgreSQL")


def stop_process(process: subprocess.Popen[bytes], seconds: float = 20) -> None:
    """End a child process the way Ctrl-C would, killing it if it does not stop in time."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def create_postgres_database(server_url: str, name: str) -> str:
    """Create an empty database on the server and return its URL."""
    engine = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine.dispose()
    return sa.make_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(server_url: str, name: str) -> None:
    engine = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    engine.dispose()


@pytest.fixture(scope="session")
def empty_database_url(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], str]:
    """A factory of fresh, empty databases for a backend."""
    created: list[tuple[str, str]] = []

    def make(backend: str) -> str:
        if backend == "sqlite":
            path = tmp_path_factory.mktemp("db") / f"{uuid.uuid4().hex}.db"
            return f"sqlite:///{path}"
        server = require_postgres()
        name = f"qa_test_{uuid.uuid4().hex[:12]}"
        created.append((server, name))
        return create_postgres_database(server, name)

    yield make
    for server, name in created:
        drop_postgres_database(server, name)


def make_config(url: str, **overrides: Any) -> type[TestingConfig]:
    return type("Config", (TestingConfig,), {"SQLALCHEMY_DATABASE_URI": url, **overrides})


@pytest.fixture(scope="session")
def schema_urls(empty_database_url: Callable[[str], str]) -> dict[str, str]:
    """One database per backend, with the schema built once for the session."""
    return {}


def _schema_url(backend: str, cache: dict[str, str], factory: Callable[[str], str]) -> str:
    if backend not in cache:
        url = factory(backend)
        app = create_app(make_config(url))
        with app.app_context():
            db.create_all()
            db.engine.dispose()
        cache[backend] = url
        per_process.share_engine_of(url)
    return cache[backend]


# Tables whose rows the database refuses to delete (docs/audit.md); TRUNCATE still empties them.
APPEND_ONLY = {"audit_events"}


def _wipe(app: Flask) -> None:
    with app.app_context():
        tables = db.metadata.sorted_tables
        if db.engine.dialect.name == "postgresql":
            _wipe_postgres(tables)
        else:
            for table in reversed(used_tables(tables)):
                if table.name in APPEND_ONLY:  # triggers refuse DELETE; DROP takes them along
                    table.drop(db.session.connection())
                    table.create(db.session.connection())
                else:
                    db.session.execute(table.delete())
        db.session.commit()
        db.engine.dispose()


def used_tables(tables: list[sa.Table]) -> list[sa.Table]:
    """The tables that hold a row, in the given order: one statement, built once."""
    found = set(db.session.scalars(_probe(tuple(tables))))
    return [table for i, table in enumerate(tables) if i in found]


@functools.cache
def _probe(tables: tuple[sa.Table, ...]) -> sa.CompoundSelect:
    return sa.union_all(
        *(
            sa.select(sa.literal(i)).where(sa.select(sa.literal(1)).select_from(table).exists())
            for i, table in enumerate(tables)
        )
    )


def _wipe_postgres(tables: list[sa.Table]) -> None:
    """Empty the tables a test wrote to and restart the sequences it used.

    A TRUNCATE of every table took about 95 ms per test (PostgreSQL replaces each table's files);
    most tests touch a few tables, which DELETE empties in well under that. The sequences restart
    as TRUNCATE ... RESTART IDENTITY would, so ids start at 1 in every test.
    """
    used = set(used_tables(tables))
    for table in reversed(tables):
        if table not in used:
            continue
        if table.name in APPEND_ONLY:  # its trigger refuses DELETE; TRUNCATE still empties it
            db.session.execute(sa.text(f'TRUNCATE "{table.name}"'))
        else:
            db.session.execute(table.delete())
    sequences = db.session.scalars(
        sa.text(
            "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename) FROM pg_sequences"
            " WHERE last_value IS NOT NULL AND schemaname = current_schema()"
        )
    ).all()
    for sequence in sequences:
        db.session.execute(sa.text("SELECT setval(:s, 1, false)"), {"s": sequence})


@pytest.fixture
def old_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    """For a test that writes to a database upgraded to a revision before the change marks: its
    writes stamp nothing (that schema has no result_marks; qa_app/results/marks.py)."""
    monkeypatch.setattr(marks, "stamp", lambda *_args, **_kwargs: None)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def config_overrides() -> dict[str, Any]:
    """Tests override settings by redefining this fixture or updating the dict."""
    return {}


@pytest.fixture
def app(
    backend: str,
    schema_urls: dict[str, str],
    empty_database_url: Callable[[str], str],
    config_overrides: dict[str, Any],
) -> Iterator[Flask]:
    url = _schema_url(backend, schema_urls, empty_database_url)
    application = create_app(make_config(url, **config_overrides))
    application.test_client_class = AppClient
    try:
        yield application
    finally:
        _wipe(application)


class AppClient(FlaskClient):
    """A test client that fills in the CSRF token as a browser would."""

    def token(self, path: str = "/login") -> str:
        response = self.get(path)
        match = _TOKEN.search(response.get_data(as_text=True))
        if match is None:
            response = self.get("/")
            match = _TOKEN.search(response.get_data(as_text=True))
        assert match is not None, f"no CSRF token on {path}"
        return match.group(1)

    def submit(self, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        """POST a form with a valid CSRF token."""
        fields = {"csrf_token": self.token(kwargs.pop("token_from", "/login")), **(data or {})}
        return self.post(path, data=fields, **kwargs)

    def sign_in(self, email: str, password: str = PASSWORD) -> Any:
        return self.submit("/login", {"email": email, "password": password})


@contextmanager
def held(app: Flask, lock: str) -> Iterator[None]:
    """Another connection holds `lock` (SQL for PostgreSQL; SQLite takes its write lock, and
    `lock` is not used) until the block ends."""
    url = sa.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        blocker = sqlite3.connect(url.database, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        return
    engine = sa.create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection, connection.begin() as transaction:
            connection.exec_driver_sql(lock)
            yield
            transaction.rollback()
    finally:
        engine.dispose()


def choose_language(app: Flask, user_id: int, language: str | None = "hu") -> None:
    """Save a user's language preference, as the Preferences page does."""
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        services.set_language(user, language)
        db.session.commit()


@pytest.fixture
def client(app: Flask) -> AppClient:
    return app.test_client()  # type: ignore[return-value]


@pytest.fixture
def runner(app: Flask) -> Any:
    return app.test_cli_runner()


@pytest.fixture
def made() -> dict[str, int]:
    """How many users and interactions the factories below made in this test (their numbers
    go on from here; tests/snapshots.py moves them on when it copies a fixture's rows back)."""
    return {"user": 0, "interaction": 0}


@pytest.fixture
def make_user(app: Flask, made: dict[str, int]) -> Callable[..., User]:
    """Create a user: make_user(Role.AGENT, team=team)."""

    def make(
        role: Role = Role.AGENT,
        *,
        email: str | None = None,
        name: str | None = None,
        password: str = PASSWORD,
        team: Team | None = None,
        is_active: bool = True,
    ) -> User:
        made["user"] += 1
        n = made["user"]
        with app.app_context():
            user = services.create_user(
                email or f"{role.value}{n}@example.com",
                name or f"{label(role)} {n}",
                role,
                password,
            )
            user.is_active = is_active
            if team is not None:
                team_row = db.session.get(Team, team.id)
                assert team_row is not None
                team_row.agents.append(user)
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
        return user

    return make


@pytest.fixture
def make_team(app: Flask) -> Callable[..., Team]:
    def make(name: str, lead: User | None = None) -> Team:
        with app.app_context():
            lead_row = db.session.get(User, lead.id) if lead else None
            team = services.save_team(None, name=name, lead=lead_row, agents=[])
            db.session.commit()
            db.session.refresh(team)
            db.session.expunge(team)
        return team

    return make


@pytest.fixture
def make_interaction(app: Flask, made: dict[str, int]) -> Callable[..., Interaction]:
    """Create an interaction handled by an agent: make_interaction(agent, channel=Channel.CALL)."""

    def make(agent: User, **fields: Any) -> Interaction:
        made["interaction"] += 1
        n = made["interaction"]
        values: dict[str, Any] = {
            "external_id": f"EXT-{n}",
            "channel": Channel.CHAT,
            "occurred_at": datetime(2026, 3, 2, 9, 0, tzinfo=UTC) + timedelta(minutes=n),
            **fields,
        }
        with app.app_context():
            interaction = Interaction(agent_id=agent.id, **values)
            db.session.add(interaction)
            db.session.commit()
            db.session.refresh(interaction)
            db.session.expunge(interaction)
        return interaction

    return make


@pytest.fixture
def login_as(app: Flask, make_user: Callable[..., User]) -> Callable[..., AppClient]:
    """A new client signed in as a new user of the role (or as a given user)."""

    def login(role: Role | str = Role.AGENT, user: User | None = None, **kwargs: Any) -> AppClient:
        if user is None:
            user = make_user(Role(role), **kwargs)
        client: AppClient = app.test_client()  # type: ignore[assignment]
        response = client.sign_in(user.email)
        assert response.status_code == 302, response.get_data(as_text=True)
        client.user = user  # type: ignore[attr-defined]
        return client

    return login


@pytest.fixture
def count_queries(app: Flask) -> Callable[[FlaskClient, str], list[str]]:
    """The SQL statements one GET of a page runs: count_queries(client, "/admin/teams").

    The page is fetched once first, so work done only on a client's first visit is not counted.
    """

    def count(client: FlaskClient, path: str) -> list[str]:
        client.get(path)
        with app.app_context():
            engine = db.engine
        with sent_statements(engine) as statements:
            response = client.get(path)
        assert response.status_code == 200, f"{path} answered {response.status_code}"
        return statements

    return count


@contextmanager
def sent_statements(engine: sa.Engine) -> Iterator[list[str]]:
    """The SQL of every statement the engine sends inside the block, in the order sent."""
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


@pytest.fixture
def lose_connection(app: Flask) -> Iterator[Callable[[], None]]:
    """``lose_connection()``: the next statement sent finds its connection ended by the server,
    as a restart of the server or a dropped network connection in the middle of a request does."""
    with app.app_context():
        engine = db.engine
    killer = sa.create_engine(engine.url, poolclass=NullPool)
    armed: list[bool] = []

    def end_own_connection(_connection: Any, cursor: Any, *_args: Any) -> None:
        if armed:
            armed.clear()
            with killer.connect() as connection:
                ended = sa.text("SELECT pg_terminate_backend(:pid)")
                assert connection.scalar(ended, {"pid": cursor.connection.info.backend_pid})

    sa.event.listen(engine, "before_cursor_execute", end_own_connection)
    yield lambda: armed.append(True)
    sa.event.remove(engine, "before_cursor_execute", end_own_connection)
    killer.dispose()


# The longest test files, started first: `make test` hands whole files to its processes in the
# order collected (with --no-loadscope-reorder: by default pytest-xdist hands out the files with
# the most tests first, which put these few-test files last), and one of these started last kept
# a single process busy for minutes after the other had finished (the hostile sweep alone takes
# about three minutes).
LONGEST_FIRST = (
    "tests/test_hostile_inputs.py",
    "tests/browser/",
    "tests/cluster/",
    "tests/test_cli.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        found = (n for n, start in enumerate(LONGEST_FIRST) if item.nodeid.startswith(start))
        return next(found, len(LONGEST_FIRST))

    items.sort(key=rank)
