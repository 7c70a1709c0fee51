"""The evaluation list's counts read the index made for them, with the statistics of a million.

The statistics are those ANALYZE left on the list benchmark's million evaluations (one reviewer
wrote them all, teams of ten agents); each statement is planned as the list sends it, with its
bound parameters.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from flask import Flask

from qa_app import create_app
from qa_app.accounts.models import Role, User
from qa_app.evaluations import queries
from qa_app.evaluations.access import visible_ordinary_evaluations
from qa_app.evaluations.models import Evaluation, EvaluationStatus
from qa_app.extensions import db
from qa_app.ui import keyset, late_filter
from tests.conftest import make_config

from .plans import sent_plans, upgrade_with_statistics

MILLION = [
    ("evaluations", "ix_evaluations_reviewer_submitted", "1010310 1010310 1 1 1 1"),
    ("evaluations", "ix_evaluations_agent_occurred", "1010310 2021 1 1 1 1"),
    ("evaluations", "ix_evaluations_agent_submitted", "1010310 2021 1 1 1 1"),
    ("evaluations", "ix_evaluations_channel_submitted", "1010310 336770 1 1 1 1"),
    ("evaluations", "ix_evaluations_interaction_reviewer", "1010310 1 1 1"),
    ("evaluations", "ix_evaluations_submitted_at", "1010310 1"),
    ("evaluations", "ix_evaluations_interaction_id", "1010310 1"),
    ("evaluations", "ix_evaluations_occurred_submitted", "1010310 1 1 1 1 1"),
    ("evaluations", "ix_evaluations_day_submitted", "1010310 2768 1"),
    ("evaluations", "ix_evaluations_drafts", "10310 1"),
    ("evaluations", "sqlite_autoindex_evaluations_1", "1010310 1010310 1 1"),
    ("team_members", "sqlite_autoindex_team_members_2", "500 1"),
    ("team_members", "sqlite_autoindex_team_members_1", "500 10 1"),
]


@pytest.fixture(scope="module")
def upgraded(empty_database_url) -> Iterator[Flask]:
    """An app on an upgraded, empty SQLite database that has the million's statistics: made once
    for the module, whose tests only plan statements on it."""
    app = create_app(make_config(empty_database_url("sqlite")))
    with app.app_context():
        upgrade_with_statistics(MILLION)
        db.engine.dispose()
    yield app


@pytest.fixture
def planned(upgraded: Flask) -> Iterator[Callable[..., list[str]]]:
    """Runs a piece of the list on the upgraded database; returns the plan of each statement it
    sent that holds ``sent_with`` (by default every statement on the evaluations)."""

    def plans(action: Callable[[], Any], sent_with: str = "FROM evaluations") -> list[str]:
        return sent_plans(action, sent_with)

    with upgraded.app_context(), upgraded.test_request_context("/evaluations/"):
        yield plans
        db.engine.dispose()


def test_mine_counts_from_the_reviewer_index_alone(planned):
    reviewer = User(id=2, role=Role.REVIEWER)
    stmt = visible_ordinary_evaluations(reviewer).where(Evaluation.reviewer_id == reviewer.id)
    [plan] = planned(lambda: keyset.capped_count(stmt, Evaluation.id))
    assert "COVERING INDEX ix_evaluations_reviewer_submitted (reviewer_id=?)" in plan, plan
    assert "SCAN evaluations" not in plan, plan


@pytest.mark.parametrize("seek", ["agent", "team"])
def test_some_agents_month_is_counted_and_spanned_through_the_agent_days_index(planned, seek):
    found = queries.ListFilters(start=date(2026, 9, 24), end=date(2026, 10, 24))
    agents = [3] if seek == "agent" else list(range(3, 13))
    late = late_filter.Late(
        queries.in_days(found),  # type: ignore[arg-type]
        Evaluation.submitted_at,
        Evaluation.occurred_at,
        Evaluation.agent_id.in_(agents),
    )
    reading = late_filter.LateReading(late, Evaluation.id)
    part = queries.LIST_PARTS[1]
    plans = planned(lambda: (reading.is_few(), reading.bound(part, newer=False)))
    assert len(plans) == 2
    for plan in plans:
        assert "COVERING INDEX ix_evaluations_agent_occurred (agent_id=? AND occurred_at>?" in plan
        assert "ix_evaluations_occurred_submitted" not in plan, plan


def test_the_walks_of_a_late_range_read_the_submission_index_alone(planned):
    """A range of days for everyone: the walks through the newest rows read each one's
    interaction time and status from the submission-time index, not from the table."""
    found = queries.ListFilters(start=date(2026, 9, 24), end=date(2026, 10, 24))
    late = queries.late_days(found)
    assert late is not None and late.seek is None
    reading = late_filter.LateReading(late, Evaluation.id, few=False)  # as for a range of many
    stmt = visible_ordinary_evaluations(User(id=2, role=Role.ADMIN))
    stmt = stmt.where(queries.with_status(EvaluationStatus.SUBMITTED))
    walked = "FROM (SELECT evaluations.id AS id, evaluations.submitted_at AS submitted_at"
    read = lambda: keyset._read(stmt, queries.LIST_PARTS[1], None, False, 51, reading)  # noqa: E731
    walks = planned(read, walked)
    assert len(walks) == 2  # before and after the limits of the range's submission times
    for plan in walks:
        assert "COVERING INDEX ix_evaluations_submitted_at" in plan, plan


def test_everyones_month_spans_its_submission_times_with_two_seeks_a_day(planned):
    """A range of days for everyone: the first and last submission time of the range come from
    the day copy's index, a seek for each end of each day, not from every entry of the range."""
    found = queries.ListFilters(start=date(2026, 9, 24), end=date(2026, 10, 24))
    late = queries.late_days(found)
    assert late is not None and late.seek is None and late.days is not None
    reading = late_filter.LateReading(late, Evaluation.id, few=False)
    [plan] = planned(lambda: reading.bound(queries.LIST_PARTS[1], newer=False))
    assert plan.count("COVERING INDEX ix_evaluations_day_submitted (occurred_on=?)") == 62, plan
    assert "ix_evaluations_occurred_submitted" not in plan, plan
