"""Keyset pages of the interaction and evaluation lists, and the kept "evaluated" flag."""

from __future__ import annotations

import base64
import json
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa

from qa_app.database import utcnow
from qa_app.evaluations import copies
from qa_app.evaluations import queries as evaluation_queries
from qa_app.evaluations import views as evaluation_views
from qa_app.evaluations.evaluated import mismatches
from qa_app.evaluations.models import Evaluation, EvaluationStatus
from qa_app.extensions import db
from qa_app.interactions import queries as interaction_queries
from qa_app.interactions.models import Channel, Interaction
from qa_app.ui import keyset, late_filter
from qa_app.ui.keyset import decode, keyset_page

from .conftest import make_interaction

MOMENT = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)


def _evaluation(org, interaction_id: int, submitted_at: datetime | None = None) -> Evaluation:
    status = EvaluationStatus.SUBMITTED if submitted_at else EvaluationStatus.DRAFT
    return Evaluation(
        interaction_id=interaction_id,
        scorecard_version_id=org.version_id,
        reviewer_id=org.reviewer.id,
        status=status,
        submitted_at=submitted_at,
    )


def _evaluated_at_the_moments(org, agent_id: int, name: str, submitted_at) -> None:
    """An interaction per submission time (None: a draft), at three moments in turn, each with
    its evaluation."""
    for n, submitted in enumerate(submitted_at):
        interaction = Interaction(
            external_id=f"{name}-{n}",
            channel=Channel.CHAT,
            agent_id=agent_id,
            occurred_at=MOMENT + timedelta(hours=n % 3),
        )
        db.session.add(interaction)
        db.session.flush()
        db.session.add(_evaluation(org, interaction.id, submitted))
    db.session.commit()


@pytest.fixture
def crowd(app, org) -> None:
    """Fifteen interactions at three moments; three drafts and twelve submitted evaluations
    at three submission times: ties everywhere but in the ids."""
    with app.app_context():
        times = [MOMENT + timedelta(days=n % 3) if n >= 3 else None for n in range(15)]
        _evaluated_at_the_moments(org, org.agent.id, "TIE", times)


def _walk(app, stmt, parts, size: int = 4, late=None) -> tuple[list[int], list[int]]:
    """Every id, reading Older links from the start, then Newer links back from the end."""
    forward: list[list[int]] = []
    args: dict[str, str] = {}
    while True:
        with app.test_request_context("/?" + urlencode(args)):
            page = keyset_page(stmt, parts, size, stmt.selected_columns[0], late)
            forward.append([row.id for row in page.items])
            if page.older is None:
                break
            args = {"after": page.older}
    backward: list[list[int]] = []
    while page.newer is not None:
        with app.test_request_context("/?" + urlencode({"before": page.newer})):
            page = keyset_page(stmt, parts, size, stmt.selected_columns[0], late)
            backward.insert(0, [row.id for row in page.items])
    assert backward == forward[:-1]  # the same pages, read the other way
    return [i for found in forward for i in found], [len(found) for found in forward]


def test_paging_reads_every_interaction_once_in_the_list_order(app, org, crowd):
    with app.app_context():
        stmt = sa.select(Interaction)
        expected = db.session.scalars(
            sa.select(Interaction.id).order_by(*interaction_queries.LIST_ORDER)
        ).all()
    seen, sizes = _walk(app, stmt, interaction_queries.LIST_PARTS)
    assert seen == expected and len(seen) == 17  # the org's two interactions too
    assert sizes == [4, 4, 4, 4, 1]


def test_paging_reads_drafts_first_then_every_evaluation_once(app, org, crowd):
    with app.app_context():
        order = (Evaluation.submitted_at.desc().nulls_first(), Evaluation.id.desc())
        expected = db.session.scalars(sa.select(Evaluation.id).order_by(*order)).all()
    seen, _sizes = _walk(app, sa.select(Evaluation), evaluation_queries.LIST_PARTS)
    assert seen == expected and len(seen) == 15


