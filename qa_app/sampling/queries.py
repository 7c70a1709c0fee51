"""Reads: who sees which plan, a reviewer's queue, published versions, runs and coverage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..accounts.access import agents_led_by
from ..accounts.models import Role, Team, User
from ..database import utcnow
from ..evaluations.models import Evaluation, EvaluationStatus, PickReason
from ..extensions import db
from ..interactions.models import Interaction
from ..scorecards.models import ScorecardVersion, Status
from .models import (
    Assignment,
    SamplingPlan,
    SamplingRun,
    SamplingShortfall,
    sampling_plan_agents,
    sampling_plan_teams,
)

MANAGERS = (Role.ADMIN, Role.REVIEWER)
RECENT_RUNS = 20


def is_done() -> sa.Exists:
    """True for an assignment whose reviewer has submitted an evaluation of its interaction."""
    return sa.exists().where(
        Evaluation.interaction_id == Assignment.interaction_id,
        Evaluation.reviewer_id == Assignment.reviewer_id,
        Evaluation.status == EvaluationStatus.SUBMITTED,
        Evaluation.is_calibration.is_(False),
    )


def visible_plans(user: User) -> sa.Select[tuple[SamplingPlan]]:
    """Every plan for admins and reviewers; for a lead, the plans that touch their teams."""
    stmt = sa.select(SamplingPlan).order_by(SamplingPlan.is_active.desc(), SamplingPlan.name)
    if user.role in MANAGERS:
        return stmt
    if user.role != Role.LEAD:
        return stmt.where(sa.false())
    led = agents_led_by(user)
    via_team = (
        sa.select(sampling_plan_teams.c.plan_id)
        .join(Team, Team.id == sampling_plan_teams.c.team_id)
        .where(Team.lead_id == user.id)
    )
    via_agent = sa.select(sampling_plan_agents.c.plan_id).where(
        sampling_plan_agents.c.agent_id.in_(led)
    )
    via_assignment = (
        sa.select(Assignment.plan_id)
        .join(Assignment.interaction)
        .where(Interaction.agent_id.in_(led))
    )
    return stmt.where(
        sa.or_(
            SamplingPlan.id.in_(via_team),
            SamplingPlan.id.in_(via_agent),
            SamplingPlan.id.in_(via_assignment),
        )
    )


def queue(reviewer: User) -> sa.Select[tuple[Assignment]]:
    """The reviewer's assignments not done yet, oldest first."""
    return (
        sa.select(Assignment)
        .join(Assignment.interaction)
        .where(Assignment.reviewer_id == reviewer.id, ~is_done())
        .options(
            selectinload(Assignment.interaction).selectinload(Interaction.agent),
            selectinload(Assignment.plan),
        )
        .order_by(Assignment.due_at, Interaction.occurred_at, Assignment.id)
    )


def published_versions(scorecard_ids: set[int]) -> dict[int, int]:
    """Scorecard id -> the id of its published version."""
    stmt = sa.select(ScorecardVersion.scorecard_id, ScorecardVersion.id).where(
        ScorecardVersion.scorecard_id.in_(scorecard_ids),
        ScorecardVersion.status == Status.PUBLISHED,
    )
    return {scorecard_id: version_id for scorecard_id, version_id in db.session.execute(stmt)}


def published_version(scorecard_id: int) -> ScorecardVersion | None:
    """The version of a scorecard that new evaluations use."""
    return db.session.scalar(
        sa.select(ScorecardVersion).where(
            ScorecardVersion.scorecard_id == scorecard_id,
            ScorecardVersion.status == Status.PUBLISHED,
        )
    )


def drafts_of(reviewer: User, interaction_ids: list[int]) -> set[int]:
    """The interactions among these that the reviewer has a draft evaluation of."""
    stmt = sa.select(Evaluation.interaction_id).where(
        Evaluation.reviewer_id == reviewer.id,
        Evaluation.status == EvaluationStatus.DRAFT,
        Evaluation.is_calibration.is_(False),
        Evaluation.interaction_id.in_(interaction_ids),
    )
    return set(db.session.scalars(stmt))


@dataclass(frozen=True)
class RunSummary:
    run: SamplingRun
    assigned: int
    done: int
    short: int


