"""The database layer: all-or-nothing writes, real savepoints, SQLite settings, busy database."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.exc import IntegrityError

from qa_app.accounts import services
from qa_app.accounts.models import LoginAttempt, Role, Team, User
from qa_app.bulk import DriverInsert, among, analyze
from qa_app.database import UTCDateTime, is_transient, planned_for_their_values, take_turns, utcnow
from qa_app.extensions import db
from qa_app.interactions.models import InteractionSignal, SignalKind
from tests.conftest import PASSWORD, sent_statements


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_multi_row_write_that_fails_leaves_nothing_behind(app):
    with app.app_context():
        services.create_user("first@example.com", "First", Role.AGENT, PASSWORD)
        services.create_user("second@example.com", "Second", Role.AGENT, PASSWORD)
        db.session.add(Team(name="Half-written"))
        db.session.flush()
        db.session.add(
            User(
                email="first@example.com", display_name="Clash", role=Role.AGENT, password_hash="x"
            )
        )
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
        assert _count(User) == 0
        assert _count(Team) == 0


def test_a_savepoint_really_rolls_back(app):
    with app.app_context():
        services.create_user("kept@example.com", "Kept", Role.AGENT, PASSWORD)
        savepoint = db.session.begin_nested()
        services.create_user("dropped@example.com", "Dropped", Role.AGENT, PASSWORD)
        savepoint.rollback()
        db.session.commit()
        emails = db.session.scalars(sa.select(User.email)).all()
        assert emails == ["kept@example.com"]


def test_timestamps_come_back_timezone_aware_utc(app):
    with app.app_context():
        when = datetime(2026, 3, 29, 1, 30, tzinfo=timezone(timedelta(hours=2)))
        db.session.add(LoginAttempt(email="x@example.com", address="1.2.3.4", attempted_at=when))
        db.session.commit()
        db.session.expire_all()
        stored = db.session.scalar(sa.select(LoginAttempt.attempted_at))
        assert stored.tzinfo is not None
        assert stored == when and stored.utcoffset() == timedelta(0)


def test_naive_timestamps_are_refused(app):
    with app.app_context():
        db.session.add(
            LoginAttempt(email="x@example.com", address="a", attempted_at=datetime(2026, 1, 1))
        )
        with pytest.raises(sa.exc.StatementError, match="naive"):
            db.session.flush()
        db.session.rollback()


@pytest.mark.parametrize(
    "when",
    [
        datetime(2026, 1, 5, 8, 0, tzinfo=UTC),
        datetime(2026, 3, 1, 0, 30, 0, 123, tzinfo=timezone(timedelta(hours=1))),
        datetime(1970, 1, 1, tzinfo=timezone(timedelta(hours=-14))),
        datetime(2999, 12, 31, 23, 59, 59, 999999, tzinfo=timezone(timedelta(hours=14))),
    ],
)
def test_sqlite_gets_the_text_sqlalchemys_datetime_stores_for_the_utc_time(when):
    dialect = sqlite_dialect.dialect()
    one_step = UTCDateTime().dialect_impl(dialect).bind_processor(dialect)
    two_steps = sa.DateTime().dialect_impl(dialect).bind_processor(dialect)
    assert one_step(when) == two_steps(UTCDateTime().process_bind_param(when, dialect))
    assert one_step(None) is None


def test_sqlite_refuses_naive_timestamps_in_one_step_too():
    dialect = sqlite_dialect.dialect()
    with pytest.raises(ValueError, match="naive"):
        UTCDateTime().dialect_impl(dialect).bind_processor(dialect)(datetime(2026, 1, 1))


STATISTICS = {
    "sqlite": "SELECT count(*) FROM sqlite_stat1 WHERE tbl = :table",
    "postgresql": "SELECT count(*) FROM pg_statistic WHERE starelid = CAST(:table AS regclass)",
}


def test_analyze_gathers_the_planners_statistics_in_the_transaction(app):
    with app.app_context():
        attempts = [
            {"email": f"u{n}@example.com", "address": "a", "attempted_at": utcnow()}
            for n in range(20)
        ]
        db.session.execute(sa.insert(LoginAttempt), attempts)
        analyze([LoginAttempt.__table__, "users"])
        found = sa.text(STATISTICS[db.engine.dialect.name])
        assert db.session.scalar(found, {"table": "login_attempts"}) > 0
        db.session.rollback()


SQLITE_ONLY = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


@pytest.mark.parametrize("size", [1, 3, 500])
def test_among_picks_what_in_picks_in_one_short_statement(app, make_user, size):
    """IN on SQLite; on PostgreSQL one array value: the same text whatever the list's length."""
    users = [make_user(Role.AGENT) for _ in range(4)]
    wanted = [users[0].id, users[2].id, *range(10**6, 10**6 + size - 2)][:size]
    with app.app_context():
        stmt = sa.select(User.id).where(among(User.id, wanted))
        with sent_statements(db.engine) as sent:
            found = sorted(db.session.scalars(stmt))
        db.session.rollback()
        postgres = db.engine.dialect.name == "postgresql"
    assert found == sorted(u.id for u in users if u.id in wanted)
    if postgres:
        assert "= ANY" in sent[-1] and len(sent[-1]) < 400
    else:
        assert " IN " in sent[-1]


