"""Saving sampling plans and running them: a seeded draw per period, spread over the reviewers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import sqlalchemy as sa
from babel.lists import format_list
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from ..accounts.models import Role, Team, User, team_members
from ..errors import UserError
from ..extensions import db
from ..i18n import current_locale
from ..interactions.models import Channel, SignalKind
from ..scoring.sampling import period_bounds, run_seed
from . import draw
from .models import (
    Period,
    SamplingPlan,
    SamplingQuota,
    SamplingRun,
    SignalWeight,
    sampling_plan_agents,
    sampling_plan_teams,
)
from .queries import published_version

REVIEWER_ROLES = (Role.ADMIN, Role.REVIEWER)
_CHANNEL_NOUNS = {"call": _l("call"), "chat": _l("chat"), "email": _l("email")}


class SamplingError(UserError):
    """A user-facing reason why a plan could not be saved or run."""


@dataclass(frozen=True)
class PlanInput:
    name: str
    period: Period
    per_agent: int
    channel_quotas: dict[str, int]  # channel -> count; empty: per_agent over every channel
    scorecard_id: int
    team_ids: list[int]
    agent_ids: list[int]
    reviewer_ids: list[int]
    is_active: bool
    seed: int
    targeted_per_agent: int = 0  # drawn by signals on top of the random part
    self_reviews_per_agent: int = 0  # asked of each agent among their picks
    signal_weights: dict[str, int] = field(default_factory=dict)  # kind -> weight; 0: unused


@dataclass(frozen=True)
class RunOutcome:
    run: SamplingRun
    is_new: bool
    assigned: int


def today() -> date:
    return datetime.now(UTC).date()


def _either(channels: list[str]) -> str:
    """ "call or chat" in the reader's language."""
    nouns = [str(_CHANNEL_NOUNS.get(channel, channel)) for channel in channels]
    return format_list(nouns, style="or", locale=current_locale())


def _scorecard_problem(data: PlanInput) -> str | None:
    version = published_version(data.scorecard_id)
    if version is None:
        return _("Choose a scorecard that has a published version.")
    foreign = sorted(set(data.channel_quotas) - set(version.channels))
    if foreign:
        return _(
            '"%(scorecard)s" is not made for %(channels)s; change the quotas.',
            scorecard=version.name,
            channels=_either(foreign),
        )
    return None


def _targeted_problem(data: PlanInput) -> str | None:
    if data.targeted_per_agent and not any(w > 0 for w in data.signal_weights.values()):
        return _("Give at least one signal a weight above 0, or draw none by signals.")
    return None


def save_plan(plan: SamplingPlan | None, data: PlanInput, actor: User) -> SamplingPlan:
    """Create or change a plan; the ids come from the form's choices and are checked again here."""
    problem = _scorecard_problem(data) or _targeted_problem(data)
    if problem:
        raise SamplingError(problem)
    if plan is None:
        plan = SamplingPlan(created_by_id=actor.id)
        db.session.add(plan)
    plan.name, plan.period, plan.is_active, plan.seed = (
        data.name.strip(),
        data.period,
        data.is_active,
        data.seed,
    )
    plan.scorecard_id = data.scorecard_id
    plan.per_agent = sum(data.channel_quotas.values()) or data.per_agent
    plan.targeted_per_agent = data.targeted_per_agent
    plan.self_reviews_per_agent = data.self_reviews_per_agent
    plan.teams = list(db.session.scalars(sa.select(Team).where(Team.id.in_(data.team_ids))))
    plan.agents = _users(data.agent_ids, (Role.AGENT,))
    plan.reviewers = _users(data.reviewer_ids, REVIEWER_ROLES)
    _set_quotas(plan, data.channel_quotas)
    _set_weights(plan, data.signal_weights)
    db.session.flush()
    return plan


def _users(ids: list[int], roles: tuple[Role, ...]) -> list[User]:
    stmt = sa.select(User).where(User.id.in_(ids), User.role.in_(roles), User.is_active.is_(True))
    return list(db.session.scalars(stmt))


def _set_quotas(plan: SamplingPlan, wanted: dict[str, int]) -> None:
    """Change quotas in place, so a channel's row is never deleted and re-added in one flush."""
    current = {quota.channel.value: quota for quota in plan.quotas}
    for channel, quota in current.items():
        if channel not in wanted:
            plan.quotas.remove(quota)
    for channel, count in wanted.items():
        if channel in current:
            current[channel].count = count
        else:
            plan.quotas.append(SamplingQuota(channel=Channel(channel), count=count))


