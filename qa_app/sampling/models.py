"""Sampling plans, their runs per period, the assignments they made, and who fell short."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import Team, User
from ..database import UTCDateTime, string_enum, utcnow
from ..evaluations.models import PickReason
from ..extensions import db
from ..interactions.models import Channel, Interaction, SignalKind
from ..scorecards.models import Scorecard
from ..scoring.sampling import Shortfall
from .wording import counted, shortfall_reason

SIGNAL_CODES = frozenset(kind.value for kind in SignalKind)
SIGNALS_LENGTH = 400  # every kind's code, space-separated, fits


class Period(enum.StrEnum):
    WEEK = "week"
    MONTH = "month"


def _link_table(name: str, column: str, target: str) -> sa.Table:
    return sa.Table(
        name,
        db.metadata,
        sa.Column(
            "plan_id", sa.ForeignKey("sampling_plans.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column(column, sa.ForeignKey(target, ondelete="CASCADE"), primary_key=True),
    )


sampling_plan_teams = _link_table("sampling_plan_teams", "team_id", "teams.id")
sampling_plan_agents = _link_table("sampling_plan_agents", "agent_id", "users.id")
sampling_plan_reviewers = _link_table("sampling_plan_reviewers", "reviewer_id", "users.id")


class SamplingPlan(db.Model):
    """How many interactions per agent and period to evaluate, with which scorecard, by whom."""

    __tablename__ = "sampling_plans"
    __table_args__ = (
        sa.CheckConstraint("per_agent >= 0", name="per_agent_not_negative"),
        sa.CheckConstraint("targeted_per_agent >= 0", name="targeted_per_agent_not_negative"),
        sa.CheckConstraint("self_reviews_per_agent >= 0", name="self_reviews_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    period: Mapped[Period] = mapped_column(
        string_enum(Period, "sampling_period"), default=Period.WEEK
    )
    # Used when the plan has no per-channel quotas.
    per_agent: Mapped[int] = mapped_column(default=2)
    # Drawn per agent by signals on top of the random part; 0: a plain random plan.
    targeted_per_agent: Mapped[int] = mapped_column(default=0)
    # Self-reviews asked per agent per period among the plan's picks (docs/self-review.md).
    self_reviews_per_agent: Mapped[int] = mapped_column(default=0)
    scorecard_id: Mapped[int] = mapped_column(sa.ForeignKey("scorecards.id"), index=True)
    seed: Mapped[int] = mapped_column(sa.BigInteger())
    is_active: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    scorecard: Mapped[Scorecard] = relationship()
    teams: Mapped[list[Team]] = relationship(secondary=sampling_plan_teams, order_by=Team.name)
    agents: Mapped[list[User]] = relationship(
        secondary=sampling_plan_agents, order_by=User.display_name
    )
    reviewers: Mapped[list[User]] = relationship(
        secondary=sampling_plan_reviewers, order_by=User.display_name
    )
    quotas: Mapped[list[SamplingQuota]] = relationship(
        back_populates="plan", order_by="SamplingQuota.channel", cascade="all, delete-orphan"
    )
    signal_weights: Mapped[list[SignalWeight]] = relationship(
        back_populates="plan", order_by="SignalWeight.kind", cascade="all, delete-orphan"
    )

    @property
    def weights(self) -> dict[str, int]:
        """Signal kind -> its weight in the targeted draw; kinds left out weigh 0 (not used)."""
        return {w.kind.value: w.weight for w in self.signal_weights}

    @property
    def quota(self) -> dict[str | None, int]:
        """Interactions to draw per agent: per channel, or under None for any channel."""
        if self.quotas:
            return {q.channel.value: q.count for q in self.quotas}
        return {None: self.per_agent}

    @property
    def quota_text(self) -> str:
        """ "2 calls + 1 chat per agent per week", in the reader's language."""
        quota = " + ".join(counted(c, n) for c, n in self.quota.items())
        if self.targeted_per_agent:
            n = self.targeted_per_agent
            quota += " + " + ngettext("%(num)d by signals", "%(num)d by signals", n)
        if self.period == Period.MONTH:
            return _("%(quota)s per agent per month", quota=quota)
        return _("%(quota)s per agent per week", quota=quota)


