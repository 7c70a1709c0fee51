"""Webhooks: each event reaches the receiver once, signed; failures are retried and logged."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from qa_app.accounts.models import Role, User
from qa_app.audit.models import AuditEvent
from qa_app.database import utcnow
from qa_app.extensions import db
from qa_app.interactions.services import import_interactions
from qa_app.jobs.models import JobKind
from qa_app.jobs.services import create_job
from qa_app.jobs.tasks import enqueue
from qa_app.webhooks.delivery import deliver_due
from qa_app.webhooks.models import DeliveryState, WebhookAttempt, WebhookDelivery
from tests.evaluations.test_agent_and_disputes import _dispute, submitted_evaluation

EVENTS = [
    "evaluation.submitted",
    "evaluation.changed",
    "dispute.opened",
    "dispute.resolved",
    "import.finished",
    "autoqa.finished",
]


def _register(admin, url: str, events=EVENTS) -> str:
    """Add an endpoint through the admin page; returns the secret the page shows once."""
    data = {"url": url, "description": "Our warehouse", "events": list(events), "is_active": "y"}
    page = admin.submit("/admin/webhooks/new", data, token_from="/admin/webhooks/new")
    text = page.get_data(as_text=True)
    assert page.status_code == 200, text
    found = re.search(r"whsec_[A-Za-z0-9+/=]+", text)
    assert found, text
    return found.group(0)


def _verified(secret: str, item) -> dict:
    return Webhook(secret).verify(item.body, item.headers)


def test_each_event_reaches_the_receiver_once_with_a_valid_signature(app, login_as, org, receiver):
    admin = login_as(role=Role.ADMIN)
    secret = _register(admin, receiver.url)
    evaluation_id = submitted_evaluation(login_as, org)
    _dispute(login_as(user=org.agent), evaluation_id, org)
    with app.app_context():
        dispute_id = db.session.scalar(sa.text("SELECT id FROM disputes"))
    decider = login_as(user=org.second_reviewer)
    decision = {"note": "Partly cut off.", f"score_{org.criteria[0]['id']}": "3"}
    assert decider.submit(f"/disputes/{dispute_id}", decision, token_from="/").status_code == 302
    with app.app_context():
        header = "external_id,agent_email,channel,occurred_at\n"
        rows = header + f"W-1,{org.agent.email},chat,2026-11-20T10:00:00Z\n"
        report = import_interactions(_stream(rows), source_name="w.csv", created_by=None)
        assert report.ok, report
        db.session.commit()
        job = create_job(JobKind.AUTOQA_RUN, db.session.get(User, org.reviewer.id), {})
        job_id, task_id = job.id, str(job.task_id)
        db.session.commit()
    with app.app_context():
        enqueue(job_id, task_id)

    assert sorted(receiver.events()) == sorted(EVENTS)  # each once, none twice
    bodies = {item.json["type"]: _verified(secret, item)["data"] for item in receiver.received}
    assert bodies["evaluation.submitted"]["evaluation"]["id"] == evaluation_id
    assert bodies["evaluation.changed"]["evaluation"]["id"] == evaluation_id
    assert bodies["dispute.resolved"]["dispute"]["status"] == "adjusted"
    assert bodies["import.finished"]["import"]["rows_added"] == 1  # counted when it ended
    assert bodies["autoqa.finished"]["job"]["id"] == job_id
    assert "transcript" not in str(bodies)
    with pytest.raises(WebhookVerificationError):
        Webhook("whsec_" + "A" * 44).verify(receiver.received[0].body, receiver.received[0].headers)


def _stream(text: str):
    import io

    return io.BytesIO(text.encode())


def _deliveries(app) -> list[tuple[str, int, list[int | None]]]:
    with app.app_context():
        found = db.session.scalars(sa.select(WebhookDelivery).order_by(WebhookDelivery.id))
        return [(d.state, d.attempts, [a.status_code for a in d.log]) for d in found]


def _make_due(app) -> None:
    with app.app_context():
        db.session.execute(
            sa.update(WebhookDelivery).values(next_attempt_at=utcnow() - timedelta(seconds=1))
        )
        db.session.commit()


def test_a_failing_receiver_gets_retries_and_the_log_shows_them(app, login_as, receiver):
    admin = login_as(role=Role.ADMIN)
    _register(admin, receiver.url, events=["import.finished"])
    with app.app_context():
        endpoint_id = db.session.scalar(sa.text("SELECT id FROM webhook_endpoints"))
    receiver.answers = [500, 503]
    admin.submit(
        f"/admin/webhooks/{endpoint_id}/test", {}, token_from=f"/admin/webhooks/{endpoint_id}"
    )
    assert _deliveries(app) == [(DeliveryState.PENDING, 1, [500])]
    with app.app_context():
        assert deliver_due() == 0  # not due yet: the back-off holds it
    _make_due(app)
    with app.app_context():
        assert deliver_due() == 1
    assert _deliveries(app) == [(DeliveryState.PENDING, 2, [500, 503])]
    _make_due(app)
    with app.app_context():
        deliver_due()
    assert _deliveries(app) == [(DeliveryState.DELIVERED, 3, [500, 503, 204])]
    ids = {item.headers["Webhook-Id"] for item in receiver.received}
    assert len(receiver.received) == 3 and len(ids) == 1  # the same message, retried
    log = admin.get(f"/admin/webhooks/{endpoint_id}").get_data(as_text=True)
    assert "HTTP 500" in log and "HTTP 503" in log and "HTTP 204" in log


def test_a_receiver_that_never_answers_well_fails_after_the_last_retry(app, login_as, receiver):
    admin = login_as(role=Role.ADMIN)
    _register(admin, receiver.url, events=["import.finished"])
    receiver.answers = [500, 500, 302]
    with app.app_context():
        endpoint_id = db.session.scalar(sa.text("SELECT id FROM webhook_endpoints"))
    admin.submit(
        f"/admin/webhooks/{endpoint_id}/test", {}, token_from=f"/admin/webhooks/{endpoint_id}"
    )
    for _ in range(2):
        _make_due(app)
        with app.app_context():
            deliver_due()
    assert _deliveries(app) == [(DeliveryState.FAILED, 3, [500, 500, 302])]  # a redirect fails
    with app.app_context():
        errors = db.session.scalars(sa.select(WebhookAttempt.error)).all()
    assert "not followed" in errors[-1]


def test_an_address_nobody_listens_on_is_logged_as_no_answer(app, login_as):
    admin = login_as(role=Role.ADMIN)
    _register(admin, "http://127.0.0.1:9/nothing", events=["import.finished"])
    with app.app_context():
        endpoint_id = db.session.scalar(sa.text("SELECT id FROM webhook_endpoints"))
    admin.submit(
        f"/admin/webhooks/{endpoint_id}/test", {}, token_from=f"/admin/webhooks/{endpoint_id}"
    )
    [(state, attempts, codes)] = _deliveries(app)
    assert (state, attempts, codes) == (DeliveryState.PENDING, 1, [None])
    assert "no answer" in admin.get(f"/admin/webhooks/{endpoint_id}").get_data(as_text=True)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.com/hook", "starts with http"),
        ("https://user:pw@example.com/hook", "user name and password"),
        ("https://example.com/hook#part", "fragment"),
        ("https://", "starts with http"),
        ("https://[::1/hook", "not a valid web address"),
    ],
)
def test_bad_addresses_are_refused_and_nothing_is_stored(app, login_as, url, message):
    admin = login_as(role=Role.ADMIN)
    data = {"url": url, "events": ["import.finished"], "is_active": "y"}
    page = admin.submit("/admin/webhooks/new", data, token_from="/admin/webhooks/new")
    assert page.status_code == 200 and message in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.text("SELECT count(*) FROM webhook_endpoints")) == 0


def test_no_event_is_refused_and_changes_are_audited(app, login_as, receiver):
    admin = login_as(role=Role.ADMIN)
    page = admin.submit(
        "/admin/webhooks/new",
        {"url": receiver.url, "is_active": "y"},
        token_from="/admin/webhooks/new",
    )
    assert "Choose at least one event." in page.get_data(as_text=True)
    secret = _register(admin, receiver.url, events=["dispute.opened"])
    with app.app_context():
        endpoint_id = db.session.scalar(sa.text("SELECT id FROM webhook_endpoints"))
    rotated = admin.submit(
        f"/admin/webhooks/{endpoint_id}/secret", {}, token_from=f"/admin/webhooks/{endpoint_id}"
    )
    new_secret = re.search(r"whsec_[A-Za-z0-9+/=]+", rotated.get_data(as_text=True)).group(0)
    assert new_secret != secret
    assert secret not in admin.get(f"/admin/webhooks/{endpoint_id}").get_data(as_text=True)
    admin.submit(
        f"/admin/webhooks/{endpoint_id}/delete", {}, token_from=f"/admin/webhooks/{endpoint_id}"
    )
    with app.app_context():
        webhook_events = AuditEvent.action == "webhook_changed"
        changes = db.session.scalars(
            sa.select(AuditEvent.detail).where(webhook_events).order_by(AuditEvent.id)
        ).all()
        assert [c["change"] for c in changes] == ["created", "secret rotated", "deleted"]
        assert all(secret not in str(c) and new_secret not in str(c) for c in changes)
        assert db.session.scalar(sa.text("SELECT count(*) FROM webhook_endpoints")) == 0


def test_a_paused_or_unsubscribed_endpoint_gets_nothing(app, login_as, org, receiver):
    admin = login_as(role=Role.ADMIN)
    _register(admin, receiver.url, events=["dispute.opened"])
    submitted_evaluation(login_as, org)  # not subscribed
    assert receiver.received == []
    with app.app_context():
        endpoint_id = db.session.scalar(sa.text("SELECT id FROM webhook_endpoints"))
    data = {"url": receiver.url, "events": ["evaluation.submitted"]}  # is_active unticked
    admin.submit(
        f"/admin/webhooks/{endpoint_id}", data, token_from=f"/admin/webhooks/{endpoint_id}"
    )
    submitted_evaluation(login_as, org, interaction_id=org.other_interaction_id)
    assert receiver.received == [] and _deliveries(app) == []
