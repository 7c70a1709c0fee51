"""Calibration sessions: several reviewers score the same interactions blind."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..database import UTCDateTime, utcnow
from ..extensions import db
from ..interactions.models import Interaction
from ..scorecards.models import ScorecardVersion

calibration_interactions = sa.Table(
    "calibration_interactions",
    db.metadata,
    sa.Column(
        "session_id", sa.ForeignKey("calibration_sessions.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("interaction_id", sa.ForeignKey("interactions.id"), primary_key=True),
)

calibration_participants = sa.Table(
    "calibration_participants",
    db.metadata,
    sa.Column(
        "session_id", sa.ForeignKey("calibration_sessions.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("user_id", sa.ForeignKey("users.id"), primary_key=True),
    # "The sessions I take part in" is the common question.
    sa.Index("ix_calibration_participants_user_id", "user_id"),
)


class CalibrationSession(db.Model):
    """Reviewers score the same interactions on one scorecard version; the tool measures the gap."""

    __tablename__ = "calibration_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    scorecard_version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("scorecard_versions.id"), index=True
    )
    leader_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    # The expert's evaluation is the benchmark; without one, the median of the others is.
    expert_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    deadline: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    scorecard_version: Mapped[ScorecardVersion] = relationship()
    leader: Mapped[User] = relationship(foreign_keys=[leader_id])
    expert: Mapped[User | None] = relationship(foreign_keys=[expert_id])
    interactions: Mapped[list[Interaction]] = relationship(
        secondary=calibration_interactions, order_by="Interaction.id"
    )
    participants: Mapped[list[User]] = relationship(
        secondary=calibration_participants, order_by="User.display_name"
    )

    @property
    def results_open(self) -> bool:
        """Closed by the leader, or past the deadline: scoring has ended and results show."""
        return self.closed_at is not None or self.deadline <= utcnow()

    @property
    def ended_at(self) -> datetime:
        """When scoring ended (or will end)."""
        if self.closed_at is not None and self.closed_at < self.deadline:
            return self.closed_at
        return self.deadline

    @property
    def status_label(self) -> str:
        """Open, Closed or Deadline passed, in the reader's language."""
        if self.closed_at is not None:
            return _("Closed")
        return _("Deadline passed") if self.results_open else _("Open")

    def has_participant(self, user: User) -> bool:
        return any(participant.id == user.id for participant in self.participants)

    def has_interaction(self, interaction_id: int) -> bool:
        return any(interaction.id == interaction_id for interaction in self.interactions)
