"""Eight weeks of believable work for the demo: interactions and evaluations.

The last weeks are evaluated later, once the spotlight sampling plan has drawn from them
(demo/spotlight.py): here they are handed back as `Leftover`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from ..accounts.models import Role, User
from ..disputes import services as disputes
from ..evaluations import services as evaluations
from ..extensions import db
from ..interactions.models import Channel, Interaction
from ..scorecards.models import ScorecardVersion, Status
from .transcripts import CALLS, CHAT_LANGUAGES, CHATS, EMAILS, turns

# Interactions of these last days are left for the sampling plan to draw from first.
SAMPLED_DAYS = 35


@dataclass(frozen=True)
class Leftover:
    """What is left for demo/spotlight.py: the reviewers, each agent's skill, and the recent
    interactions that a reviewer would evaluate by hand (unless a plan gave them to one)."""

    reviewers: list[User]
    skills: dict[int, float]
    to_evaluate: list[Interaction] = field(default_factory=list)


def _interaction(rng: random.Random, agent: User, n: int, when: datetime) -> Interaction:
    channel = rng.choice([Channel.CHAT, Channel.CHAT, Channel.CALL, Channel.EMAIL])
    # One draw of three for every channel, as when only chats had turns: the rest of the
    # demo's random choices (and so its evaluations) stay the same.
    pick = rng.randrange(3)
    scripts = {Channel.CHAT: CHATS, Channel.CALL: CALLS, Channel.EMAIL: EMAILS}[channel]
    duration = rng.randint(120, 1500)
    rng.choice(["en", "el", "hu", "ro"])  # the old language draw, kept for the same reason
    language = CHAT_LANGUAGES[pick] if channel == Channel.CHAT else "en"
    return Interaction(
        external_id=f"DEMO-{n:05d}",
        channel=channel,
        agent_id=agent.id,
        occurred_at=when,
        duration_seconds=duration,
        language=language,
        customer_ref=f"C-{rng.randint(10000, 99999)}",
        transcript_turns=turns(scripts[pick], agent.display_name),
        subject="Billing question" if channel == Channel.EMAIL else None,
        csat=rng.choice([None, 3, 4, 5, 5]),
        nps=rng.choice([None, 6, 8, 9, 10]),
        ces=rng.choice([None, 2, 3, 5]),
        first_contact_resolved=rng.choice([None, True, True, False]),
        handle_seconds=rng.randint(120, 1500),
    )


def _values(
    rng: random.Random, version: ScorecardVersion, skill: float
) -> evaluations.EvaluationInput:
    values = {}
    for criterion in version.ordered_criteria:
        if criterion.allow_na and rng.random() < 0.25:
            values[criterion.id] = evaluations.CriterionInput(None, True, "")
            continue
        score = max(1, min(5, round(rng.gauss(skill, 0.8))))
        if criterion.is_critical:
            score = max(score, 3)  # a demo with many zero scores would mislead
        comment = "" if score >= 4 else "Let's look at this one together."
        values[criterion.id] = evaluations.CriterionInput(score, False, comment)
    return evaluations.EvaluationInput(
        values, "Friendly and clear.", "Confirm the next steps at the end."
    )


def _users(role: Role) -> list[User]:
    return list(db.session.scalars(sa.select(User).where(User.role == role).order_by(User.id)))


def versions_by_channel() -> dict[str, ScorecardVersion]:
    """The published scorecard made for each channel alone."""
    return {
        c: v
        for v in db.session.scalars(
            sa.select(ScorecardVersion).where(ScorecardVersion.status == Status.PUBLISHED)
        )
        for c in v.channels
        if len(v.channels) == 1
    }


def evaluate(
    rng: random.Random,
    interaction: Interaction,
    version: ScorecardVersion,
    reviewers: list[User],
    skill: float,
) -> None:
    """A submitted evaluation by a random reviewer, a few hours after the interaction."""
    evaluation = evaluations.start(interaction, version, rng.choice(reviewers))
    evaluations.save(
        evaluation,
        _values(rng, version, skill),
        evaluation.reviewer,
        submit=True,
        lock_version=None,
    )
    evaluation.submitted_at = interaction.occurred_at + timedelta(hours=rng.randint(2, 40))


def seed_activity(seed: int = 2026) -> Leftover:
    """Interactions over the last eight weeks, the older ones mostly evaluated; what is left."""
    rng = random.Random(seed)
    agents, reviewers = _users(Role.AGENT), _users(Role.REVIEWER)
    versions = versions_by_channel()
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    left = Leftover(reviewers, {agent.id: rng.uniform(3.5, 4.8) for agent in agents})
    n = 0
    for day in range(56, 0, -1):
        for agent in agents:
            if rng.random() < 0.45:
                continue
            n += 1
            interaction = _interaction(
                rng, agent, n, now - timedelta(days=day, hours=rng.randint(0, 8))
            )
            db.session.add(interaction)
            if day > 2 and rng.random() < 0.8:
                if day <= SAMPLED_DAYS:
                    left.to_evaluate.append(interaction)
                    continue
                version = versions[interaction.channel.value]
                evaluate(rng, interaction, version, reviewers, left.skills[agent.id])
    db.session.flush()
    return left


def one_dispute(agent: User) -> None:
    """The agent disputes their latest evaluation."""
    from ..evaluations.models import Evaluation

    evaluation = db.session.scalar(
        sa.select(Evaluation)
        .join(Evaluation.interaction)
        .where(Interaction.agent_id == agent.id)
        .order_by(Evaluation.submitted_at.desc(), Evaluation.id.desc())
    )
    if evaluation is not None:
        disputes.raise_dispute(evaluation, agent, "The customer hung up before I could close.", [])
