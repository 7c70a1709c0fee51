"""A big import refreshes the query planner's statistics; a small one leaves them be."""

from __future__ import annotations

import io

import pytest

from qa_app.accounts.models import Role
from qa_app.database import analyze
from qa_app.extensions import db
from qa_app.interactions import services
from tests.interactions.conftest import csv_bytes, row


@pytest.fixture
def analysed(monkeypatch) -> list[list[str]]:
    """The tables each import asked to analyse (analysed for real, then rolled back)."""
    calls: list[list[str]] = []

    def spy(tables):
        calls.append([table.name for table in tables])
        analyze(tables)

    monkeypatch.setattr(services, "analyze", spy)
    return calls


def _import(app, email: str, count: int) -> None:
    content = io.BytesIO(csv_bytes([row(email, n) for n in range(1, count + 1)]))
    with app.app_context():
        report = services.import_interactions(content, source_name="a.csv", created_by=None)
        assert report.ok and report.rows_added == count
        db.session.rollback()  # the statistics too: later tests find none of them


def test_an_import_that_is_much_of_the_table_analyzes_it(app, make_user, analysed, monkeypatch):
    monkeypatch.setattr(services, "ANALYZE_ROWS", 20)  # 2 rows or more, a tenth of the table
    _import(app, make_user(Role.AGENT).email, 3)
    assert analysed == [["interactions", "agent_day_interaction_stats"]]


def test_a_small_import_does_not_analyze(app, make_user, analysed):
    _import(app, make_user(Role.AGENT).email, 3)
    assert analysed == []
