"""Reads of the home pages: short lists of what waits, and the few figures they show.

The long lists and the counts belong to their slices; a home page takes their selects, keeps
the first rows and reads the totals the menu has already counted (docs/navigation.md).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..accounts.access import agents_led_by
from ..accounts.models import Role, Team, User, team_members
from ..calibration.queries import awaiting_scores
from ..disputes.models import Dispute
from ..disputes.services import open_disputes_for
from ..evaluations.models import Evaluation, EvaluationStatus
from ..evaluations.queries import own_drafts, unread_by
from ..extensions import db
from ..interactions.models import Interaction
from ..plans.models import ActionPlan
from ..results.models import AgentDayCriterionStats
from ..results.periods import Filters
from ..results.queries import filtered
from ..sampling.models import Assignment
from ..sampling.queries import queue
from ..scorecards.models import ScorecardVersion, Status

SHOWN = 5  # rows of each list on a home page; its page holds the rest
PLAN_DUE_DAYS = 14  # a running plan due within this many days needs the lead's eye


def first_rows(stmt: sa.Select[Any], *options: Any) -> list[Any]:
    return list(db.session.scalars(stmt.options(*options).limit(SHOWN)))


def queue_head(reviewer: User) -> list[Assignment]:
    return first_rows(queue(reviewer))  # the queue's own select loads interaction and agent


def drafts_head(reviewer: User) -> list[Evaluation]:
    return first_rows(
        own_drafts(reviewer), selectinload(Evaluation.interaction).selectinload(Interaction.agent)
    )


def sessions_head(user: User) -> list[Any]:
    return first_rows(awaiting_scores(user))


def disputes_head(user: User) -> list[Dispute]:
    loads = selectinload(Dispute.evaluation).selectinload(Evaluation.interaction)
    return first_rows(open_disputes_for(user), loads.selectinload(Interaction.agent))


def unread_head(agent: User) -> list[Evaluation]:
    return first_rows(unread_by(agent), selectinload(Evaluation.interaction))


def own_disputes(agent: User) -> list[Dispute]:
    """The disputes the agent raised, newest first, with how they ended."""
    stmt = sa.select(Dispute).where(Dispute.raised_by_id == agent.id)
    stmt = stmt.order_by(Dispute.created_at.desc(), Dispute.id.desc())
    return first_rows(stmt, selectinload(Dispute.evaluation).selectinload(Evaluation.interaction))


def current_plan(agent: User, today: date) -> ActionPlan | None:
    """The agent's running plan that is due first."""
    stmt = sa.select(ActionPlan).where(
        ActionPlan.agent_id == agent.id,
        ActionPlan.starts_on <= today,
        ActionPlan.due_on >= today,
    )
    stmt = stmt.order_by(ActionPlan.due_on, ActionPlan.id).options(selectinload(ActionPlan.goals))
    return db.session.scalars(stmt.limit(1)).first()


def plans_due(lead: User, today: date) -> list[ActionPlan]:
    """Running plans of the lead's agents due within PLAN_DUE_DAYS, soonest first."""
    stmt = sa.select(ActionPlan).where(
        ActionPlan.agent_id.in_(agents_led_by(lead)),
        ActionPlan.starts_on <= today,
        ActionPlan.due_on >= today,
        ActionPlan.due_on <= today + timedelta(days=PLAN_DUE_DAYS),
    )
    stmt = stmt.order_by(ActionPlan.due_on, ActionPlan.id)
    loads = (selectinload(ActionPlan.agent), selectinload(ActionPlan.goals))
    return list(db.session.scalars(stmt.options(*loads)))


def led_teams(lead: User) -> list[Team]:
    stmt = sa.select(Team).where(Team.lead_id == lead.id).order_by(Team.name)
    return list(db.session.scalars(stmt.options(selectinload(Team.agents))))


@dataclass(frozen=True)
class Averages:
    """Criterion key -> (average 1-5, values given), per agent and per team."""

    by_agent: dict[int, dict[str, tuple[float, int]]]
    by_team: dict[int, dict[str, float]]


def criterion_averages(filters: Filters, lead: User) -> Averages:
    """Per-criterion averages of each of the lead's agents and of each of their teams."""
    model = AgentDayCriterionStats
    sums = (sa.func.sum(model.scores).label("n"), sa.func.sum(model.value_sum).label("total"))
    led = agents_led_by(lead)
    per_agent = filtered(sa.select(model.agent_id, model.criterion_key, *sums), model, filters, led)
    by_agent: dict[int, dict[str, tuple[float, int]]] = defaultdict(dict)
    for row in db.session.execute(per_agent.group_by(model.agent_id, model.criterion_key)):
        if row.n:
            by_agent[row.agent_id][row.criterion_key] = (float(row.total) / row.n, int(row.n))
    team = team_members.c.team_id
    per_team = filtered(sa.select(team, model.criterion_key, *sums), model, filters, led)
    per_team = per_team.join(team_members, team_members.c.agent_id == model.agent_id)
    by_team: dict[int, dict[str, float]] = defaultdict(dict)
    for row in db.session.execute(per_team.group_by(team, model.criterion_key)):
        if row.n:
            by_team[row.team_id][row.criterion_key] = float(row.total) / row.n
    return Averages(dict(by_agent), dict(by_team))


@dataclass(frozen=True)
class SetupState:
    """What a new installation has done so far."""

    teams: bool
    users: bool
    scorecards: bool
    interactions: bool


def setup_state() -> SetupState:
    """Whether there is a team, an agent, a published scorecard and an interaction: one query."""
    checks = (
        sa.exists().where(Team.id.is_not(None)),
        sa.exists().where(User.role == Role.AGENT, User.is_active.is_(True)),
        sa.exists().where(ScorecardVersion.status == Status.PUBLISHED),
        sa.exists().where(Interaction.id.is_not(None)),
    )
    row = db.session.execute(sa.select(*checks)).one()
    return SetupState(*(bool(value) for value in row))


@dataclass(frozen=True)
class Coverage:
    interactions: int
    evaluated: int

    @property
    def share(self) -> float | None:
        return self.evaluated / self.interactions * 100 if self.interactions else None


def coverage(start: date, end: date) -> Coverage:
    """Interactions that happened in these days, and how many have a submitted evaluation."""
    evaluated = sa.exists().where(
        Evaluation.interaction_id == Interaction.id,
        Evaluation.status == EvaluationStatus.SUBMITTED,
        Evaluation.is_calibration.is_(False),
    )
    stmt = sa.select(
        sa.func.count(Interaction.id),
        sa.func.coalesce(sa.func.sum(sa.case((evaluated, 1), else_=0)), 0),
    ).where(
        Interaction.occurred_at >= _midnight(start),
        Interaction.occurred_at < _midnight(end + timedelta(days=1)),
    )
    total, done = db.session.execute(stmt).one()
    return Coverage(int(total), int(done))


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)