SIGNAL_KEYS = ("interaction_id", "kind", "figure", "detail", "computed_at")


def _signal_rows(insert: DriverInsert, interaction_id: int, when: datetime) -> list[tuple]:
    detail = {"phrase": "tab\there, a \\ and a new\nline", "turn": 3, "spans": [[0, 4]]}
    return [
        insert.row((interaction_id, SignalKind.ESCALATION, 0.5, detail, when)),
        insert.row((interaction_id, SignalKind.LOW_CSAT, None, None, when)),
    ]


def test_a_driver_insert_stores_what_the_orm_reads_back(app, make_user, make_interaction):
    """Tuples through the driver (COPY on PostgreSQL): every type as the ORM would store it,
    text with tabs, backslashes and new lines whole, a missing JSON value as SQL NULL."""
    interaction = make_interaction(make_user(Role.AGENT))
    when = datetime(2026, 3, 2, 9, 30, 15, 250000, tzinfo=UTC)
    with app.app_context():
        connection = db.session.connection()
        insert = DriverInsert(connection, InteractionSignal.__table__, SIGNAL_KEYS)
        assert insert.send(_signal_rows(insert, interaction.id, when)) == 2
        db.session.commit()
        stored = {s.kind: s for s in db.session.scalars(sa.select(InteractionSignal))}
        null_details = db.session.scalar(
            sa.select(sa.func.count()).where(InteractionSignal.detail.is_(sa.null()))
        )
    escalation, low_csat = stored[SignalKind.ESCALATION], stored[SignalKind.LOW_CSAT]
    assert escalation.interaction_id == interaction.id
    assert escalation.figure == 0.5 and low_csat.figure is None
    assert escalation.detail == {
        "phrase": "tab\there, a \\ and a new\nline",
        "turn": 3,
        "spans": [[0, 4]],
    }
    assert low_csat.detail is None and null_details == 1
    assert escalation.computed_at == when and low_csat.computed_at == when


def test_a_driver_insert_that_breaks_a_rule_raises_sqlalchemys_error(
    app, make_user, make_interaction
):
    """A row the database refuses: the error the app's handlers know (COPY's too), no row."""
    interaction = make_interaction(make_user(Role.AGENT))
    when = utcnow()
    with app.app_context():
        insert = DriverInsert(db.session.connection(), InteractionSignal.__table__, SIGNAL_KEYS)
        rows = _signal_rows(insert, interaction.id, when)
        with pytest.raises(IntegrityError):
            insert.send([*rows, rows[0]])  # the same kind twice for one interaction
        db.session.rollback()
        assert _count(InteractionSignal) == 0


def test_statements_in_the_block_are_planned_for_their_values(app):
    with app.app_context():
        connection = db.session.connection()
        postgres = connection.dialect.name == "postgresql"
        show = "SHOW plan_cache_mode" if postgres else "SELECT 'none'"
        with sent_statements(db.engine) as sent:
            with planned_for_their_values(connection):
                inside = connection.exec_driver_sql(show).scalar_one()
            after = connection.exec_driver_sql(show).scalar_one()
        db.session.rollback()
    if postgres:
        assert (inside, after) == ("force_custom_plan", "auto")
    else:  # SQLite plans every statement for its values: nothing else is sent
        assert sent == [show, show]


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_bulk_writer_takes_one_lock_for_its_kind_and_holds_off_that_kind_only(app):
    with app.app_context(), db.engine.connect() as bulk, db.engine.connect() as other:
        take_turns(bulk, *(f"bulk:{n}" for n in range(20_000)))  # one lock each: out of memory
        other.exec_driver_sql("SET LOCAL lock_timeout = '50ms'")
        take_turns(other, "sign-in:someone", "bulk-other:7")
        with pytest.raises(sa.exc.OperationalError, match="lock timeout"):
            take_turns(other, "bulk:20001")


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_bulk_writer_may_hold_a_kind_without_naming_anything_of_it(app):
    with app.app_context(), db.engine.connect() as bulk, db.engine.connect() as other:
        take_turns(bulk, kinds=["bulk"])
        other.exec_driver_sql("SET LOCAL lock_timeout = '50ms'")
        take_turns(other, "bulk-other:7")
        with pytest.raises(sa.exc.OperationalError, match="lock timeout"):
            take_turns(other, "bulk:1")


