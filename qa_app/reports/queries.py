"""Reads the reports need beyond the result pages: criteria per agent, agents with teams, plans.

The producers read everything here (and in the results' queries) before they build a table, so
every table builder is a plain function of what was read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..accounts.models import Role, Team, User, team_members
from ..extensions import db
from ..plans.models import ActionPlan
from ..plans.services import GoalView, progress
from ..results import queries
from ..results.models import AgentDayCriterionStats
from ..results.periods import Filters
from ..results.queries import AgentIds, CriterionAverage, Totals
from ..scorecards.models import ScorecardVersion
from ..scoring.plans import PlanStatus


@dataclass(frozen=True)
class AgentRef:
    id: int
    name: str
    team_id: int | None
    team_name: str | None


def agents(team_id: int | None = None) -> list[AgentRef]:
    """Every agent (of one team, or of the whole organisation), with their team, by name."""
    stmt = (
        sa.select(User.id, User.display_name, Team.id, Team.name)
        .outerjoin(team_members, team_members.c.agent_id == User.id)
        .outerjoin(Team, Team.id == team_members.c.team_id)
        .where(User.role == Role.AGENT)
        .order_by(User.display_name, User.id)
    )
    if team_id is not None:
        stmt = stmt.where(Team.id == team_id)
    return [AgentRef(*row) for row in db.session.execute(stmt)]


def criterion_averages_by_agent(
    filters: Filters, agent_ids: AgentIds | None
) -> dict[int, dict[str, CriterionAverage]]:
    """Each agent's mean of the 1-5 values per criterion key, in one GROUP BY."""
    model = AgentDayCriterionStats
    stmt = sa.select(
        model.agent_id,
        model.criterion_key,
        sa.func.sum(model.scores).label("n"),
        sa.func.sum(model.value_sum).label("total"),
    )
    # The result pages' own filter, so the report and the pages count the same evaluations.
    stmt = queries.filtered(stmt, model, filters, agent_ids)
    rows = [row for row in db.session.execute(stmt.group_by(model.agent_id, model.criterion_key))]
    names = queries.criterion_names(sorted({row.criterion_key for row in rows if row.n}))
    found: dict[int, dict[str, CriterionAverage]] = defaultdict(dict)
    for row in rows:
        if row.n:
            key = row.criterion_key
            average = float(row.total) / float(row.n)
            found[row.agent_id][key] = CriterionAverage(
                key, names.get(key, key), average, int(row.n)
            )
    return found


def plans_by_agent(agent_ids: AgentIds | None, filters: Filters) -> dict[int, list[ActionPlan]]:
    """The agents' action plans that run at some time in the period, earliest due first."""
    stmt: sa.Select[Any] = (
        sa.select(ActionPlan)
        .where(ActionPlan.starts_on <= filters.end, ActionPlan.due_on >= filters.start)
        .options(selectinload(ActionPlan.goals))
        .order_by(ActionPlan.due_on, ActionPlan.id)
    )
    if agent_ids is not None:
        stmt = stmt.where(ActionPlan.agent_id.in_(agent_ids))
    found: dict[int, list[ActionPlan]] = defaultdict(list)
    for plan in db.session.scalars(stmt):
        found[plan.agent_id].append(plan)
    return found


@dataclass(frozen=True)
class PlanProgress:
    """An action plan with its status and each goal's average since the plan started."""

    plan: ActionPlan
    status: PlanStatus
    goals: list[GoalView]


def plan_progress(plans: Sequence[ActionPlan], today: date | None = None) -> list[PlanProgress]:
    """The progress of each plan, as the plan pages show it."""
    return [PlanProgress(plan, *progress(plan, today)) for plan in plans]


def scorecard_name(filters: Filters) -> str | None:
    """The newest name of the scorecard the filters pick, if they pick one and it exists."""
    if not filters.scorecard_id:
        return None
    stmt = sa.select(ScorecardVersion.name).where(
        ScorecardVersion.scorecard_id == filters.scorecard_id
    )
    names = db.session.scalars(stmt.order_by(ScorecardVersion.id.desc()).limit(1)).all()
    return names[0] if names else None


def team_numbers(team_id: int, filters: Filters) -> tuple[Totals, dict[str, CriterionAverage]]:
    """A team's totals and criterion averages over the period: what its agents are compared with."""
    ids = queries.team_agent_ids(team_id)
    return queries.totals(filters, ids), queries.criterion_averages(filters, ids)