def recent_runs(plan: SamplingPlan) -> list[RunSummary]:
    """The plan's latest runs with their assigned, done and fell-short counts."""
    counts = (
        sa.select(
            Assignment.run_id,
            sa.func.count().label("assigned"),
            sa.func.sum(sa.case((is_done(), 1), else_=0)).label("done"),
        )
        .where(Assignment.plan_id == plan.id)
        .group_by(Assignment.run_id)
        .subquery()
    )
    short = (
        sa.select(SamplingShortfall.run_id, sa.func.count().label("short"))
        .group_by(SamplingShortfall.run_id)
        .subquery()
    )
    stmt = (
        sa.select(SamplingRun, counts.c.assigned, counts.c.done, short.c.short)
        .outerjoin(counts, counts.c.run_id == SamplingRun.id)
        .outerjoin(short, short.c.run_id == SamplingRun.id)
        .where(SamplingRun.plan_id == plan.id)
        .options(selectinload(SamplingRun.created_by))
        .order_by(SamplingRun.period_start.desc())
        .limit(RECENT_RUNS)
    )
    return [RunSummary(r, a or 0, d or 0, s or 0) for r, a, d, s in db.session.execute(stmt)]


def runs_of(plan: SamplingPlan, limit: int = RECENT_RUNS) -> list[SamplingRun]:
    """The plan's latest runs, newest first."""
    stmt = (
        sa.select(SamplingRun)
        .where(SamplingRun.plan_id == plan.id)
        .order_by(SamplingRun.period_start.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


@dataclass(frozen=True)
class CoverageRow:
    agent: User
    assigned: int
    done: int
    overdue: int
    missing: int  # how many the agent fell short of the quota

    @property
    def open(self) -> int:
        return self.assigned - self.done


def coverage(run: SamplingRun, viewer: User, now: datetime | None = None) -> list[CoverageRow]:
    """Per agent of the run: assigned, done, overdue, and fell short by; leads see their own."""
    led = agents_led_by(viewer) if viewer.role == Role.LEAD else None
    counts = _assignment_counts(run, led, now or utcnow())
    missing = _missing(run, led)
    agents = db.session.scalars(sa.select(User).where(User.id.in_(set(counts) | set(missing))))
    rows = [
        CoverageRow(agent, *counts.get(agent.id, (0, 0, 0)), missing.get(agent.id, 0))
        for agent in agents
    ]
    return sorted(rows, key=lambda row: (row.agent.display_name.casefold(), row.agent.id))


def _assignment_counts(
    run: SamplingRun, led: sa.Select[tuple[int]] | None, now: datetime
) -> dict[int, tuple[int, int, int]]:
    """Agent id -> [assigned, done, overdue], counted by the database."""
    done = is_done()
    overdue = sa.and_(~done, Assignment.due_at < now)
    stmt = (
        sa.select(
            Interaction.agent_id,
            sa.func.count(),
            sa.func.sum(sa.case((done, 1), else_=0)),
            sa.func.sum(sa.case((overdue, 1), else_=0)),
        )
        .join(Assignment.interaction)
        .where(Assignment.run_id == run.id)
        .group_by(Interaction.agent_id)
    )
    if led is not None:
        stmt = stmt.where(Interaction.agent_id.in_(led))
    return {agent: (n, d or 0, o or 0) for agent, n, d, o in db.session.execute(stmt)}


def _missing(run: SamplingRun, led: sa.Select[tuple[int]] | None) -> dict[int, int]:
    """Agent id -> how many short of the quota, for the agents who fell short in the run."""
    stmt = (
        sa.select(
            SamplingShortfall.agent_id,
            sa.func.sum(SamplingShortfall.wanted - SamplingShortfall.drawn),
        )
        .where(SamplingShortfall.run_id == run.id)
        .group_by(SamplingShortfall.agent_id)
    )
    if led is not None:
        stmt = stmt.where(SamplingShortfall.agent_id.in_(led))
    return {agent: int(missing) for agent, missing in db.session.execute(stmt)}


def totals(rows: list[CoverageRow]) -> dict[str, int]:
    """The plan's totals for the rows shown."""
    return {
        name: sum(getattr(row, name) for row in rows)
        for name in ("assigned", "done", "open", "overdue", "missing")
    }


def shortfalls(run: SamplingRun) -> list[SamplingShortfall]:
    stmt = (
        sa.select(SamplingShortfall)
        .join(SamplingShortfall.agent)
        .where(SamplingShortfall.run_id == run.id)
        .options(selectinload(SamplingShortfall.agent))
        .order_by(User.display_name, SamplingShortfall.channel)
    )
    return list(db.session.scalars(stmt))


def picked_for(interaction_id: int, reviewer_id: int) -> PickReason | None:
    """Why a plan gave the interaction to this reviewer (random or targeted), if one did."""
    stmt = (
        sa.select(Assignment.picked)
        .where(Assignment.interaction_id == interaction_id, Assignment.reviewer_id == reviewer_id)
        .order_by(Assignment.id)
        .limit(1)
    )
    return db.session.scalar(stmt)
