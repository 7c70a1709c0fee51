"""Database plumbing: safe SQLite settings, UTC timestamps, and the "try again" error."""

from __future__ import annotations

import contextvars
import enum
import hashlib
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import psycopg
import sqlalchemy as sa
from flask import Flask, has_request_context, request
from psycopg.pq import TransactionStatus
from sqlalchemy import event
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

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
    if _READING.get() or has_request_context() and request.method in ("GET", "HEAD", "OPTIONS"):
        return "BEGIN"
    return "BEGIN IMMEDIATE"


_READING: contextvars.ContextVar[bool] = contextvars.ContextVar("qa_reading", default=False)


class Batches:
    """How a run over many batches (Auto QA's scoring, the signals) uses transactions.

    By default (ONE_TRANSACTION) every batch is in the caller's one transaction: a job's work
    and its end commit together. `Batches(each=True)` (the hooks after an import) gives each
    batch's reads, and the work done on them, a transaction of their own that takes no write
    lock (`reading`), and commits each batch's writes: on SQLite, where a writer holds the whole
    database, other writers then get in while a batch is read and worked on.
    """

    def __init__(self, each: bool = False) -> None:
        self.each = each

    @contextmanager
    def read(self) -> Iterator[None]:
        """Around a batch's reads and the work on them; nothing inside may write."""
        if not self.each:
            yield
            return
        db.session.commit()  # what came before ends: the reads begin a transaction of their own
        with reading():
            yield
        db.session.commit()  # ends the read; the writes begin a new one

    def stored(self) -> None:
        """After a batch's writes."""
        if self.each:
            db.session.commit()


ONE_TRANSACTION = Batches()


@contextmanager
def reading() -> Iterator[None]:
    """A transaction begun inside only reads: on SQLite it begins without the write lock
    (deferred), so that writers go on meanwhile. The caller ends it before writing: a deferred
    transaction that read cannot safely take the write lock later (another writer may have
    committed since its snapshot). PostgreSQL begins as always."""
    token = _READING.set(True)
    try:
        yield
    finally:
        _READING.reset(token)


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


def analyze(tables: Iterable[str | sa.Table], connection: Any = None) -> None:
    """Refresh the query planner's statistics on these tables, in the session's transaction.

    For after a bulk load that changed a table much: SQLite never gathers statistics by itself,
    and PostgreSQL's autovacuum does only later. On PostgreSQL the rows this transaction added
    are counted, and a rollback undoes the statistics with the rows. `connection` defaults to the
    session's.
    """
    connection = connection if connection is not None else db.session.connection()
    quote = connection.dialect.identifier_preparer.quote
    names = [quote(table if isinstance(table, str) else table.name) for table in tables]
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"ANALYZE {', '.join(names)}")
    else:  # SQLite analyses one table (or the whole database) a statement
        for name in names:
            connection.exec_driver_sql(f"ANALYZE {name}")


def changes_much(id_column: sa.ColumnElement[int], rows: int, always: int) -> bool:
    """Whether `rows` (just added, or about to be) change the table enough for the planner to
    need new statistics: `always` rows or more do; fewer than a tenth of that never do; others
    do when they are a tenth of the table or more."""
    if rows >= always:
        return True
    if rows < always // 10:
        return False
    # The highest id stands in for the table's size: one index lookup, where counting reads all.
    return rows * 10 >= (db.session.scalar(sa.select(sa.func.max(id_column))) or 0)


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


Convert = Callable[[Any], Any]  # a column type's conversion of a value for the driver


class DriverInsert:
    """An INSERT of some of a table's columns, sent through the driver itself as tuples.

    At import sizes SQLAlchemy's work for each row of a statement (its parameters, and for an
    ORM statement the bulk bookkeeping) costs more than the database's: here each value passes
    only through its column type's own converter, once (`row`), and a batch goes to the driver
    as one `executemany` (psycopg pipelines it) or, on PostgreSQL when nothing is to be skipped,
    as psycopg's COPY, in the same transaction (its errors raised as SQLAlchemy's, as a
    statement's would be). Nothing above the driver sees the rows: no Python-side column default
    is applied (give every column that has one) and no session listener runs. `skip_taken` names
    a unique column: a row whose value is stored already is left out (ON CONFLICT DO NOTHING,
    on both databases).
    """

    def __init__(
        self,
        connection: Connection,
        table: sa.Table,
        keys: Sequence[str],
        skip_taken: str | None = None,
    ) -> None:
        dialect = connection.dialect
        quote = dialect.identifier_preparer.quote
        mark = "?" if dialect.paramstyle == "qmark" else "%s"
        names, marks = ", ".join(map(quote, keys)), ", ".join([mark] * len(keys))
        sql = f"INSERT INTO {quote(table.name)} ({names}) VALUES ({marks})"  # noqa: S608
        if skip_taken is not None:
            sql += f" ON CONFLICT ({quote(skip_taken)}) DO NOTHING"
        self.connection, self.sql = connection, sql
        # Rows that skip nothing go to PostgreSQL as COPY, the fastest way in: 40-50 % less time
        # than the pipelined INSERTs for Auto QA's results and signals (docs/performance.md).
        self.copy = (
            f"COPY {quote(table.name)} ({names}) FROM STDIN"
            if dialect.name == "postgresql" and skip_taken is None
            else None
        )
        types = [table.c[key].type.dialect_impl(dialect) for key in keys]
        # Each column's conversion of a value for the driver (None where the driver takes it).
        self.converters: list[Convert | None] = [kind.bind_processor(dialect) for kind in types]
        self._converting = [(n, c) for n, c in enumerate(self.converters) if c is not None]

    def row(self, values: Sequence[Any]) -> tuple[Any, ...]:
        """Values in the order of the keys, as the driver takes them (None stays None)."""
        clean = list(values)
        for n, convert in self._converting:
            value = clean[n]
            if value is not None:
                clean[n] = convert(value)
        return tuple(clean)

    def send(self, rows: Sequence[tuple[Any, ...]]) -> int:
        """Insert rows made by `row`; how many were stored (-1 where the driver cannot tell)."""
        if self.copy is None:
            return int(self.connection.exec_driver_sql(self.sql, list(rows)).rowcount)
        driver = self.connection.connection.driver_connection
        try:
            with driver.cursor() as cursor, cursor.copy(self.copy) as copy:
                for row in rows:
                    copy.write_row(row)
        except psycopg.Error as exc:
            # As SQLAlchemy raises a statement's error: the app's handlers (a busy database is
            # "try again", not a failure) then treat a COPY's as any other's.
            dialect = self.connection.dialect
            raise sa.exc.DBAPIError.instance(
                self.copy, None, exc, psycopg.Error, dialect=dialect
            ) from exc
        return len(rows)


def among(column: sa.ColumnElement[Any], values: Iterable[Any]) -> sa.ColumnElement[bool]:
    """`column IN values`, written on PostgreSQL as one array value: `column = ANY(:values)`.

    For the long lists a batch reads by (500 ids, or a batch's customers): as `IN` the statement
    carries a placeholder per value, so its text differs with the list's length and passes the
    4 KB below which psycopg keeps a statement parsed, and PostgreSQL plans every constant. As one
    array the statement is short and the same for any list. SQLite has no arrays: `IN` there.
    """
    found = list(values)
    if db.session.get_bind().dialect.name != "postgresql":
        return column.in_(found)
    return column == sa.any_(sa.literal(found, type_=postgresql.ARRAY(column.type)))
