"""A dispute on an evaluation, the criteria it names, and its status."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..database import UTCDateTime, string_enum, utcnow
from ..evaluations.models import Evaluation
from ..extensions import db
from ..scorecards.models import Criterion


class DisputeStatus(enum.StrEnum):
    OPEN = "open"
    UPHELD = "upheld"
    ADJUSTED = "adjusted"

    @property
    def label(self) -> str:
        return str(_DISPUTE_LABELS[self.value])


_DISPUTE_LABELS = {"open": _l("Open"), "upheld": _l("Upheld"), "adjusted": _l("Adjusted")}


dispute_criteria = sa.Table(
    "dispute_criteria",
    db.metadata,
    sa.Column("dispute_id", sa.ForeignKey("disputes.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("criterion_id", sa.ForeignKey("criteria.id"), primary_key=True),
)


class Dispute(db.Model):
    __tablename__ = "disputes"
    __table_args__ = (
        # One open dispute per evaluation, enforced by the database on both engines.
        sa.Index(
            "uq_disputes_one_open",
            "evaluation_id",
            unique=True,
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(sa.ForeignKey("evaluations.id"), index=True)
    raised_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[DisputeStatus] = mapped_column(
        string_enum(DisputeStatus, "dispute_status"), default=DisputeStatus.OPEN
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolution_note: Mapped[str] = mapped_column(sa.Text, default="")

    evaluation: Mapped[Evaluation] = relationship(back_populates="disputes")
    raised_by: Mapped[User] = relationship(foreign_keys=[raised_by_id])
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])
    criteria: Mapped[list[Criterion]] = relationship(secondary=dispute_criteria)

    @property
    def is_open(self) -> bool:
        return self.status == DisputeStatus.OPEN
