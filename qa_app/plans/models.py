"""Action plans: goals for one agent tied to criteria, with actions and follow-up notes."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..database import UTCDateTime, utcnow
from ..extensions import db


class ActionPlan(db.Model):
    __tablename__ = "action_plans"
    __table_args__ = (sa.CheckConstraint("due_on >= starts_on", name="due_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    starts_on: Mapped[date]
    due_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    agent: Mapped[User] = relationship(foreign_keys=[agent_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    goals: Mapped[list[ActionGoal]] = relationship(
        back_populates="plan", order_by="ActionGoal.id", cascade="all, delete-orphan"
    )
    notes: Mapped[list[PlanNote]] = relationship(
        back_populates="plan", order_by="PlanNote.id", cascade="all, delete-orphan"
    )


class ActionGoal(db.Model):
    __tablename__ = "action_goals"
    __table_args__ = (
        sa.CheckConstraint("target_average >= 1 AND target_average <= 5", name="target_range"),
        sa.UniqueConstraint("plan_id", "criterion_key", name="uq_action_goals_criterion"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        sa.ForeignKey("action_plans.id", ondelete="CASCADE"), index=True
    )
    criterion_key: Mapped[str] = mapped_column(sa.String(32))
    criterion_name: Mapped[str] = mapped_column(sa.String(120))
    target_average: Mapped[Decimal] = mapped_column(sa.Numeric(3, 2), default=Decimal("4.00"))
    actions: Mapped[str] = mapped_column(sa.Text, default="")

    plan: Mapped[ActionPlan] = relationship(back_populates="goals")


class PlanNote(db.Model):
    __tablename__ = "plan_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        sa.ForeignKey("action_plans.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    text: Mapped[str] = mapped_column(sa.Text)

    plan: Mapped[ActionPlan] = relationship(back_populates="notes")
    author: Mapped[User | None] = relationship()
