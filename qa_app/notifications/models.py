"""A notification per recipient and event, and each person's choice of delivery per kind."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..database import UTCDateTime, string_enum, utcnow
from ..extensions import db


class NotificationKind(enum.StrEnum):
    EVALUATION_SUBMITTED = "evaluation_submitted"  # agent: a new evaluation of mine
    DISPUTE_OPENED = "dispute_opened"  # lead: a dispute on my team
    DISPUTE_WAITING = "dispute_waiting"  # reviewer, admin: a dispute I may decide
    DISPUTE_DECIDED = "dispute_decided"  # agent: my dispute was decided (points at the evaluation)
    PLAN_DUE = "plan_due"  # agent, author: an action plan due within a few days
    PLAN_ACHIEVED = "plan_achieved"  # agent, author: every goal met
    CALIBRATION_OPENED = "calibration_opened"  # participant: a session I am in
    CALIBRATION_CLOSING = "calibration_closing"  # participant: its deadline is near
    QUEUE_ITEMS = "queue_items"  # reviewer: a sampling run put items in my queue (the run)
    ACKNOWLEDGE_DUE = "acknowledge_due"  # agent: acknowledge this evaluation by tomorrow
    APPEAL_CLOSING = "appeal_closing"  # agent: the dispute window of this evaluation ends soon


class Delivery(enum.StrEnum):
    APP = "app"  # in the app only
    EMAIL = "email"  # in the app and an email at once
    DIGEST = "digest"  # in the app and in the daily digest email
    OFF = "off"  # nothing at all


class Notification(db.Model):
    """One event told to one person; ``email`` is how it leaves the app, fixed when it is made."""

    __tablename__ = "notifications"
    __table_args__ = (sa.Index("ix_notifications_recipient_read", "recipient_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[NotificationKind] = mapped_column(
        string_enum(NotificationKind, "notification_kind", 32)
    )
    object_id: Mapped[int]  # the evaluation, dispute, plan, session or run it points at
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    email: Mapped[Delivery] = mapped_column(
        string_enum(Delivery, "notification_email"), default=Delivery.APP
    )
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class NotificationPreference(db.Model):
    """A person's choice for one kind; a kind without a row uses its default (services.DEFAULTS)."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[NotificationKind] = mapped_column(
        string_enum(NotificationKind, "notification_kind", 32), primary_key=True
    )
    delivery: Mapped[Delivery] = mapped_column(string_enum(Delivery, "notification_delivery"))
