"""A run's draw: the period's candidates, the seeded random and targeted picks, the assignments."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from random import Random

import sqlalchemy as sa

from ..accounts.models import User
from ..evaluations.models import Evaluation, EvaluationStatus, PickReason
from ..extensions import db
from ..interactions.models import Channel, Interaction, InteractionSignal, SignalKind
from ..scoring.sampling import (
    Candidate,
    Shortfall,
    derive_seed,
    draw_sample,
    draw_targeted,
    heaviest_first,
    spread,
)
from ..self_reviews import services as self_reviews
from .models import Assignment, SamplingPlan, SamplingRun, SamplingShortfall
from .queries import published_version


def assign(
    run: SamplingRun,
    plan: SamplingPlan,
    agents: list[int],
    channels: list[str],
    reviewers: list[int],
) -> int:
    """Store the run's assignments and shortfalls; returns how many interactions were assigned."""
    eligible, in_period = candidates(agents, run.period_start, run.period_end, channels)
    # An interaction handled by the only reviewer could go to nobody: it is not drawn.
    eligible = [c for c in eligible if any(r != c.agent_id for r in reviewers)]
    picks, shortfalls = draw_sample(run.seed, agents, plan.quota, eligible, in_period)
    targeted, signals, missed = _draw_targeted(run, plan, agents, channels, eligible, picks)
    picks += targeted
    _add_assignments(run, plan, picks, reviewers, signals)
    run.shortfalls = [_stored(short) for short in shortfalls + missed]
    db.session.flush()
    if plan.self_reviews_per_agent:  # asked among the picks, seeded like the draw
        _ask_self_reviews(run, plan, picks)
    return len(picks)


def _add_assignments(
    run: SamplingRun,
    plan: SamplingPlan,
    picks: list[Candidate],
    reviewers: list[int],
    signals: dict[int, list[str]],
) -> None:
    """Spread the picks over the reviewers (seeded), due at the end of the run's period."""
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


def _ask_self_reviews(run: SamplingRun, plan: SamplingPlan, picks: list[Candidate]) -> None:
    """Ask the plan's self-reviews of each agent among their picks."""
    version = published_version(plan.scorecard_id)
    assert version is not None  # checked before the draw
    by_agent = [(pick.agent_id, pick.interaction_id) for pick in picks]
    chooser = Random(derive_seed(run.seed, "self-reviews"))
    requester = db.session.get(User, run.created_by_id) if run.created_by_id else None
    self_reviews.ask_among(by_agent, plan.self_reviews_per_agent, version, requester, chooser)


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
    found = signals_in_period(agents, run.period_start, run.period_end, channels, weights)
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
