"""Database plumbing: safe SQLite settings, UTC timestamps, and the "try again" error."""

from __future__ import annotations

import enum
import hashlib
import weakref
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from flask import Flask, has_request_context, request
from psycopg.pq import TransactionStatus
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from .bulk import is_reading
from .extensions import db


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware.

    SQLite has no time zone type and returns naive values; this keeps both databases alike.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC values")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def bind_processor(self, dialect: Any) -> Any:
        """On SQLite, the text SQLAlchemy's DateTime stores for the UTC time, made in one step:
        half the cost of process_bind_param and then the DateTime's own format."""
        if dialect.name == "sqlite":
            return _sqlite_utc_text
        return super().bind_processor(dialect)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _sqlite_utc_text(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is not UTC:
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC values")
        value = value.astimezone(UTC)
    return value.isoformat(" ", "microseconds")[:-6]  # without its "+00:00"


def string_enum(enum_class: type[enum.Enum], name: str, length: int = 16) -> sa.Enum:
    """An enum stored as its value in a short string column with a CHECK, on every database."""
    return sa.Enum(
        enum_class,
        native_enum=False,
        length=length,
        values_callable=lambda members: [member.value for member in members],
        create_constraint=True,
        name=name,
    )


class utc_day(FunctionElement[Any]):  # noqa: N801 (reads like the SQL function it stands for)
    """The UTC calendar date of a timestamp."""

    type = sa.Date()
    inherit_cache = True


@compiles(utc_day, "sqlite")
def _utc_day_sqlite(element: utc_day, compiler: Any, **kw: Any) -> str:
    return f"date({compiler.process(element.clauses, **kw)})"


@compiles(utc_day, "postgresql")
def _utc_day_postgresql(element: utc_day, compiler: Any, **kw: Any) -> str:
    return f"CAST(timezone('UTC', {compiler.process(element.clauses, **kw)}) AS DATE)"


def configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """Apply SQLAlchemy's pysqlite recipe: our own BEGIN IMMEDIATE, so savepoints really roll back.

    pysqlite's own transaction handling defers BEGIN and breaks SAVEPOINT; we switch it off and
    emit BEGIN ourselves. Writing requests and commands use BEGIN IMMEDIATE, which takes the write
    lock up front (waiting up to the busy timeout) instead of failing half-way through a
    transaction when another writer appears.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql(_begin_statement())


def _begin_statement() -> str:
    """Reading requests never wait for a writer (WAL); the rest take the write lock first."""
    if is_reading() or has_request_context() and request.method in ("GET", "HEAD", "OPTIONS"):
        return "BEGIN"
    return "BEGIN IMMEDIATE"


def configure_postgresql(engine: Engine, lock_timeout_ms: int, statement_timeout_ms: int) -> None:
    """Wait for a lock as long as SQLite waits for its busy timeout; bound a request's statements.

    Both errors ("lock timeout", "statement timeout") are mapped by `is_transient` to the 503
    "busy, nothing was saved" page, as on SQLite. The statement timeout applies inside requests
    only: a migration, a backup or a worker's job may rightly run longer. It is the connection's
    own setting, so that a request sends no statement for it (a round trip, about a tenth of a
    bare page's time); a transaction outside a request lifts it for itself. See
    docs/hostile-input.md.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SET lock_timeout = {int(lock_timeout_ms)}")
            cursor.execute(f"SET statement_timeout = {int(statement_timeout_ms)}")
        dbapi_connection.commit()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.info[WROTE] = False
        if statement_timeout_ms and not has_request_context():
            connection.exec_driver_sql("SET LOCAL statement_timeout = 0")

    keep_prepared_statements(engine)


WROTE = "qa_wrote"  # in a connection's info: whether its transaction sent anything but reads
READS = ("SELECT ", "SELECT\n", "SHOW ", "SET LOCAL ")


def keep_prepared_statements(engine: Engine) -> None:
    """End a transaction that only read with COMMIT where it is rolled back, on PostgreSQL.

    psycopg prepares a statement once it has run five times on a connection, so that the
    server plans it once instead of on every run (0.3-0.7 ms for the statements every page
    sends), but it forgets them all on every ROLLBACK. A read-only request is rolled back at
    its end, so nothing was ever prepared. For a transaction that sent nothing but reads,
    COMMIT ends it as ROLLBACK would; the session is still told of a rollback, so nothing
    above the driver changes. Anything else (a write, a failed statement) is rolled back.
    """

    @event.listens_for(engine, "before_cursor_execute")
    def _note_writes(connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.startswith(READS):
            connection.info[WROTE] = True

    @event.listens_for(engine, "rollback")
    def _commit_reads(connection: Any) -> None:
        if connection.invalidated or connection.info.get(WROTE, True):
            return
        dbapi_connection = connection.connection.dbapi_connection
        if dbapi_connection.info.transaction_status == TransactionStatus.INTRANS:
            dbapi_connection.commit()  # the rollback that follows finds nothing to end


_CONFIGURED: weakref.WeakSet[Engine] = weakref.WeakSet()


def init_database(app: Flask) -> None:
    """Bind the engine options that depend on the dialect, once per engine (several apps of one
    process may share one engine with the same settings: the tests do)."""
    with app.app_context():
        engine = db.engine
        if engine in _CONFIGURED:
            return
        _CONFIGURED.add(engine)
        if engine.dialect.name == "sqlite":
            configure_sqlite(engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
        elif engine.dialect.name == "postgresql":  # the same wait as SQLite's busy timeout
            configure_postgresql(
                engine, app.config["SQLITE_BUSY_TIMEOUT_MS"], app.config["STATEMENT_TIMEOUT_MS"]
            )


def take_turns(connection: Any, *names: str, kinds: Iterable[str] = ()) -> None:
    """Make writers of the same named things wait for each other until this transaction ends.

    For a read-then-write that a unique key cannot guard (recomputing an aggregate row, counting
    failed sign-ins before checking a password): on PostgreSQL, transaction-level advisory locks
    taken in a fixed order, so that two callers never wait for each other. SQLite needs none: a
    writing transaction holds the database's one write lock from BEGIN IMMEDIATE.

    PostgreSQL keeps locks in a shared table of a few thousand entries, so a bulk write cannot
    take one per name ("out of shared memory"). A name's kind is what comes before its first
    ":". A caller takes each kind's lock shared, then one lock per name; with more than
    MANY_NAMES names of one kind it takes that kind's lock alone, exclusively, and so waits for
    and holds off every other writer of that kind, as SQLite always does. A bulk writer that
    cannot list its names names their `kinds` instead, and takes those in the same way.
    """
    if connection.dialect.name != "postgresql":
        return
    whole = set(kinds)
    found: dict[str, set[int]] = {kind: set() for kind in whole}
    for name in names:
        found.setdefault(name.split(":", 1)[0], set()).add(_lock_key(name))
    alone = {kind for kind, keys in found.items() if kind in whole or len(keys) > MANY_NAMES}
    # The kinds' locks first, then the names', each in the order of their keys.
    locks = sorted((_lock_key(f"{kind}:*"), kind not in alone) for kind in found)
    each = sorted(key for kind, keys in found.items() if kind not in alone for key in keys)
    locks += [(key, False) for key in each]
    if locks:  # one round trip
        keys, shared = zip(*locks, strict=True)
        connection.execute(_TAKE_LOCKS, {"keys": list(keys), "shared": list(shared)})


MANY_NAMES = 1000
_TAKE_LOCKS = sa.text(
    "SELECT CASE WHEN shared THEN pg_advisory_xact_lock_shared(key) ELSE pg_advisory_xact_lock(key)"
    " END FROM unnest(CAST(:keys AS bigint[]), CAST(:shared AS boolean[]))"
    " WITH ORDINALITY AS taken(key, shared, n) ORDER BY n"
)


def _lock_key(name: str) -> int:
    """A stable 64-bit number for a name (a collision only makes two callers take turns)."""
    digest = hashlib.blake2b(name.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@contextmanager
def planned_for_their_values(connection: Any) -> Iterator[None]:
    """On PostgreSQL, plan the statements sent in the block for their bound values every time.

    psycopg prepares a statement once it has run five times on a connection, and PostgreSQL may
    then plan it once for any values (a "generic plan"), guessing how many rows a range between
    two bound values holds: 0.5 %. For a statement whose best plan depends on how wide the range
    really is, that guess can pick a plan a hundred times slower (the import signals' earlier
    contacts: a batch's customers over the month before it, read through the time index). The
    setting lasts to the end of the block, or of the transaction if the block fails.
    """
    if connection.dialect.name != "postgresql":
        yield
        return
    connection.exec_driver_sql("SET LOCAL plan_cache_mode = force_custom_plan")
    yield
    connection.exec_driver_sql("SET LOCAL plan_cache_mode TO DEFAULT")


TRY_AGAIN_MARKERS = (
    "database is locked",
    "database table is locked",
    "database or disk is full",
    "could not serialize access",
    "deadlock detected",
    "lock timeout",
    "statement timeout",
    "could not extend file",
    "no space left on device",
    "server closed the connection",
    "connection refused",
    "terminating connection",  # the server is shutting down or restarting
    "the database system is",  # ... starting up, shutting down, in recovery mode
)


def is_transient(error: BaseException) -> bool:
    """True when a database error means "busy or full, try again", not a bug."""
    text = str(getattr(error, "orig", error)).lower()
    return any(marker in text for marker in TRY_AGAIN_MARKERS)
