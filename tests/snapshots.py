"""Costly fixtures made once per test process and copied back into the database after that.

A fixture such as the results' `seeded` organisation (72 evaluations through the services) or the
access table's `world` takes one to two seconds, and a few hundred tests use them. `kept()` runs
the fixture's builder the first time in a process and keeps a copy of every row it left in the
database (PostgreSQL: and the sequences' positions), the numbers the factories handed out, and
the fixture's value; a later test with an empty database gets the rows inserted again, the
factories' numbers moved on, and a copy of the value. The rows are the builder's, so the test
sees what the builder would have made, with the same ids.

The copy is used only where it gives the same start: the database must be empty when the fixture
runs (else the builder runs as usual) and the test's settings must be the defaults, or differ only
in settings no builder reads (`NEUTRAL_SETTINGS`: where job files go, when work becomes a job).
Rows are read and written through SQLAlchemy Core, so no session hook runs while they are put
back: the result tables come back as the builder left them. A builder whose rows depend on today
(times counted back from now) says so in its name, so that a run passing midnight builds again.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import Flask

from qa_app.extensions import db
from tests.conftest import used_tables

T = TypeVar("T")


@dataclass
class _Snapshot:
    rows: list[tuple[sa.Table, list[dict[str, Any]]]]
    sequences: list[tuple[str, int]]
    made: dict[str, int]
    value: Any


_KEPT: dict[tuple[str, str], _Snapshot] = {}
# Settings read only by the routes that start jobs and by the jobs' files, never while a fixture
# writes its rows: a test that changes only these gets the copy too.
NEUTRAL_SETTINGS = frozenset(
    {"JOB_FILES_DIR", "REPORT_JOB_THRESHOLD_EVALUATIONS", "IMPORT_JOB_THRESHOLD_BYTES"}
)


def kept(
    app: Flask,
    name: str,
    build: Callable[[], T],
    made: dict[str, int],
    config_overrides: dict[str, Any],
) -> T:
    """The value of `build()`, built in this test or copied from the first build of this process.

    `made` holds the factories' counters of the test (conftest), moved on as `build` moved them.
    """
    if config_overrides.keys() - NEUTRAL_SETTINGS:
        return build()
    with app.app_context():
        key = (name, db.engine.url.render_as_string(hide_password=False))
        empty = _empty()
    if not empty:
        return build()
    snapshot = _KEPT.get(key)
    if snapshot is None:
        value = build()
        with app.app_context():
            _KEPT[key] = _take(value, made)
        return value
    with app.app_context():
        _put_back(snapshot)
    made.update(snapshot.made)
    restored: T = copy.deepcopy(snapshot.value)
    return restored


def _empty() -> bool:
    found = used_tables(db.metadata.sorted_tables)
    db.session.rollback()
    return not found


def _take(value: Any, made: dict[str, int]) -> _Snapshot:
    rows = []
    for table in db.metadata.sorted_tables:
        order = list(table.primary_key.columns) or list(table.columns)
        found = [
            dict(row._mapping) for row in db.session.execute(sa.select(table).order_by(*order))
        ]
        if found:
            rows.append((table, found))
    sequences: list[tuple[str, int]] = []
    if db.engine.dialect.name == "postgresql":
        stmt = sa.text(
            "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename), last_value"
            " FROM pg_sequences WHERE last_value IS NOT NULL AND schemaname = current_schema()"
        )
        sequences = [(row[0], row[1]) for row in db.session.execute(stmt)]
    db.session.rollback()
    return _Snapshot(rows, sequences, dict(made), copy.deepcopy(value))


def _put_back(snapshot: _Snapshot) -> None:
    connection = db.session.connection()
    for table, rows in snapshot.rows:
        connection.execute(table.insert(), rows)
    for sequence, last_value in snapshot.sequences:
        connection.execute(sa.text("SELECT setval(:s, :v, true)"), {"s": sequence, "v": last_value})
    db.session.commit()
