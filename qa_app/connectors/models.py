"""One stored connection per helpdesk: its address, encrypted token, schedule and cursor."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..database import UTCDateTime
from ..extensions import db

MAX_INTERVAL_MINUTES = 10_080  # a week


class HelpdeskConnection(db.Model):
    """How to pull one helpdesk's conversations, and where the last pull stopped.

    The API token is stored encrypted (``connectors/services.py``) and never shown again. The
    cursor is the helpdesk's own marker of the last page read; the next pull starts there.
    """

    __tablename__ = "helpdesk_connections"
    __table_args__ = (
        sa.CheckConstraint(
            f"interval_minutes BETWEEN 0 AND {MAX_INTERVAL_MINUTES}", name="interval_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(sa.String(20), unique=True)  # "zendesk"
    base_url: Mapped[str] = mapped_column(sa.String(500), default="")
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    api_token_encrypted: Mapped[str | None] = mapped_column(sa.Text)
    # 0: no schedule, only "Pull now".
    interval_minutes: Mapped[int] = mapped_column(default=0)
    # Where the first pull starts (tickets changed since); later pulls follow the cursor.
    start_time: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cursor: Mapped[str | None] = mapped_column(sa.Text)
    last_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_pulled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The admin who saved it last: the owner of the scheduled pulls' jobs.
    updated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    updated_by: Mapped[User | None] = relationship()
