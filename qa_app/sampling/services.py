"""Saving sampling plans and running them: a seeded draw per period, spread over the reviewers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from random import Random

import sqlalchemy as sa
from babel.lists import format_list
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from ..accounts.models import Role, Team, User, team_members
from ..errors import UserError
from ..evaluations.models import PickReason
from ..extensions import db
from ..i18n import current_locale
from ..interactions.models import Channel, SignalKind
from ..scorecards.models import ScorecardVersion, Status
from ..scoring.sampling import (
    Candidate,
    Shortfall,
    derive_seed,
    draw_sample,
    draw_targeted,
    heaviest_first,
    period_bounds,
    run_seed,
    spread,
)
from ..self_reviews import services as self_reviews
from . import queries
from .models import (
    Assignment,
    Period,
    SamplingPlan,
    SamplingQuota,
    SamplingRun,
    SamplingShortfall,
    SignalWeight,
    sampling_plan_agents,
    sampling_plan_teams,
)

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


def published_version(scorecard_id: int) -> ScorecardVersion | None:
    """The version of a scorecard that new evaluations use."""
    return db.session.scalar(
        sa.select(ScorecardVersion).where(
            ScorecardVersion.scorecard_id == scorecard_id,
            ScorecardVersion.status == Status.PUBLISHED,
        )
    )


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
    return RunOutcome(run, True, _draw(run, plan, channels, reviewer_ids))


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


def _draw(run: SamplingRun, plan: SamplingPlan, channels: list[str], reviewers: list[int]) -> int:
    """Store the run's assignments and shortfalls; returns how many interactions were assigned."""
    agents = plan_agent_ids(plan)
    eligible, in_period = queries.candidates(agents, run.period_start, run.period_end, channels)
    # An interaction handled by the only reviewer could go to nobody: it is not drawn.
    eligible = [c for c in eligible if any(r != c.agent_id for r in reviewers)]
    picks, shortfalls = draw_sample(run.seed, agents, plan.quota, eligible, in_period)
    targeted, signals, missed = _draw_targeted(run, plan, agents, channels, eligible, picks)
    picks += targeted
    owners = spread(picks, reviewers, Random(derive_seed(run.seed, "reviewers")))
    due_at = datetime.combine(run.period_end, time(23, 59, 59), tzinfo=UTC)
    db.session.add_all(
        Assignment(
            run=run,
            plan_id=plan.id,
            interaction_id=pick.interaction_id,
            reviewer_id=owners[pick.interaction_id],
            due_at=due_at,
            picked=PickReason.TARGETED if pick.interaction_id in signals else PickReason.RANDOM,
            signals=" ".join(signals.get(pick.interaction_id, ())),
        )
        for pick in picks
    )
    run.shortfalls = [_stored(short) for short in shortfalls + missed]
    db.session.flush()
    if plan.self_reviews_per_agent:  # asked among the picks, seeded like the draw
        version = published_version(plan.scorecard_id)
        assert version is not None  # checked before the draw
        by_agent = [(pick.agent_id, pick.interaction_id) for pick in picks]
        chooser = Random(derive_seed(run.seed, "self-reviews"))
        requester = db.session.get(User, run.created_by_id) if run.created_by_id else None
        self_reviews.ask_among(by_agent, plan.self_reviews_per_agent, version, requester, chooser)
    return len(picks)


def _draw_targeted(
    run: SamplingRun,
    plan: SamplingPlan,
    agents: list[int],
    channels: list[str],
    eligible: list[Candidate],
    drawn: list[Candidate],
) -> tuple[list[Candidate], dict[int, list[str]], list[Shortfall]]:
    """The part drawn by signals: picks, their weighted signals by id, and who fell short.

    Candidates are those of the random draw (every channel of the plan, whatever the split per
    channel) that carry a signal the plan weighs and were not drawn at random.
    """
    weights = plan.weights
    if not plan.targeted_per_agent or not weights:
        return [], {}, []
    found = queries.signals_in_period(agents, run.period_start, run.period_end, channels, weights)
    taken = {pick.interaction_id for pick in drawn}
    free = {c.interaction_id: c for c in eligible if c.interaction_id not in taken}
    count = plan.targeted_per_agent
    ids, missed = draw_targeted(run.seed, agents, count, found, weights, free)
    order = [kind.value for kind in SignalKind]
    kinds = {i: heaviest_first(found[i][1], weights, order) for i in ids}
    return [free[i] for i in ids], kinds, missed


def _stored(short: Shortfall) -> SamplingShortfall:
    return SamplingShortfall(
        agent_id=short.agent_id,
        channel=Channel(short.channel) if short.channel else None,
        wanted=short.wanted,
        drawn=short.drawn,
        in_period=short.in_period,
        is_targeted=short.targeted,
    )