def _set_weights(plan: SamplingPlan, wanted: dict[str, int]) -> None:
    """Keep a row per kind weighing more than 0, changed in place like the quotas."""
    wanted = {kind: w for kind, w in wanted.items() if w > 0 and kind in set(SignalKind)}
    current = {row.kind.value: row for row in plan.signal_weights}
    for kind, row in current.items():
        if kind not in wanted:
            plan.signal_weights.remove(row)
    for kind, weight in wanted.items():
        if kind in current:
            current[kind].weight = weight
        else:
            plan.signal_weights.append(SignalWeight(kind=SignalKind(kind), weight=weight))


def plan_agent_ids(plan: SamplingPlan) -> list[int]:
    """Active agents of the plan: members of its teams and the agents chosen one by one."""
    via_teams = (
        sa.select(team_members.c.agent_id)
        .join(sampling_plan_teams, sampling_plan_teams.c.team_id == team_members.c.team_id)
        .where(sampling_plan_teams.c.plan_id == plan.id)
    )
    chosen = sa.select(sampling_plan_agents.c.agent_id).where(
        sampling_plan_agents.c.plan_id == plan.id
    )
    stmt = sa.select(User.id).where(
        sa.or_(User.id.in_(via_teams), User.id.in_(chosen)),
        User.role == Role.AGENT,
        User.is_active.is_(True),
    )
    return sorted(db.session.scalars(stmt))


def run_for(plan: SamplingPlan, day: date) -> SamplingRun | None:
    """The plan's run whose period contains the day (the latest, if the plan changed period)."""
    return db.session.scalar(
        sa.select(SamplingRun)
        .where(
            SamplingRun.plan_id == plan.id,
            SamplingRun.period_start <= day,
            SamplingRun.period_end >= day,
        )
        .order_by(SamplingRun.period_start.desc())
        .limit(1)
    )


def run_plan(plan: SamplingPlan, day: date, actor: User | None) -> RunOutcome:
    """Draw and assign the plan's sample for the period that contains the day, once."""
    start, end = period_bounds(day, plan.period.value)
    existing = _run_starting(plan, start)
    if existing is not None:
        return RunOutcome(existing, False, 0)
    channels, reviewer_ids = _check_runnable(plan)
    run = SamplingRun(
        plan_id=plan.id,
        period_start=start,
        period_end=end,
        seed=run_seed(plan.seed, plan.id, start),
        created_by_id=actor.id if actor else None,
    )
    try:
        with db.session.begin_nested():  # a run for this period made meanwhile wins
            db.session.add(run)
            db.session.flush()
    except IntegrityError:
        made_meanwhile = _run_starting(plan, start)
        assert made_meanwhile is not None
        return RunOutcome(made_meanwhile, False, 0)
    assigned = draw.assign(run, plan, plan_agent_ids(plan), channels, reviewer_ids)
    return RunOutcome(run, True, assigned)


def _run_starting(plan: SamplingPlan, start: date) -> SamplingRun | None:
    stmt = sa.select(SamplingRun).where(
        SamplingRun.plan_id == plan.id, SamplingRun.period_start == start
    )
    return db.session.scalar(stmt)


def _check_runnable(plan: SamplingPlan) -> tuple[list[str], list[int]]:
    """The channels the plan draws from and its reviewers, or why it cannot run."""
    if not plan.is_active:
        raise SamplingError(_('"%(plan)s" is paused; make it active to run it.', plan=plan.name))
    version = published_version(plan.scorecard_id)
    if version is None:
        raise SamplingError(
            _('"%(plan)s": its scorecard has no published version.', plan=plan.name)
        )
    quota_channels = [c for c in plan.quota if c is not None]
    foreign = sorted(set(quota_channels) - set(version.channels))
    if foreign:
        raise SamplingError(
            _(
                '"%(scorecard)s" is not made for %(channels)s.',
                scorecard=version.name,
                channels=_either(foreign),
            )
        )
    reviewers = [r.id for r in plan.reviewers if r.is_active and r.role in REVIEWER_ROLES]
    if not reviewers:
        raise SamplingError(_('"%(plan)s" has no active reviewer.', plan=plan.name))
    return quota_channels or list(version.channels), reviewers
