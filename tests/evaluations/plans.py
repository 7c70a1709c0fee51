"""Query plans of statements as the application sends them, on SQLite with given statistics.

An upgraded, empty database gets the statistics ANALYZE would leave on a large one; the plan of
each statement is then taken with its own bound parameters (a literal in their place can plan
differently).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from flask_migrate import upgrade

from qa_app.extensions import db


def upgrade_with_statistics(statistics: Sequence[tuple[str, str, str]]) -> None:
    """Upgrade the app's (empty SQLite) database and give it these sqlite_stat1 rows."""
    upgrade(directory="migrations")
    with db.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
        conn.exec_driver_sql("INSERT INTO sqlite_stat1 VALUES (?, ?, ?)", statistics)
    db.engine.dispose()  # new connections read the statistics


def sent_plans(action: Callable[[], Any], sent_with: str) -> list[str]:
    """The plan (its lines joined by " | ") of each statement ``action`` sent that holds
    ``sent_with``, in the order sent."""
    sent: list[tuple[str, Any]] = []
    record = lambda conn, cursor, sql, params, *rest: sent.append((sql, params))  # noqa: E731
    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        action()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    raw = db.session.connection().connection.driver_connection
    return [
        " | ".join(row[-1] for row in raw.execute(f"EXPLAIN QUERY PLAN {sql}", params))
        for sql, params in sent
        if sent_with in sql
    ]