class SamplingQuota(db.Model):
    """A per-channel number of interactions that replaces the plan's single number."""

    __tablename__ = "sampling_quotas"
    __table_args__ = (
        sa.UniqueConstraint("plan_id", "channel", name="uq_sampling_quotas_channel"),
        sa.CheckConstraint("count >= 1", name="count_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        sa.ForeignKey("sampling_plans.id", ondelete="CASCADE"), index=True
    )
    channel: Mapped[Channel] = mapped_column(string_enum(Channel, "channel"))
    count: Mapped[int]

    plan: Mapped[SamplingPlan] = relationship(back_populates="quotas")


class SignalWeight(db.Model):
    """How much one kind of signal counts in a plan's targeted draw (only weights above 0)."""

    __tablename__ = "sampling_signal_weights"
    __table_args__ = (
        sa.UniqueConstraint("plan_id", "kind", name="uq_sampling_signal_weights_kind"),
        sa.CheckConstraint("weight >= 1", name="weight_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        sa.ForeignKey("sampling_plans.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[SignalKind] = mapped_column(string_enum(SignalKind, "signal_kind", 24))
    weight: Mapped[int]

    plan: Mapped[SamplingPlan] = relationship(back_populates="signal_weights")


class SamplingRun(db.Model):
    """One plan's draw for one period; a second run for the same period returns this one."""

    __tablename__ = "sampling_runs"
    __table_args__ = (
        sa.UniqueConstraint("plan_id", "period_start", name="uq_sampling_runs_period"),
        sa.CheckConstraint("period_end >= period_start", name="period_end_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("sampling_plans.id"), index=True)
    period_start: Mapped[date]
    period_end: Mapped[date]
    # Derived from the plan's seed, id and period start: the same inputs draw the same sample.
    seed: Mapped[int] = mapped_column(sa.BigInteger())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Empty for runs started from the command line.
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    plan: Mapped[SamplingPlan] = relationship()
    created_by: Mapped[User | None] = relationship()
    shortfalls: Mapped[list[SamplingShortfall]] = relationship(
        back_populates="run", order_by="SamplingShortfall.id", cascade="all, delete-orphan"
    )


class Assignment(db.Model):
    """An interaction a reviewer is to evaluate by the end of the period.

    Done is not stored: it is done when that reviewer's submitted evaluation of the interaction
    exists (see services.done_pairs), however the evaluation was started.
    """

    __tablename__ = "sampling_assignments"
    __table_args__ = (
        sa.UniqueConstraint("plan_id", "interaction_id", name="uq_sampling_assignments_plan"),
        sa.Index("ix_sampling_assignments_reviewer_due", "reviewer_id", "due_at"),
        sa.CheckConstraint("picked <> 'hand'", name="picked_by_the_plan"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(sa.ForeignKey("sampling_runs.id"), index=True)
    # The run's plan, repeated so the database keeps an interaction to one assignment per plan.
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("sampling_plans.id"))
    interaction_id: Mapped[int] = mapped_column(sa.ForeignKey("interactions.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Random, or targeted for the signals in `signals` (kind codes, space-separated, weighted
    # ones only): why the draw picked it. Never hand.
    picked: Mapped[PickReason] = mapped_column(
        string_enum(PickReason, "pick_reason"), default=PickReason.RANDOM
    )
    signals: Mapped[str] = mapped_column(sa.String(SIGNALS_LENGTH), default="")

    run: Mapped[SamplingRun] = relationship()
    plan: Mapped[SamplingPlan] = relationship()
    interaction: Mapped[Interaction] = relationship()
    reviewer: Mapped[User] = relationship()

    @property
    def is_overdue(self) -> bool:
        return self.due_at < utcnow()

    @property
    def signal_kinds(self) -> list[SignalKind]:
        return [SignalKind(code) for code in self.signals.split() if code in SIGNAL_CODES]


class SamplingShortfall(db.Model):
    """An agent who got fewer interactions than the quota in a run, with the counts behind it."""

    __tablename__ = "sampling_shortfalls"
    __table_args__ = (sa.CheckConstraint("drawn < wanted", name="drawn_below_wanted"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(
        sa.ForeignKey("sampling_runs.id", ondelete="CASCADE"), index=True
    )
    agent_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    channel: Mapped[Channel | None] = mapped_column(string_enum(Channel, "channel"))
    wanted: Mapped[int]
    drawn: Mapped[int]
    in_period: Mapped[int]  # targeted: interactions of the period with a weighted signal
    is_targeted: Mapped[bool] = mapped_column(default=False)

    run: Mapped[SamplingRun] = relationship(back_populates="shortfalls")
    agent: Mapped[User] = relationship()

    @property
    def facts(self) -> Shortfall:
        channel = self.channel.value if self.channel else None
        return Shortfall(
            self.agent_id, channel, self.wanted, self.drawn, self.in_period, self.is_targeted
        )

    @property
    def reason(self) -> str:
        """Why the agent fell short, in the reader's language."""
        return shortfall_reason(self.facts)
