"""List pages run as many SQL statements with 8 rows as with 2: no query per row (N+1).

To cover a new page, add a grower (a function that adds n rows the page lists) and a line to PAGES.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import count
from typing import Any

import pytest

from qa_app.accounts.models import Role, User
from qa_app.audit.models import AuditAction
from qa_app.audit.services import record_event
from qa_app.autoqa.models import AutoResult, AutoSuggestion
from qa_app.calibration.models import CalibrationSession
from qa_app.disputes.models import Dispute
from qa_app.evaluations import services as evaluations
from qa_app.evaluations.models import Evaluation
from qa_app.extensions import db
from qa_app.interactions.models import Channel, Interaction, InteractionSignal, SignalKind
from qa_app.plans.models import ActionGoal, ActionPlan
from qa_app.rules import Outcome
from qa_app.sampling.models import Assignment, SamplingPlan, SamplingQuota, SamplingRun
from qa_app.scorecards.models import ScorecardVersion
from qa_app.scorecards.schema import SHIPPED_DIR, load_shipped_template
from qa_app.scorecards.services import import_doc
from qa_app.self_reviews.services import request_self_review

SMALL, LARGE = 2, 8


@dataclass
class World:
    """A lead with one team and an agent, a reviewer, an admin and a published scorecard."""

    app: Any
    make_user: Callable[..., User]
    make_team: Callable[..., Any]
    users: dict[str, User]
    version_id: int
    scorecard_id: int
    numbers: Any = field(default_factory=lambda: count(1))

    def add(self, *rows: Any) -> None:
        with self.app.app_context():
            db.session.add_all(rows)
            db.session.commit()

    def interaction(self) -> int:
        """A new interaction of the agent; returns its id."""
        n = next(self.numbers)
        at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC) + timedelta(minutes=n)
        agent_id = self.users["agent"].id
        row = Interaction(
            external_id=f"Q-{n}", channel=Channel.CALL, agent_id=agent_id, occurred_at=at
        )
        with self.app.app_context():
            db.session.add(row)
            db.session.commit()
            return row.id

    def evaluation(self) -> int:
        """A submitted evaluation of a new interaction of the agent, by the reviewer."""
        interaction_id = self.interaction()
        with self.app.app_context():
            version = db.session.get(ScorecardVersion, self.version_id)
            reviewer = db.session.get(User, self.users["reviewer"].id)
            evaluation = evaluations.start(
                db.session.get(Interaction, interaction_id), version, reviewer
            )
            values = {
                c.id: evaluations.CriterionInput(4, False, "") for c in version.ordered_criteria
            }
            data = evaluations.EvaluationInput(values, "", "")
            evaluations.save(evaluation, data, reviewer, submit=True, lock_version=None)
            db.session.commit()
            return evaluation.id


@pytest.fixture
def world(app, make_user, make_team) -> World:
    lead = make_user(Role.LEAD)
    team = make_team("Team 0", lead=lead)
    users = {
        "lead": lead,
        "agent": make_user(Role.AGENT, team=team),
        "reviewer": make_user(Role.REVIEWER),
        "admin": make_user(Role.ADMIN),
    }
    with app.app_context():
        version = import_doc(
            load_shipped_template(SHIPPED_DIR / "five-key-elements.yaml"), None, publish_now=True
        )
        db.session.commit()
        ids = version.id, version.scorecard_id
    return World(app, make_user, make_team, users, *ids)


def add_teams(world: World, n: int) -> None:
    """Teams with their own lead and one agent each."""
    for _ in range(n):
        team = world.make_team(f"Team {next(world.numbers)}", lead=world.make_user(Role.LEAD))
        world.make_user(Role.AGENT, team=team)


def add_led_teams(world: World, n: int) -> None:
    """More teams for the same lead, one agent each."""
    for _ in range(n):
        team = world.make_team(f"Team {next(world.numbers)}", lead=world.users["lead"])
        world.make_user(Role.AGENT, team=team)


def add_action_plans(world: World, n: int, due_in: int = 20) -> None:
    """Running plans (started, not due yet) for the lead's agent, two goals each."""
    today = datetime.now(UTC).date()
    for _ in range(n):
        goals = [ActionGoal(criterion_key=k, criterion_name=k, actions="") for k in ("a", "b")]
        plan = ActionPlan(
            agent_id=world.users["agent"].id,
            created_by_id=world.users["lead"].id,
            title=f"Plan {next(world.numbers)}",
            starts_on=today - timedelta(days=10),
            due_on=today + timedelta(days=due_in),
            goals=goals,
        )
        world.add(plan)


def add_plans_due_soon(world: World, n: int) -> None:
    """Running plans due within the fortnight the lead's home page lists."""
    add_action_plans(world, n, due_in=5)


def _sampling_plan(world: World) -> SamplingPlan:
    return SamplingPlan(
        name=f"Sample {next(world.numbers)}",
        scorecard_id=world.scorecard_id,
        seed=1,
        quotas=[SamplingQuota(channel=Channel.CALL, count=1)],
    )


def add_sampling_plans(world: World, n: int) -> None:
    world.add(*(_sampling_plan(world) for _ in range(n)))


def add_assignments(world: World, n: int) -> None:
    """Open assignments of the reviewer, each from its own plan and run."""
    for _ in range(n):
        plan = _sampling_plan(world)
        run = SamplingRun(plan=plan, period_start=date(2026, 3, 2), period_end=date(2026, 3, 8))
        run.seed = 1
        assignment = Assignment(
            run=run,
            plan=plan,
            interaction_id=world.interaction(),
            reviewer_id=world.users["reviewer"].id,
            due_at=datetime(2030, 1, 1, tzinfo=UTC),
        )
        world.add(plan, run, assignment)


