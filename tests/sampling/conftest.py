"""Two teams, two reviewers, a published scorecard, and helpers to make and run sampling plans."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import count as counter

import pytest
import sqlalchemy as sa

from qa_app.accounts.models import Role, User
from qa_app.evaluations import services as evaluations
from qa_app.extensions import db
from qa_app.interactions.models import Channel, Interaction
from qa_app.sampling import services
from qa_app.sampling.models import Assignment, Period, SamplingPlan
from qa_app.scorecards.schema import SHIPPED_DIR, load_shipped_template
from qa_app.scorecards.services import import_doc

WEEK = date(2026, 3, 2)  # a Monday, in the past: assignments of that week are overdue
FUTURE_WEEK = date(2030, 1, 7)  # a Monday far ahead: nothing of that week is overdue
_numbers = counter(1)


@dataclass
class Org:
    lead: User
    other_lead: User
    team_id: int
    other_team_id: int
    agents: list[User]  # the first two in the lead's team, the third in the other team
    reviewers: list[User]
    admin: User
    scorecard_id: int
    version_id: int


@pytest.fixture
def org(app, make_user, make_team) -> Org:
    lead, other_lead = make_user(Role.LEAD), make_user(Role.LEAD)
    team = make_team("Billing", lead=lead)
    other_team = make_team("Technical", lead=other_lead)
    agents = [
        make_user(Role.AGENT, team=team, name="Ana Pop"),
        make_user(Role.AGENT, team=team, name="Bence Kovács"),
        make_user(Role.AGENT, team=other_team, name="Chloé Martin"),
    ]
    with app.app_context():
        doc = load_shipped_template(SHIPPED_DIR / "five-key-elements.yaml")
        version = import_doc(doc, None, publish_now=True)
        db.session.commit()
        scorecard_id, version_id = version.scorecard_id, version.id
    return Org(
        lead=lead,
        other_lead=other_lead,
        team_id=team.id,
        other_team_id=other_team.id,
        agents=agents,
        reviewers=[make_user(Role.REVIEWER, name="Reviewer One"), make_user(Role.REVIEWER)],
        admin=make_user(Role.ADMIN),
        scorecard_id=scorecard_id,
        version_id=version_id,
    )


def add_interactions(
    app, agent: User, count: int, week: date = WEEK, channel: Channel = Channel.CHAT
) -> list[int]:
    """Interactions of the agent spread over the week, oldest first; returns their ids."""
    ids = []
    with app.app_context():
        for n in range(count):
            at = datetime.combine(week, datetime.min.time(), tzinfo=UTC) + timedelta(
                hours=3 + 7 * n
            )
            interaction = Interaction(
                external_id=f"S-{next(_numbers)}",
                channel=channel,
                agent_id=agent.id,
                occurred_at=at,
            )
            db.session.add(interaction)
            db.session.flush()
            ids.append(interaction.id)
        db.session.commit()
    return ids


def plan_input(org: Org, **changes) -> services.PlanInput:
    values = {
        "name": "Weekly sample",
        "period": Period.WEEK,
        "per_agent": 2,
        "channel_quotas": {},
        "scorecard_id": org.scorecard_id,
        "team_ids": [org.team_id, org.other_team_id],
        "agent_ids": [],
        "reviewer_ids": [r.id for r in org.reviewers],
        "is_active": True,
        "seed": 1234,
        **changes,
    }
    return services.PlanInput(**values)


def make_plan(app, org: Org, **changes) -> int:
    with app.app_context():
        plan = services.save_plan(
            None, plan_input(org, **changes), db.session.get(User, org.admin.id)
        )
        db.session.commit()
        return plan.id


def run_plan(app, plan_id: int, day: date = WEEK) -> tuple[int, bool, int]:
    """Run a plan as the command line does; returns (run id, is new, assigned)."""
    with app.app_context():
        outcome = services.run_plan(db.session.get(SamplingPlan, plan_id), day, None)
        db.session.commit()
        return outcome.run.id, outcome.is_new, outcome.assigned


def assignments(app, plan_id: int) -> list[tuple[int, int, int]]:
    """(interaction id, agent id, reviewer id) of every assignment of the plan."""
    with app.app_context():
        stmt = (
            sa.select(Assignment.interaction_id, Interaction.agent_id, Assignment.reviewer_id)
            .join(Assignment.interaction)
            .where(Assignment.plan_id == plan_id)
            .order_by(Assignment.interaction_id)
        )
        return [tuple(row) for row in db.session.execute(stmt)]


def submit_evaluation(app, interaction_id: int, reviewer: User, version_id: int) -> int:
    """A submitted evaluation made through the evaluation services, not through the queue."""
    from qa_app.scorecards.models import ScorecardVersion

    with app.app_context():
        version = db.session.get(ScorecardVersion, version_id)
        evaluation = evaluations.start(
            db.session.get(Interaction, interaction_id), version, db.session.get(User, reviewer.id)
        )
        values = {c.id: evaluations.CriterionInput(4, False, "") for c in version.ordered_criteria}
        data = evaluations.EvaluationInput(values, "", "")
        evaluations.save(evaluation, data, evaluation.reviewer, submit=True, lock_version=None)
        db.session.commit()
        return evaluation.id
