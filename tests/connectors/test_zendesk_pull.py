"""The Zendesk pull against a fake Zendesk on 127.0.0.1: pages, 429, resume, bad credentials."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from qa_app.accounts.models import Role
from qa_app.audit.models import AuditEvent
from qa_app.connectors import services
from qa_app.connectors.models import HelpdeskConnection
from qa_app.connectors.tasks import start_due_pulls
from qa_app.extensions import db
from qa_app.interactions.hooks import IMPORT_HOOKS
from qa_app.interactions.models import Interaction
from qa_app.jobs.models import Job, JobKind, JobState
from tests.connectors.fake_zendesk import AGENT, EMAIL, TOKEN, FakeZendesk, serve

PAGE = "/admin/connectors/zendesk"


@pytest.fixture(scope="module")
def zendesk() -> Iterator[FakeZendesk]:
    yield from serve()


@pytest.fixture
def fake(zendesk: FakeZendesk) -> FakeZendesk:
    zendesk.reset()
    return zendesk


def _save(admin: Any, fake: FakeZendesk, token: str = TOKEN, interval: int = 0) -> Any:
    data = {
        "base_url": fake.url,
        "email": EMAIL,
        "api_token": token,
        "start_date": "2026-03-01",
        "interval_minutes": str(interval),
    }
    return admin.submit(PAGE, data, token_from=PAGE)


def _pull(admin: Any) -> Any:
    return admin.submit(f"{PAGE}/pull", token_from=PAGE)


def _state(app: Any) -> tuple[list[str], HelpdeskConnection | None, list[Job]]:
    with app.app_context():
        ids = list(db.session.scalars(sa.select(Interaction.external_id).order_by("external_id")))
        row = db.session.scalars(sa.select(HelpdeskConnection)).first()
        jobs = list(db.session.scalars(sa.select(Job).order_by(Job.id)))
        db.session.expunge_all()
    return ids, row, jobs


def test_a_pull_reads_every_page_waits_out_a_429_and_resumes_from_its_cursor(
    app, login_as, make_user, fake, monkeypatch
):
    hooked: list[int] = []  # the batches the hooks after an import (Auto QA, signals) ran on
    monkeypatch.setitem(IMPORT_HOOKS, "probe", lambda batch_id, _check: hooked.append(batch_id))
    make_user(Role.AGENT, email=AGENT)
    admin = login_as(Role.ADMIN)
    assert _save(admin, fake).status_code == 302
    _ids, row, _jobs = _state(app)
    assert row is not None and TOKEN not in (row.api_token_encrypted or "")
    with app.app_context():
        settings_changes = AuditEvent.action == "settings_changed"  # sign-ins are events too
        event = db.session.scalars(sa.select(AuditEvent).where(settings_changes)).one()
        assert (event.action, event.target) == ("settings_changed", "helpdesk zendesk")
        assert event.detail == {
            "changed": ["base_url", "email", "start_time"],  # the interval stays 0
            "token_replaced": True,
        }
    fake.throttle_once = True

    assert _pull(admin).status_code == 302
    ids, row, jobs = _state(app)
    assert (jobs[-1].kind, jobs[-1].state) == (JobKind.HELPDESK_PULL, JobState.DONE), jobs[-1].error
    assert ids == ["zendesk:101", "zendesk:103"]  # 102 is still open
    assert len(hooked) == 1  # once the pull's job ended done
    assert row is not None and row.cursor == "c2" and row.last_pulled_at is not None
    exports = fake.export_requests()
    start = int(datetime(2026, 3, 1, tzinfo=UTC).timestamp())
    assert [query.get("start_time") for _at, query in exports[:2]] == [str(start)] * 2
    assert exports[1][0] - exports[0][0] >= 1.0  # the Retry-After of the 429 was honoured
    assert exports[2][1] == {"cursor": "c1", "include": "users,metric_sets"}

    with app.app_context():
        stored = db.session.scalars(
            sa.select(Interaction).where(Interaction.external_id == "zendesk:101")
        ).one()
        turns = [(t["speaker"], t["text"], t["at"]) for t in stored.transcript_turns]
        assert turns == [
            ("customer", "Wo ist mein Paket?", 0),
            ("agent", "It ships today & arrives tomorrow.", 120),  # the note is left out
        ]
        assert (stored.csat, stored.handle_seconds, stored.language) == (5, 2520, "de")

    fake.reset()
    assert _pull(admin).status_code == 302
    ids, row, _jobs = _state(app)
    assert fake.export_requests()[0][1] == {"cursor": "c2", "include": "users,metric_sets"}
    assert ids == ["zendesk:101", "zendesk:103", "zendesk:104"]
    assert row is not None and row.cursor == "c3"
    assert len(hooked) == 2 and hooked[0] != hooked[1]


def test_refused_credentials_fail_the_job_and_store_nothing(app, login_as, make_user, fake):
    make_user(Role.AGENT, email=AGENT)
    admin = login_as(Role.ADMIN)
    _save(admin, fake, token="wrong-token")
    _pull(admin)
    ids, row, jobs = _state(app)
    assert jobs[-1].state == JobState.FAILED
    assert jobs[-1].error == "The helpdesk refused the email and API token (HTTP 401)."
    assert ids == [] and row is not None and row.cursor is None and row.last_pulled_at is None


def test_a_ticket_the_import_refuses_is_reported_by_its_id_and_agent(app, login_as, fake):
    admin = login_as(Role.ADMIN)  # no account for the agent
    _save(admin, fake)
    _pull(admin)
    ids, row, jobs = _state(app)
    assert jobs[-1].state == JobState.FAILED and ids == [] and row is not None
    assert row.cursor is None
    problems = [(p["row"], p["column"], p["reason"]) for p in jobs[-1].result["problems"]]
    assert problems == [
        (1, "agent_email", f"no user has this email address (zendesk:101, agent {AGENT})"),
        (2, "agent_email", f"no user has this email address (zendesk:103, agent {AGENT})"),
    ]


def test_the_schedule_starts_a_pull_when_the_interval_has_passed(app, login_as, make_user, fake):
    make_user(Role.AGENT, email=AGENT)
    admin = login_as(Role.ADMIN)
    _save(admin, fake, interval=60)
    with app.app_context():
        assert start_due_pulls() is True  # never pulled: due at once
        assert start_due_pulls() is False  # started a moment ago
    ids, _row, jobs = _state(app)
    assert len(jobs) == 1 and ids == ["zendesk:101", "zendesk:103"]


@pytest.mark.parametrize(
    ("entered", "problem"),
    [
        ("acme", None),
        ("https://acme.zendesk.com/", None),
        ("http://acme.zendesk.com", "Use an https:// address."),
        ("http://127.0.0.1:8080", None),
        ("https://acme.zendesk.com/api/v2", "Give the helpdesk's address only, without a path."),
        (
            "javascript:alert(1)",
            "Use an address that starts with http:// or https:// and names a server.",
        ),
    ],
)
def test_only_an_https_address_or_the_local_test_server_is_used(app, entered, problem):
    with app.test_request_context():
        assert services.address_problem(services.base_url(entered)) == problem
    assert services.base_url("acme") == "https://acme.zendesk.com"
