"""The bell, the list and marking read; who is told of disputes, sessions, plans and queues."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from qa_app.accounts.models import User
from qa_app.calibration.services import SessionInput, create_session
from qa_app.database import utcnow
from qa_app.extensions import db
from qa_app.notifications.models import Notification, NotificationKind
from qa_app.plans.models import ActionPlan
from qa_app.plans.services import today
from qa_app.sampling.models import Assignment, Period, SamplingPlan, SamplingRun
from qa_app.scorecards.models import ScorecardVersion
from tests.evaluations.test_agent_and_disputes import _dispute, submitted_evaluation

Kind = NotificationKind


def told(app) -> set[tuple[int, Kind]]:
    with app.app_context():
        rows = db.session.execute(sa.select(Notification.recipient_id, Notification.kind))
        return {(user_id, kind) for user_id, kind in rows}


def test_the_bell_counts_unread_and_the_list_marks_them_read(app, login_as, org):
    evaluation_id = submitted_evaluation(login_as, org)
    agent = login_as(user=org.agent)
    page = agent.get("/my/scorecards").get_data(as_text=True)
    assert 'class="badge">1<' in page  # the bell, on every page
    listing = agent.get("/notifications/").get_data(as_text=True)
    assert f'href="/evaluations/{evaluation_id}"' in listing
    with app.app_context():
        own = db.session.scalar(sa.select(Notification.id))
    other = login_as(user=org.other_agent)
    assert f"/evaluations/{evaluation_id}" not in other.get("/notifications/").get_data(True)
    for guessed in (own, own + 1, 999):
        response = other.submit(f"/notifications/{guessed}/read", token_from="/")
        assert response.status_code == 404  # another's notification, as an unknown one
    assert agent.submit(f"/notifications/{own}/read", token_from="/").status_code == 302
    assert 'class="badge"' not in agent.get("/notifications/").get_data(as_text=True)


def test_mark_all_read(app, login_as, org):
    submitted_evaluation(login_as, org)
    agent = login_as(user=org.agent)
    agent.submit("/notifications/read-all", token_from="/")
    with app.app_context():
        unread = sa.select(sa.func.count()).where(Notification.read_at.is_(None))
        assert db.session.scalar(unread) == 0


def test_a_dispute_tells_the_lead_and_the_deciders_and_its_decision_the_agent(
    app, login_as, org, make_user
):
    evaluation_id = submitted_evaluation(login_as, org)
    _dispute(login_as(user=org.agent), evaluation_id, org)
    opened = told(app) - {(org.agent.id, Kind.EVALUATION_SUBMITTED)}
    assert opened == {
        (org.lead.id, Kind.DISPUTE_OPENED),
        (org.second_reviewer.id, Kind.DISPUTE_WAITING),  # never the evaluation's own reviewer
    }
    with app.app_context():
        dispute_id = db.session.scalar(
            sa.select(Notification.object_id).where(Notification.kind == Kind.DISPUTE_OPENED)
        )
    decider = login_as(user=org.second_reviewer)
    decider.submit(f"/disputes/{dispute_id}", {"note": "The score stands."}, token_from="/")
    assert (org.agent.id, Kind.DISPUTE_DECIDED) in told(app)
    listing = login_as(user=org.agent).get("/notifications/").get_data(as_text=True)
    assert listing.count(f'href="/evaluations/{evaluation_id}"') == 2


def test_sessions_plans_and_queues_tell_the_people_in_them(app, org, runner):
    with app.app_context():
        leader = db.session.get(User, org.reviewer.id)
        closing = SessionInput(
            "Week 12",
            org.version_id,
            ["CALL-1001"],
            [org.reviewer.id, org.second_reviewer.id],
            None,
            utcnow() + timedelta(hours=5),
        )
        create_session(leader, closing)
        plan = ActionPlan(
            agent_id=org.agent.id,
            created_by_id=org.lead.id,
            title="Greeting",
            starts_on=today() - timedelta(days=10),
            due_on=today() + timedelta(days=2),
        )
        db.session.add(plan)
        db.session.commit()
    assert told(app) == {(org.second_reviewer.id, Kind.CALIBRATION_OPENED)}  # not its leader
    for _ in range(2):  # reminders are made once
        runner.invoke(args=["notifications", "send-due"])
    assert told(app) == {
        (org.second_reviewer.id, Kind.CALIBRATION_OPENED),
        (org.reviewer.id, Kind.CALIBRATION_CLOSING),
        (org.second_reviewer.id, Kind.CALIBRATION_CLOSING),
        (org.agent.id, Kind.PLAN_DUE),
        (org.lead.id, Kind.PLAN_DUE),
    }
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Notification.id))) == 5


def test_a_sampling_run_tells_each_reviewer_once(app, org):
    with app.app_context():
        version = db.session.get(ScorecardVersion, org.version_id)
        plan = SamplingPlan(
            name="Weekly", period=Period.WEEK, scorecard_id=version.scorecard_id, seed=1
        )
        run = SamplingRun(plan=plan, period_start=today(), period_end=today(), seed=1)
        db.session.add_all(
            Assignment(
                run=run,
                plan=plan,
                interaction_id=interaction_id,
                reviewer_id=org.reviewer.id,
                due_at=utcnow(),
            )
            for interaction_id in (org.interaction_id, org.other_interaction_id)
        )
        db.session.commit()
    assert told(app) == {(org.reviewer.id, Kind.QUEUE_ITEMS)}