def add_evaluations(world: World, n: int) -> None:
    for _ in range(n):
        world.evaluation()


def add_disputes(world: World, n: int) -> None:
    """Open disputes on the whole evaluation, raised by the agent."""
    for _ in range(n):
        evaluation_id = world.evaluation()
        agent_id = world.users["agent"].id
        world.add(Dispute(evaluation_id=evaluation_id, raised_by_id=agent_id, reason="No."))


def add_interactions(world: World, n: int) -> None:
    """Interactions with two signals each: their chips come from one query for the page."""
    for _ in range(n):
        interaction_id = world.interaction()
        for kind in (SignalKind.LOW_CSAT, SignalKind.REPEAT_CONTACT):
            world.add(InteractionSignal(interaction_id=interaction_id, kind=kind, figure=1))


def add_calibration_sessions(world: World, n: int) -> None:
    for _ in range(n):
        session = CalibrationSession(
            name=f"Session {next(world.numbers)}",
            scorecard_version_id=world.version_id,
            leader_id=world.users["reviewer"].id,
            deadline=datetime(2030, 1, 1, tzinfo=UTC),
        )
        world.add(session)


def add_auto_pairs(world: World, n: int) -> None:
    """Evaluated interactions with a rule's point on every criterion, one in two disagreeing."""
    for _ in range(n):
        evaluation_id = world.evaluation()
        with world.app.app_context():
            evaluation = db.session.get(Evaluation, evaluation_id)
            point = 2 if evaluation_id % 2 else 4  # the reviewer gave 4 everywhere
            suggestions = [
                AutoSuggestion(criterion_id=s.criterion_id, outcome=Outcome.POINT, point=point)
                for s in evaluation.scores
            ]
            db.session.add(
                AutoResult(
                    interaction_id=evaluation.interaction_id,
                    scorecard_version_id=evaluation.scorecard_version_id,
                    suggestions=suggestions,
                )
            )
            db.session.commit()


def add_self_reviews(world: World, n: int) -> None:
    """Open self-reviews of the agent, each on a new interaction."""
    for _ in range(n):
        interaction_id = world.interaction()
        with world.app.app_context():
            request_self_review(
                db.session.get(Interaction, interaction_id),
                db.session.get(ScorecardVersion, world.version_id),
                db.session.get(User, world.users["reviewer"].id),
            )
            db.session.commit()


def add_audit_events(world: World, n: int) -> None:
    """Audit events of several actors."""
    with world.app.app_context():
        for _ in range(n):
            k = next(world.numbers)
            record_event(AuditAction.USER_CHANGED, target=f"user {k}", actor=f"a{k}@x.test")
        db.session.commit()


@dataclass(frozen=True)
class Page:
    role: str
    path: str
    grow: Callable[[World, int], None]


PAGES = {
    "admin teams": Page("admin", "/admin/teams", add_teams),
    "action plans": Page("lead", "/plans/", add_action_plans),
    "sampling plans": Page("reviewer", "/sampling/", add_sampling_plans),
    "my queue": Page("reviewer", "/sampling/queue", add_assignments),
    "spotlight hit rate": Page(
        "admin", "/sampling/hit-rate?from=2026-03-01&to=2026-03-31", add_assignments
    ),
    "results of a lead with several teams": Page("lead", "/results/", add_led_teams),
    "evaluations": Page("admin", "/evaluations/", add_evaluations),
    "disputes": Page("admin", "/disputes", add_disputes),
    "evaluations to review": Page("admin", "/reviews", add_evaluations),
    "interactions": Page("admin", "/interactions", add_interactions),
    "calibration sessions": Page("admin", "/calibration/", add_calibration_sessions),
    "self-reviews to do": Page("agent", "/my/self-reviews", add_self_reviews),
    "self-reviews": Page("lead", "/self-reviews/", add_self_reviews),
    "auto QA trust": Page(
        "reviewer", "/autoqa/trust?from=2026-03-01&to=2026-03-31", add_auto_pairs
    ),
    "notifications": Page("agent", "/notifications/", add_evaluations),  # one per evaluation
    "audit log": Page("admin", "/privacy/audit", add_audit_events),
    # Home pages: short lists of what waits, and the menu's counts in one statement.
    "reviewer home: queue": Page("reviewer", "/", add_assignments),
    "reviewer home: disputes": Page("reviewer", "/", add_disputes),
    "lead home: teams and agents": Page("lead", "/", add_led_teams),
    "lead home: plans due": Page("lead", "/", add_plans_due_soon),
    "agent home: scorecards and disputes": Page("agent", "/", add_disputes),
    "admin home: teams": Page("admin", "/", add_teams),
}


@pytest.mark.parametrize("name", PAGES)
def test_list_page_runs_the_same_statements_for_more_rows(
    name: str, world: World, login_as, count_queries
) -> None:
    page = PAGES[name]
    client = login_as(user=world.users[page.role])
    page.grow(world, SMALL)
    small = count_queries(client, page.path)
    page.grow(world, LARGE - SMALL)
    large = count_queries(client, page.path)
    extra = "\n".join(statement[:150] for statement in large[len(small) :][:5])
    assert len(large) == len(small), (
        f"{name}: {len(small)} statements with {SMALL} rows, {len(large)} with {LARGE}:\n{extra}"
    )