@SQLITE_ONLY
def test_sqlite_runs_with_wal_foreign_keys_and_busy_timeout(app):
    with app.app_context():
        conn = db.session.connection()
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert (
            conn.exec_driver_sql("PRAGMA busy_timeout").scalar()
            == app.config["SQLITE_BUSY_TIMEOUT_MS"]
        )


def test_foreign_keys_are_enforced(app):
    with app.app_context():
        db.session.add(Team(name="Ghost lead", lead_id=987654))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


class TestBusyDatabase:
    @pytest.fixture
    def config_overrides(self):
        return {"SQLITE_BUSY_TIMEOUT_MS": 50}

    @SQLITE_ONLY
    def test_a_locked_database_gives_try_again_and_the_app_keeps_serving(self, app, login_as):
        client = login_as(Role.AGENT)
        path = sa.make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database
        blocker = sqlite3.connect(path, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        try:
            response = client.submit("/logout", token_from="/")
            assert response.status_code == 503
            assert response.headers["Retry-After"] == "5"
            assert "try again" in response.get_data(as_text=True)
            assert client.get("/").status_code == 200  # readers do not wait for the writer
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        assert client.get("/").status_code == 200  # still signed in: the logout did not happen


POSTGRES_ONLY = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)


def _prepared() -> list[str]:
    """The statements prepared on the connection the session holds now."""
    found = sa.text("SELECT statement FROM pg_prepared_statements")
    return list(db.session.scalars(found))


@POSTGRES_ONLY
def test_the_statements_of_pages_that_only_read_stay_prepared(app, login_as):
    """psycopg prepares a statement after five runs and forgets them all on a ROLLBACK: a page
    that only reads ends its transaction with COMMIT instead, so the server plans the menu's
    counts once, not on every page."""
    client = login_as(Role.ADMIN)
    for _ in range(7):
        assert client.get("/account/preferences").status_code == 200
    with app.app_context():
        assert any("count(*)" in statement for statement in _prepared())


@POSTGRES_ONLY
@pytest.mark.parametrize(
    "write",
    [
        lambda: db.session.add(Team(name="Rolled back")),
        lambda: db.session.execute(
            sa.text("insert into teams (name, created_at) values ('x', now())")
        ),
    ],
    ids=["flushed by the session", "a statement in lower case"],
)
def test_a_transaction_that_wrote_is_rolled_back_whatever_it_read(app, write):
    with app.app_context():
        for _ in range(6):  # the read is prepared, then a write joins the transaction
            db.session.scalar(sa.select(sa.func.count()).select_from(Team))
            db.session.rollback()
        write()
        db.session.flush()
        db.session.rollback()
        assert _count(Team) == 0
        assert _prepared() == []  # a real ROLLBACK: psycopg forgot what it had prepared


@POSTGRES_ONLY
def test_a_failed_read_is_rolled_back_and_the_session_goes_on(app):
    with app.app_context():
        with pytest.raises(sa.exc.DBAPIError):
            db.session.execute(sa.text("SELECT 1 / 0"))
        db.session.rollback()
        assert _count(Team) == 0


@POSTGRES_ONLY
def test_a_connection_lost_in_a_request_asks_the_reader_to_try_again(
    app, login_as, lose_connection
):
    """The error page rolls the session back: the listeners on a rollback must not touch the
    lost connection (that raised again, inside the error handler), and the server's "terminating
    connection" reads as "busy, try again", not as an error of ours. The next page works."""
    client = login_as(Role.ADMIN)
    assert client.get("/account/preferences").status_code == 200
    lose_connection()
    page = client.get("/account/preferences")
    assert page.status_code == 503
    assert page.headers["Retry-After"] == "5"
    again = client.get("/account/preferences")
    assert again.status_code == 200
    assert b"Preferences" in again.data


@POSTGRES_ONLY
def test_a_session_whose_connection_was_lost_rolls_back_and_goes_on(app, lose_connection):
    with app.app_context():
        db.session.add(Team(name="Never stored"))
        lose_connection()
        with pytest.raises(sa.exc.OperationalError) as lost:
            db.session.flush()
        assert is_transient(lost.value)
        db.session.rollback()
        assert _count(Team) == 0
