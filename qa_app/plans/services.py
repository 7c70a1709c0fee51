"""Creating action plans from development areas, and measuring them against later scores."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from ..accounts.models import User
from ..errors import UserError
from ..extensions import db
from ..results.models import AgentDayCriterionStats
from ..results.periods import Filters
from ..results.services import CriterionRow, agent_results

__all__ = ["CriterionRow"]
from ..scorecards.models import Criterion
from ..scoring.plans import GoalProgress, PlanStatus, goal_status, plan_status
from .models import ActionGoal, ActionPlan, PlanNote

LOOKBACK_DAYS = 56


class PlanError(UserError):
    """A user-facing reason why a plan could not be saved."""


@dataclass(frozen=True)
class GoalInput:
    criterion_key: str
    criterion_name: str
    target_average: Decimal
    actions: str


def today() -> date:
    return datetime.now(UTC).date()


def default_period() -> Filters:
    """The period a plan looks back on when no results page named one: the last eight weeks."""
    end = today()
    return Filters("custom", end - timedelta(days=LOOKBACK_DAYS - 1), end)


def candidate_criteria(agent: User, filters: Filters | None = None) -> list[CriterionRow]:
    """The agent's criteria over the period (the last eight weeks by default), development
    areas first."""
    rows = agent_results(agent, filters or default_period()).criteria
    return sorted(rows, key=lambda r: (not r.is_development, r.name.casefold()))


def coaching_tips(keys: list[str]) -> dict[str, str]:
    """The newest coaching tips of each criterion key, to pre-fill a goal's actions."""
    if not keys:
        return {}
    stmt = (
        sa.select(Criterion.key, Criterion.coaching_tips)
        .where(Criterion.key.in_(keys))
        .order_by(Criterion.id)
    )
    return {key: tips for key, tips in db.session.execute(stmt)}


def save_plan(
    plan: ActionPlan | None,
    agent: User,
    author: User,
    *,
    title: str,
    starts_on: date,
    due_on: date,
    goals: list[GoalInput],
) -> ActionPlan:
    """Create or change a plan; at least one goal, a due date after the start."""
    if not goals:
        raise PlanError(_("Choose at least one criterion to work on."))
    if due_on < starts_on:
        raise PlanError(_("The due date must not be before the start date."))
    if any(not Decimal(1) <= g.target_average <= Decimal(5) for g in goals):
        raise PlanError(_("Targets are averages on the 1 to 5 scale."))
    if plan is None:
        plan = ActionPlan(agent_id=agent.id, created_by_id=author.id)
        db.session.add(plan)
    plan.title, plan.starts_on, plan.due_on = title.strip(), starts_on, due_on
    _replace_goals(plan, goals)
    db.session.flush()
    return plan


def _replace_goals(plan: ActionPlan, goals: list[GoalInput]) -> None:
    """Update the goals in place by criterion: a fresh row beside the old one would clash
    with the one-goal-per-criterion constraint (the unit of work inserts before it deletes)."""
    existing = {goal.criterion_key: goal for goal in plan.goals}
    kept = []
    for wanted in goals:
        goal = existing.get(wanted.criterion_key) or ActionGoal()
        for name, value in vars(wanted).items():
            setattr(goal, name, value)
        kept.append(goal)
    plan.goals = kept


def add_note(plan: ActionPlan, author: User, text: str) -> None:
    if not text.strip():
        raise PlanError(_("Write the note first."))
    db.session.add(PlanNote(plan=plan, author_id=author.id, text=text.strip()))
    db.session.flush()


def acknowledge(plan: ActionPlan) -> None:
    if plan.acknowledged_at is None:
        plan.acknowledged_at = datetime.now(UTC)
        db.session.flush()


@dataclass(frozen=True)
class GoalView:
    goal: ActionGoal
    average: float | None
    scores: int
    status: PlanStatus


Measured = dict[tuple[int, str], tuple[float, int]]


def _measured_days(on: date) -> sa.ColumnElement[bool]:
    """The agent's daily stats on a goal's criterion within its plan's dates, up to `on`."""
    stats = AgentDayCriterionStats
    return sa.and_(
        stats.agent_id == ActionPlan.agent_id,
        stats.criterion_key == ActionGoal.criterion_key,
        stats.day >= ActionPlan.starts_on,
        stats.day <= ActionPlan.due_on,
        stats.day <= on,
    )


def goal_averages(plans: Sequence[ActionPlan], on: date) -> Measured:
    """(plan id, criterion key) -> (average, scores) of every goal of the plans, in one query.

    A goal counts the scores from its plan's start to its due date, and none after `on`.
    """
    if not plans:
        return {}
    stats = AgentDayCriterionStats
    stmt = (
        sa.select(
            ActionGoal.plan_id,
            ActionGoal.criterion_key,
            sa.func.sum(stats.scores).label("n"),
            sa.func.sum(stats.value_sum).label("total"),
        )
        .join(ActionPlan, ActionPlan.id == ActionGoal.plan_id)
        .join(stats, _measured_days(on))
        .where(ActionGoal.plan_id.in_([plan.id for plan in plans]))
        .group_by(ActionGoal.plan_id, ActionGoal.criterion_key)
    )
    return {
        (row.plan_id, row.criterion_key): (float(row.total) / float(row.n), int(row.n))
        for row in db.session.execute(stmt)
        if row.n
    }


def statuses(plans: Sequence[ActionPlan], on: date | None = None) -> dict[int, PlanStatus]:
    """Plan id -> the plan's overall status, for a page of plans."""
    on = on or today()
    measured = goal_averages(plans, on)
    return {plan.id: progress(plan, on, measured)[0] for plan in plans}


def progress(
    plan: ActionPlan, on: date | None = None, measured: Measured | None = None
) -> tuple[PlanStatus, list[GoalView]]:
    """Each goal's average since the plan started (to its due date) and the statuses."""
    on = on or today()
    if measured is None:
        measured = goal_averages([plan], on)
    views = []
    for goal in plan.goals:
        average, scores = measured.get((plan.id, goal.criterion_key), (None, 0))
        found = GoalProgress(float(goal.target_average), average, scores)
        views.append(GoalView(goal, average, scores, goal_status(found, on, plan.due_on)))
    overall = plan_status(
        [GoalProgress(float(v.goal.target_average), v.average, v.scores) for v in views],
        on,
        plan.due_on,
    )
    return overall, views
