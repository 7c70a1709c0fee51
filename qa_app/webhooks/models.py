"""Endpoints an admin registered, the deliveries made for them, and every attempt of each."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import UTCDateTime, string_enum, utcnow
from ..extensions import db


class WebhookEvent(enum.StrEnum):
    EVALUATION_SUBMITTED = "evaluation.submitted"
    EVALUATION_CHANGED = "evaluation.changed"
    DISPUTE_OPENED = "dispute.opened"
    DISPUTE_RESOLVED = "dispute.resolved"
    IMPORT_FINISHED = "import.finished"
    AUTOQA_FINISHED = "autoqa.finished"
    TEST = "webhook.test"  # sent by the "Send test event" button only; nobody subscribes to it


SUBSCRIBABLE = tuple(event for event in WebhookEvent if event != WebhookEvent.TEST)


class DeliveryState(enum.StrEnum):
    PENDING = "pending"  # waiting for its next attempt
    SENDING = "sending"  # a worker claimed it and is sending now
    DELIVERED = "delivered"
    FAILED = "failed"  # every attempt failed; nothing more is tried


class WebhookEndpoint(db.Model):
    __tablename__ = "webhook_endpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(sa.String(500))
    description: Mapped[str] = mapped_column(sa.String(200), default="")
    # The signing secret, encrypted under a key derived from SECRET_KEY (qa_app/sealed.py).
    secret_sealed: Mapped[str] = mapped_column(sa.Text)
    events: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    deliveries: Mapped[list[WebhookDelivery]] = relationship(
        back_populates="endpoint", passive_deletes=True
    )


class WebhookDelivery(db.Model):
    """One event for one endpoint: the body is fixed when the event happens, then retried as is."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        sa.Index("ix_webhook_deliveries_state_next", "state", "next_attempt_at"),
        sa.Index("ix_webhook_deliveries_endpoint_created", "endpoint_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(
        sa.ForeignKey("webhook_endpoints.id", ondelete="CASCADE")
    )
    message_id: Mapped[str] = mapped_column(sa.String(40), unique=True)  # the webhook-id header
    event: Mapped[WebhookEvent] = mapped_column(string_enum(WebhookEvent, "webhook_event", 32))
    payload: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    state: Mapped[DeliveryState] = mapped_column(
        string_enum(DeliveryState, "webhook_delivery_state"), default=DeliveryState.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    endpoint: Mapped[WebhookEndpoint] = relationship(back_populates="deliveries")
    log: Mapped[list[WebhookAttempt]] = relationship(
        order_by="WebhookAttempt.id", passive_deletes=True, lazy="selectin"
    )


class WebhookAttempt(db.Model):
    """One try at sending a delivery: when, the answer's status code or why there was none."""

    __tablename__ = "webhook_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        sa.ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status_code: Mapped[int | None] = mapped_column()
    error: Mapped[str] = mapped_column(sa.String(300), default="")
    duration_ms: Mapped[int] = mapped_column(default=0)