@pytest.mark.parametrize("probe", [2, 4, 1000])  # the page found in the first rows, or not
@pytest.mark.parametrize("newest", [True, False])  # the newest submissions pass, or the oldest
@pytest.mark.parametrize("sought", [False, True])  # the list is of one agent, or of everyone
def test_a_late_filter_pages_as_the_same_filter_applied_at_once(
    app, org, crowd, probe, newest, sought
):
    hour = MOMENT + timedelta(hours=1)
    days = Evaluation.occurred_at >= hour if newest else Evaluation.occurred_at < hour
    with app.app_context():
        if sought:  # the other agent's evaluations of the same moments stay out of the list
            _crowd_of_another_agent(org)
        agent = Evaluation.agent_id == org.agent.id
        listed = sa.select(Evaluation).where(agent) if sought else sa.select(Evaluation)
        late = late_filter.Late(
            days, Evaluation.submitted_at, Evaluation.occurred_at, agent if sought else None
        )
        order = (Evaluation.submitted_at.desc().nulls_first(), Evaluation.id.desc())
        stmt = listed.with_only_columns(Evaluation.id).where(days).order_by(*order)
        expected = db.session.scalars(stmt).all()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(late_filter, "PROBE_ROWS", probe)
        seen, _sizes = _walk(app, listed, evaluation_queries.LIST_PARTS, late=late)
    assert seen == expected and len(seen) == (10 if newest else 5)


@pytest.mark.parametrize("probe", [1, 2, 1000])
def test_a_range_of_whole_days_reads_its_limits_a_day_at_a_time_and_pages_the_same(app, org, probe):
    """Interactions on six days, submitted in an order that mixes the days: the range's limits
    read per day (the day copy's index) equal those of its rows, and the pages are the same."""
    first = MOMENT.date() + timedelta(days=1)
    with app.app_context():
        for n in range(12):
            interaction = Interaction(
                external_id=f"DAY-{n}",
                channel=Channel.CHAT,
                agent_id=org.agent.id,
                occurred_at=MOMENT + timedelta(days=n % 6, hours=n),
            )
            db.session.add(interaction)
            db.session.flush()
            submitted = MOMENT + timedelta(days=10 + (n * 7) % 12)
            db.session.add(_evaluation(org, interaction.id, submitted))
        db.session.commit()
        found = evaluation_queries.ListFilters(start=first, end=first + timedelta(days=2))
        late = evaluation_queries.late_days(found)
        assert late is not None and late.days == (Evaluation.occurred_on, found.start, found.end)
        inside = sa.select(Evaluation.submitted_at).where(late.where)
        times = db.session.scalars(inside).all()
        assert late_filter.LateReading(late, Evaluation.id)._limits() == (min(times), max(times))
        assert len(times) == 6
        order = (Evaluation.submitted_at.desc().nulls_first(), Evaluation.id.desc())
        listed = sa.select(Evaluation)
        stmt = listed.with_only_columns(Evaluation.id).where(late.where).order_by(*order)
        expected = db.session.scalars(stmt).all()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(late_filter, "PROBE_ROWS", probe)
        seen, _sizes = _walk(app, listed, evaluation_queries.LIST_PARTS, size=2, late=late)
    assert seen == expected


def _crowd_of_another_agent(org) -> None:
    """Nine submitted evaluations of another agent, at the crowd's moments and later
    submission times: a count or a limit that forgot the agent would count or reach them."""
    times = [MOMENT + timedelta(days=3 + n % 2) for n in range(9)]
    _evaluated_at_the_moments(org, org.other_agent.id, "OTHER", times)


