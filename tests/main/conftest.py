"""Two teams with their work in flight, for the home page and menu tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial

import pytest

from qa_app.accounts.models import Role, User
from qa_app.calibration.models import CalibrationSession
from qa_app.disputes.models import Dispute
from qa_app.evaluations import services as evaluations
from qa_app.extensions import db
from qa_app.interactions.models import Channel, Interaction
from qa_app.plans.models import ActionGoal, ActionPlan
from qa_app.sampling.models import Assignment, SamplingPlan, SamplingQuota, SamplingRun
from qa_app.scorecards.models import ScorecardVersion
from qa_app.scorecards.schema import SHIPPED_DIR, load_shipped_template
from qa_app.scorecards.services import import_doc
from tests.snapshots import kept


@dataclass
class Org:
    admin: User
    reviewer: User
    lead: User  # leads "Billing": anna (struggling) and bela
    anna: User
    bela: User
    other_lead: User  # leads "Support": cili
    cili: User
    version_id: int
    plan_title: str = "Warmer greetings"
    session_name: str = "March calibration"


def _interaction(agent: User, n: int, days_ago: int) -> Interaction:
    at = datetime.now(UTC) - timedelta(days=days_ago, minutes=n)
    row = Interaction(external_id=f"H-{n}", channel=Channel.CALL, agent_id=agent.id, occurred_at=at)
    db.session.add(row)
    db.session.flush()
    return row


def _evaluate(interaction: Interaction, version: ScorecardVersion, reviewer: User, point: int):
    evaluation = evaluations.start(interaction, version, reviewer)
    values = {c.id: evaluations.CriterionInput(point, False, "") for c in version.ordered_criteria}
    data = evaluations.EvaluationInput(values, "", "")
    submit = point > 0
    if not submit:  # a draft: nothing scored yet
        data = evaluations.EvaluationInput({}, "", "")
    evaluations.save(evaluation, data, reviewer, submit=submit, lock_version=None)
    return evaluation


def _seed(org: Org) -> None:
    version = db.session.get(ScorecardVersion, org.version_id)
    reviewer = db.session.get(User, org.reviewer.id)
    anna, bela, cili = (db.session.get(User, u.id) for u in (org.anna, org.bela, org.cili))
    n = iter(range(1, 1000))
    for days_ago in (2, 3, 4):  # anna: three low scores make development areas
        _evaluate(_interaction(anna, next(n), days_ago), version, reviewer, 2)
    for days_ago in (2, 3, 10):  # 8 days apart: two ISO weeks whatever today is, so a trend
        _evaluate(_interaction(bela, next(n), days_ago), version, reviewer, 5)
    disputed = _evaluate(_interaction(cili, next(n), 2), version, reviewer, 3)
    db.session.add(Dispute(evaluation_id=disputed.id, raised_by_id=cili.id, reason="Unfair."))
    anna_latest = _evaluate(_interaction(anna, next(n), 1), version, reviewer, 3)
    db.session.add(Dispute(evaluation_id=anna_latest.id, raised_by_id=anna.id, reason="No."))
    _evaluate(_interaction(bela, next(n), 1), version, reviewer, 0)  # the reviewer's draft
    plan = SamplingPlan(
        name="Weekly",
        scorecard_id=version.scorecard_id,
        seed=1,
        quotas=[SamplingQuota(channel=Channel.CALL, count=1)],
    )
    run = SamplingRun(plan=plan, period_start=date(2026, 3, 2), period_end=date(2026, 3, 8))
    run.seed = 1
    queued = _interaction(bela, next(n), 0)
    due = datetime.now(UTC) + timedelta(days=3)
    queue = Assignment(run=run, plan=plan, interaction_id=queued.id, due_at=due)
    queue.reviewer_id = reviewer.id
    db.session.add(queue)
    session = CalibrationSession(
        name=org.session_name,
        scorecard_version_id=version.id,
        leader_id=org.admin.id,
        deadline=datetime.now(UTC) + timedelta(days=5),
        interactions=[_interaction(bela, next(n), 6)],
        participants=[reviewer],
    )
    today = datetime.now(UTC).date()
    goal = ActionGoal(criterion_key="greeting", criterion_name="Greeting", actions="")
    db.session.add_all(
        [
            session,
            ActionPlan(
                agent_id=anna.id,
                created_by_id=org.lead.id,
                title=org.plan_title,
                starts_on=today - timedelta(days=7),
                due_on=today + timedelta(days=7),
                goals=[goal],
            ),
        ]
    )
    db.session.commit()


@pytest.fixture
def org(app, make_user, make_team, made, config_overrides) -> Org:
    """Made once per test process and day (tests/snapshots.py): its times count back from now,
    and what the pages say of them (days ago, this week, due) changes only with the date."""
    name = f"home-org-{datetime.now(UTC):%Y-%m-%d}"
    return kept(app, name, partial(_org, app, make_user, make_team), made, config_overrides)


def _org(app, make_user, make_team) -> Org:
    lead, other_lead = make_user(Role.LEAD, name="Lena Lead"), make_user(Role.LEAD, name="Olga")
    billing, support = make_team("Billing", lead=lead), make_team("Support", lead=other_lead)
    with app.app_context():
        version = import_doc(
            load_shipped_template(SHIPPED_DIR / "five-key-elements.yaml"), None, publish_now=True
        )
        db.session.commit()
        version_id = version.id
    found = Org(
        admin=make_user(Role.ADMIN, name="Ada Admin"),
        reviewer=make_user(Role.REVIEWER, name="Rita Reviewer"),
        lead=lead,
        anna=make_user(Role.AGENT, name="Anna Agent", team=billing),
        bela=make_user(Role.AGENT, name="Bela Agent", team=billing),
        other_lead=other_lead,
        cili=make_user(Role.AGENT, name="Cili Support", team=support),
        version_id=version_id,
    )
    with app.app_context():
        _seed(found)
    return found
