"""The demo's spotlight sampling plan: weekly runs over the last weeks, then the evaluations.

A plan on the scorecard made for every channel draws, per agent and week, two interactions at
random and one by its signals (docs/spotlight.md). Its reviewer evaluates what it drew, except
the last days' assignments, which wait in her queue with their chips. What the plan did not draw
is evaluated by hand as before, so the results pages show both halves of the honest score.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from ..accounts.models import Role, User
from ..evaluations.models import PickReason
from ..extensions import db
from ..interactions.models import Channel, Interaction
from ..sampling import services as sampling
from ..sampling.forms import DEFAULT_WEIGHTS
from ..sampling.models import Assignment, Period, SamplingPlan
from ..scorecards.models import ScorecardVersion, Status
from .activity import SAMPLED_DAYS, Leftover, evaluate, one_dispute, versions_by_channel

PLAN_NAME = "Weekly spotlight sample"
EVERY_CHANNEL = {channel.value for channel in Channel}  # the plan's scorecard is made for each
# The plan's only reviewer: the other one's queue stays empty (the browser journeys need it so).
PLAN_REVIEWER = "Andreea Popescu"
WAITING_DAYS = 5  # assignments of interactions this recent are not evaluated yet
# The demo's conversations that signals point at are made a little weaker, as such ones are.
TARGETED_SKILL_DROP = 0.5


def seed_spotlight(left: Leftover, seed: int = 2027) -> None:
    """The plan, its weekly runs, and the evaluations of the last weeks (after the signals)."""
    rng = random.Random(seed)
    plan = _plan(left.reviewers)
    today = sampling.today()
    for weeks_back in range(SAMPLED_DAYS // 7 - 1, -1, -1):  # weeks wholly inside those days
        sampling.run_plan(plan, today - timedelta(weeks=weeks_back), None)
    assigned = _evaluate_assignments(rng, plan, left)
    versions = versions_by_channel()
    for interaction in left.to_evaluate:
        if interaction.id not in assigned:
            version = versions[interaction.channel.value]
            evaluate(rng, interaction, version, left.reviewers, left.skills[interaction.agent_id])
    db.session.flush()
    first_agent = db.session.get(User, min(left.skills))
    if first_agent is not None:
        one_dispute(first_agent)


def _plan(reviewers: list[User]) -> SamplingPlan:
    stmt = sa.select(ScorecardVersion).where(ScorecardVersion.status == Status.PUBLISHED)
    scorecard_id = next(
        v.scorecard_id for v in db.session.scalars(stmt) if set(v.channels) == EVERY_CHANNEL
    )
    reviewer = next(r for r in reviewers if r.display_name == PLAN_REVIEWER)
    data = sampling.PlanInput(
        name=PLAN_NAME,
        period=Period.WEEK,
        per_agent=2,
        channel_quotas={},
        scorecard_id=scorecard_id,
        team_ids=[],
        agent_ids=list(db.session.scalars(sa.select(User.id).where(User.role == Role.AGENT))),
        reviewer_ids=[reviewer.id],
        is_active=True,
        seed=2026,
        targeted_per_agent=1,
        signal_weights={kind.value: weight for kind, weight in DEFAULT_WEIGHTS.items()},
    )
    return sampling.save_plan(None, data, reviewer)


def _evaluate_assignments(rng: random.Random, plan: SamplingPlan, left: Leftover) -> set[int]:
    """Evaluate the plan's assignments but the most recent; the ids of every assigned one."""
    version = sampling.published_version(plan.scorecard_id)
    assert version is not None
    stmt = (
        sa.select(Assignment, Interaction)
        .join(Assignment.interaction)
        .where(Assignment.plan_id == plan.id)
        .order_by(Assignment.id)
    )
    newest = datetime.now(UTC) - timedelta(days=WAITING_DAYS)
    assigned = set()
    for assignment, interaction in db.session.execute(stmt):
        assigned.add(interaction.id)
        if interaction.occurred_at > newest:
            continue
        skill = left.skills[interaction.agent_id]
        if assignment.picked == PickReason.TARGETED:
            skill -= TARGETED_SKILL_DROP
        evaluate(rng, interaction, version, [assignment.reviewer], skill)
    return assigned
