"""The menu: groups by role, counts of waiting work, the current place marked."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from qa_app.accounts.models import Role, User
from qa_app.calibration.models import CalibrationSession
from qa_app.extensions import db
from qa_app.ui import navigation
from qa_app.ui.navigation import ALL, RESULTS, WORK, NavEntry, build_menu, counts_for

SUMMARY = re.compile(
    r'<summary class="nav-summary"(?P<current> aria-current="true")?>(?P<label>[^<]+)'
)


def _groups(html: str) -> list[str]:
    return [m["label"] for m in SUMMARY.finditer(html) if "nav-user" not in m["label"]]


def _nav(html: str) -> str:
    return html.split('<nav id="site-nav"', 1)[1].split("</nav>", 1)[0]


@pytest.mark.parametrize(
    ("role", "groups"),
    [
        (Role.ADMIN, ["Work", "Review", "Results", "Setup"]),
        (Role.REVIEWER, ["Work", "Review", "Results", "Setup"]),
        (Role.LEAD, ["Review", "Results"]),
        (Role.AGENT, ["Work", "Results"]),
    ],
)
def test_each_role_sees_its_groups(login_as, role: Role, groups: list[str]) -> None:
    nav = _nav(login_as(role).get("/").get_data(as_text=True))
    found = [label.strip() for label in _groups(nav)]
    assert found[: len(groups)] == groups  # the user menu's summary comes last
    assert ('href="/admin/users"' in nav) is (role == Role.ADMIN)
    assert ('href="/my/scorecards"' in nav) is (role == Role.AGENT)


def test_the_menu_counts_the_work_that_waits(org, login_as) -> None:
    nav = _nav(login_as(user=org.reviewer).get("/").get_data(as_text=True))
    assert re.search(r'href="/sampling/queue">My queue <span class="nav-count">1<', nav)
    assert re.search(r'mine=1">Drafts <span class="nav-count">1<', nav)
    assert re.search(r'href="/calibration/">Calibration <span class="nav-count">1<', nav)
    assert re.search(r'href="/disputes">Disputes <span class="nav-count">2<', nav)
    # the group adds them up
    assert re.search(r'<summary class="nav-summary">Work <span class="nav-count">3<', nav)
    agent = _nav(login_as(user=org.anna).get("/").get_data(as_text=True))
    assert re.search(r'href="/my/scorecards">My scorecards <span class="nav-count">4<', agent)
    lead = _nav(login_as(user=org.lead).get("/").get_data(as_text=True))
    assert re.search(r'href="/disputes">Disputes <span class="nav-count">1<', lead)  # Anna's only


def test_all_counts_take_one_statement(org, app) -> None:
    seen: list[str] = []

    def record(conn, cursor, statement, *args) -> None:
        seen.append(statement)

    with app.test_request_context():
        reviewer = db.session.get(User, org.reviewer.id)
        sa.event.listen(db.engine, "before_cursor_execute", record)
        try:
            counts = counts_for(reviewer, ["queue", "drafts", "calibration", "disputes"])
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", record)
    assert counts == {"queue": 1, "drafts": 1, "calibration": 1, "disputes": 2}
    assert len(seen) == 1


def _count(select: sa.Select) -> int:
    return int(db.session.scalar(sa.select(sa.func.count()).select_from(select.subquery())))


def test_one_built_statement_per_role_counts_each_users_own_work(org, app) -> None:
    with app.test_request_context():
        agents = [db.session.get(User, person.id) for person in (org.anna, org.bela, org.cili)]
        found = [counts_for(agent, ["unread", "self_reviews"]) for agent in agents]
        expected = [
            {
                "unread": _count(navigation.COUNTS["unread"](agent)),
                "self_reviews": _count(navigation.COUNTS["self_reviews"](agent)),
            }
            for agent in agents
        ]
        leads = [db.session.get(User, person.id) for person in (org.lead, org.other_lead)]
        disputes = [counts_for(lead, ["disputes"])["disputes"] for lead in leads]
        expected_disputes = [_count(navigation.COUNTS["disputes"](lead)) for lead in leads]
    assert found == expected
    assert len({counts["unread"] for counts in found}) > 1  # the agents' counts differ
    assert disputes == expected_disputes
    built = [key for key in navigation._STATEMENTS if key[0] == Role.AGENT]
    assert built == [(Role.AGENT, ("self_reviews", "unread"))]  # built once for the role


def test_a_kept_statement_reads_the_time_when_it_runs(org, app) -> None:
    with app.test_request_context():
        reviewer = db.session.get(User, org.reviewer.id)
        session = db.session.scalars(sa.select(CalibrationSession)).one()
        session.deadline = datetime.now(UTC) + timedelta(seconds=1.5)
        db.session.commit()
        before = counts_for(reviewer, ["calibration"])["calibration"]
        time.sleep(max(0.0, (session.deadline - datetime.now(UTC)).total_seconds()) + 0.1)
        after = counts_for(reviewer, ["calibration"])["calibration"]
    assert (before, after) == (1, 0)  # the deadline passed between two runs of one statement


def test_the_bell_is_counted_in_the_menus_statement(org, app, login_as) -> None:
    client = login_as(user=org.reviewer)
    seen: list[str] = []

    def record(conn, cursor, statement, *args) -> None:
        seen.append(statement)

    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        client.get("/disputes")
    finally:
        with app.app_context():
            sa.event.remove(db.engine, "before_cursor_execute", record)
    bell = [statement for statement in seen if "FROM notifications" in statement]
    assert len(bell) == 1
    assert "disputes" in bell[0]  # the menu's counts and the bell's: one statement


def test_the_current_entry_and_its_group_are_marked(org, login_as) -> None:
    client = login_as(user=org.reviewer)
    nav = _nav(client.get("/evaluations/?status=draft&mine=1").get_data(as_text=True))
    assert re.search(r'mine=1" aria-current="page">Drafts', nav)
    assert 'href="/evaluations/" aria-current' not in nav  # same endpoint, fewer arguments
    marked = [m["label"].strip() for m in SUMMARY.finditer(nav) if m["current"]]
    assert marked == ["Work"]
    nav = _nav(client.get("/evaluations/").get_data(as_text=True))
    assert 'href="/evaluations/" aria-current="page"' in nav
    assert [m["label"].strip() for m in SUMMARY.finditer(nav) if m["current"]] == ["Review"]


def test_a_page_under_an_entry_marks_it_as_the_place(org, login_as) -> None:
    client = login_as(user=org.lead)
    plans = client.get("/plans/").get_data(as_text=True)
    plan_id = re.search(r'href="/plans/(\d+)"', plans.split('id="main"')[1])[1]
    nav = _nav(client.get(f"/plans/{plan_id}").get_data(as_text=True))
    assert 'href="/plans/" aria-current="true"' in nav


def test_a_group_of_one_entry_is_a_plain_link(app, monkeypatch) -> None:
    monkeypatch.setattr(
        navigation,
        "MENU",
        [
            NavEntry("Results", "results.index", ALL, RESULTS),
            NavEntry("Plans", "plans.index", ALL, RESULTS),
            NavEntry("Queue", "sampling.queue", ALL, WORK, "queue"),
        ],
    )
    with app.test_request_context("/"):
        menu = build_menu(Role.REVIEWER, {"queue": 3})
    work, results = menu.sections
    assert work.label is None and work.items[0].count == 3
    assert results.label == "Results" and [i.label for i in results.items] == ["Results", "Plans"]
