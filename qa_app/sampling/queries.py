"""Reads: who sees which plan, a reviewer's queue, coverage, the draw's candidates, hit rates."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..accounts.access import agents_led_by
from ..accounts.models import Role, Team, User
from ..database import utcnow
from ..evaluations.models import Evaluation, EvaluationStatus, PickReason
from ..extensions import db
from ..interactions.models import Channel, Interaction, InteractionSignal, SignalKind
from ..scorecards.models import ScorecardVersion, Status
from ..scoring.sampling import Candidate
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


def candidates(
    agents: list[int], start: date, end: date, channels: list[str]
) -> tuple[list[Candidate], Counter[tuple[int, str]]]:
    """Interactions of the period not evaluated or assigned yet, and per agent and channel all."""
    period = in_range(agents, start, end, channels)
    counts = db.session.execute(
        sa.select(Interaction.agent_id, Interaction.channel, sa.func.count())
        .where(*period)
        .group_by(Interaction.agent_id, Interaction.channel)
    )
    in_period = Counter({(agent, channel.value): n for agent, channel, n in counts})
    evaluated = sa.exists().where(
        Evaluation.interaction_id == Interaction.id,
        Evaluation.status == EvaluationStatus.SUBMITTED,
        Evaluation.is_calibration.is_(False),
    )
    assigned = sa.exists().where(Assignment.interaction_id == Interaction.id)
    rows = db.session.execute(
        sa.select(Interaction.id, Interaction.agent_id, Interaction.channel)
        .where(*period, ~evaluated, ~assigned)
        .order_by(Interaction.id)
    )
    return [Candidate(i, agent, channel.value) for i, agent, channel in rows], in_period


def in_range(
    agents: list[int], start: date, end: date, channels: list[str]
) -> tuple[sa.ColumnElement[bool], ...]:
    """The agents' interactions of the period on these channels."""
    return (
        Interaction.agent_id.in_(agents),
        Interaction.channel.in_([Channel(c) for c in channels]),
        Interaction.occurred_at >= datetime.combine(start, time(), tzinfo=UTC),
        Interaction.occurred_at < datetime.combine(end + timedelta(days=1), time(), tzinfo=UTC),
    )


def signals_in_period(
    agents: list[int], start: date, end: date, channels: list[str], weights: dict[str, int]
) -> dict[int, tuple[int, list[str]]]:
    """Interaction id -> (agent, its signal kinds that the plan weighs) in the period."""
    rows = db.session.execute(
        sa.select(InteractionSignal.interaction_id, Interaction.agent_id, InteractionSignal.kind)
        .join(InteractionSignal.interaction)
        .where(*in_range(agents, start, end, channels))
        .where(InteractionSignal.kind.in_([SignalKind(kind) for kind in weights]))
    )
    found: dict[int, tuple[int, list[str]]] = {}
    for interaction_id, agent, kind in rows:
        found.setdefault(interaction_id, (agent, []))[1].append(kind.value)
    return found


def picked_for(interaction_id: int, reviewer_id: int) -> PickReason | None:
    """Why a plan gave the interaction to this reviewer (random or targeted), if one did."""
    stmt = (
        sa.select(Assignment.picked)
        .where(Assignment.interaction_id == interaction_id, Assignment.reviewer_id == reviewer_id)
        .order_by(Assignment.id)
        .limit(1)
    )
    return db.session.scalar(stmt)


@dataclass(frozen=True)
class Hits:
    """Done assignments, and how many of them found a problem (below pass or critical fail)."""

    evaluated: int
    problems: int

    @property
    def percent(self) -> float | None:
        """The share of evaluated ones that found a problem, 0-100; None when none evaluated."""
        return 100 * self.problems / self.evaluated if self.evaluated else None


def found_problem() -> sa.Exists:
    """True for an assignment whose reviewer's submitted evaluation failed or critical-failed."""
    failed = sa.or_(
        Evaluation.is_critical_fail.is_(True), Evaluation.score < ScorecardVersion.pass_mark
    )
    return sa.exists().where(
        Evaluation.scorecard_version_id == ScorecardVersion.id,
        Evaluation.interaction_id == Assignment.interaction_id,
        Evaluation.reviewer_id == Assignment.reviewer_id,
        Evaluation.status == EvaluationStatus.SUBMITTED,
        Evaluation.is_calibration.is_(False),
        failed,
    )


def _counted(when: sa.ColumnElement[bool]) -> tuple[sa.ColumnElement[int], ...]:
    return tuple(
        sa.func.coalesce(sa.func.sum(sa.case((sa.and_(when, test), 1), else_=0)), 0)
        for test in (is_done(), found_problem())
    )


def hit_rates(start: datetime, end: datetime) -> tuple[dict[SignalKind, Hits], Hits]:
    """Per signal kind the targeted assignments' hits, and the random ones', for the interactions
    of [start, end): two queries, whatever the number of assignments."""
    padded = sa.literal(" ") + Assignment.signals + sa.literal(" ")
    kinds = list(SignalKind)
    columns = [
        c for kind in kinds for c in _counted(padded.contains(f" {kind.value} ", autoescape=True))
    ]
    in_period = (Interaction.occurred_at >= start, Interaction.occurred_at < end)
    targeted = db.session.execute(
        sa.select(*columns)
        .select_from(Assignment)
        .join(Assignment.interaction)
        .where(Assignment.picked == PickReason.TARGETED, *in_period)
    ).one()
    randomly = db.session.execute(
        sa.select(*_counted(sa.true()))
        .select_from(Assignment)
        .join(Assignment.interaction)
        .where(Assignment.picked == PickReason.RANDOM, *in_period)
    ).one()
    figures = [int(n) for n in targeted]
    per_kind = {kind: Hits(*figures[2 * n : 2 * n + 2]) for n, kind in enumerate(kinds)}
    return per_kind, Hits(int(randomly[0]), int(randomly[1]))
