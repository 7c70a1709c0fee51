"""Acknowledge and appeal deadlines: reminders a day before, overdue acknowledgements for leads."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from qa_app.database import utcnow
from qa_app.evaluations.models import Evaluation
from qa_app.extensions import db
from qa_app.notifications.models import Notification, NotificationKind
from tests.evaluations.test_agent_and_disputes import submitted_evaluation

Kind = NotificationKind


def _age(app, evaluation_id: int, days: float) -> None:
    with app.app_context():
        evaluation = db.session.get(Evaluation, evaluation_id)
        evaluation.submitted_at = utcnow() - timedelta(days=days)
        db.session.commit()


def _reminders(app) -> set[Kind]:
    with app.app_context():
        stmt = sa.select(Notification.kind).where(Notification.kind != Kind.EVALUATION_SUBMITTED)
        return set(db.session.scalars(stmt))


def test_agents_are_reminded_a_day_before_each_deadline(app, login_as, org, runner):
    evaluation_id = submitted_evaluation(login_as, org)
    _age(app, evaluation_id, 6.5)  # acknowledge within 7 days (the default)
    runner.invoke(args=["notifications", "send-due"])
    assert _reminders(app) == {Kind.ACKNOWLEDGE_DUE}
    _age(app, evaluation_id, 13.5)  # dispute within 14 days (the default)
    runner.invoke(args=["notifications", "send-due"])
    runner.invoke(args=["notifications", "send-due"])
    assert _reminders(app) == {Kind.ACKNOWLEDGE_DUE, Kind.APPEAL_CLOSING}
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Notification.id))) == 3  # each once


def test_an_acknowledged_evaluation_gets_no_reminder(app, login_as, org, runner):
    evaluation_id = submitted_evaluation(login_as, org)
    login_as(user=org.agent).submit(f"/evaluations/{evaluation_id}/acknowledge", token_from="/")
    _age(app, evaluation_id, 6.5)
    runner.invoke(args=["notifications", "send-due"])
    assert _reminders(app) == set()


def test_the_lead_sees_overdue_acknowledgements_of_their_team_only(app, login_as, org):
    evaluation_id = submitted_evaluation(login_as, org)
    link = f'href="/evaluations/{evaluation_id}"'
    lead = login_as(user=org.lead)
    assert link not in lead.get("/").get_data(as_text=True)  # not late yet
    _age(app, evaluation_id, 8)
    home = lead.get("/").get_data(as_text=True)
    assert link in home and "Maria Ionescu" in home
    other = login_as(user=org.other_lead).get("/").get_data(as_text=True)
    assert link not in other and "Maria Ionescu" not in other


def test_the_admin_sets_the_acknowledgement_days(app, login_as, org):
    evaluation_id = submitted_evaluation(login_as, org)
    _age(app, evaluation_id, 3)
    admin = login_as("admin")
    data = {"acknowledge_within_days": "2"}
    assert admin.submit("/notifications/settings", data, token_from="/").status_code == 302
    assert "Maria Ionescu" in login_as(user=org.lead).get("/").get_data(as_text=True)
    refused = admin.submit(
        "/notifications/settings", {"acknowledge_within_days": "0"}, token_from="/"
    )
    assert refused.status_code == 200 and "Use 1 to 365 days." in refused.get_data(as_text=True)