def _cursor(*items: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(items)).encode()).decode()


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "%%%",
        "W10",  # []
        _cursor(2, 5),  # no such part
        _cursor(0, "2026-05-04T10:00:00", 5),  # a moment without its zone
        _cursor(0, "0001-01-01T00:00:00+14:00", 5),  # before the first moment there is
        _cursor(0, "2026-05-04T10:00:00+00:00", 2**31),  # past what PostgreSQL binds as an id
        _cursor(0, "2026-05-04T10:00:00+00:00", -1),
        _cursor(0, "2026-05-04T10:00:00+00:00", True),
        _cursor(0, "2026-05-04T10:00:00+00:00", 5.5),
        _cursor(0, {"a": 1}, 5),
        _cursor(0, "2026-05-04T10:00:00+00:00"),
        "A" * 4000,
    ],
)
def test_a_cursor_that_is_not_understood_names_no_position(raw):
    assert decode(raw, interaction_queries.LIST_PARTS, newer=False) is None


def test_a_bad_cursor_shows_the_first_page_with_a_message(login_as, org, crowd):
    client = login_as(user=org.reviewer)
    for path in ("/interactions?after=%25%25", "/evaluations/?before=W10&channel=chat"):
        response = client.get(path)
        body = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "That page link was not understood: here is the first page." in body
        assert "TIE-14" in body  # the newest rows


@pytest.mark.parametrize("status", ["draft", "submitted"])
def test_a_status_filter_pages_through_its_own_part_alone(login_as, org, crowd, status):
    """The part a status cannot be in is read as empty (WHERE false); paging four rows at a
    time through the other gives each of its evaluations once."""
    reader = login_as(user=org.reviewer)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(evaluation_views, "PER_PAGE", 4)
        seen, url = [], f"/evaluations/?status={status}"
        while url:
            body = reader.get(url).get_data(as_text=True)
            seen += [int(n) for n in re.findall(r'href="/evaluations/(\d+)"', body)]
            older = re.search(r'href="([^"]*after=[^"]*)"[^>]*>[^<]*Older', body)
            url = older.group(1).replace("&amp;", "&") if older else ""
    with reader.application.app_context():
        wanted = db.session.scalars(
            sa.select(Evaluation.id).where(Evaluation.status == status)
        ).all()
    assert sorted(seen) == sorted(wanted) and len(seen) == (3 if status == "draft" else 12)


def test_the_count_stops_at_its_cap(login_as, org, crowd, monkeypatch):
    monkeypatch.setattr(keyset, "COUNT_CAP", 10)
    body = login_as(user=org.reviewer).get("/interactions").get_data(as_text=True)
    assert "More than 10 interactions" in body


def _flags(*ids: int) -> list[bool]:
    found = dict(db.session.execute(sa.select(Interaction.id, Interaction.evaluated)).all())
    return [found[i] for i in ids]


def test_the_evaluated_flag_counts_submitted_evaluations_outside_calibration(app, org):
    first, second = org.interaction_id, org.other_interaction_id
    with app.app_context():
        evaluation = _evaluation(org, first)
        db.session.add(evaluation)
        db.session.commit()
        assert _flags(first, second) == [False, False]  # a draft does not count
        evaluation.status, evaluation.submitted_at = EvaluationStatus.SUBMITTED, utcnow()
        calibration = _evaluation(org, second, utcnow())
        calibration.is_calibration = True
        draft = _evaluation(org, first)
        db.session.add_all([calibration, draft])
        db.session.commit()
        assert _flags(first, second) == [True, False]
        db.session.delete(draft)  # a discarded draft changes nothing
        db.session.commit()
        assert _flags(first, second) == [True, False]
        evaluation.interaction_id = second  # moved: both interactions are told
        db.session.commit()
        assert _flags(first, second) == [False, True]
        db.session.delete(evaluation)
        db.session.commit()
        assert _flags(first, second) == [False, False]
        third = make_interaction(org.agent.id, "LATE-1")
        db.session.add(_evaluation(org, third, utcnow()))
        db.session.commit()
        assert _flags(third) == [True]
        assert db.session.scalars(mismatches()).all() == []
        assert db.session.scalars(copies.mismatches()).all() == []  # and the copies are right
