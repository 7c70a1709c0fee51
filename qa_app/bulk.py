"""Many rows at once: bulk inserts through the driver, long lists of ids, the planner's
statistics after a big load, and runs in batches that leave SQLite's write lock free while they
read (docs/performance.md, "The import's hooks" and "The import's locks")."""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection

from .extensions import db

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


def is_reading() -> bool:
    """Whether a transaction begun now only reads (`reading`): database._begin_statement."""
    return _READING.get()


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
