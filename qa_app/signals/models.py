"""The escalation phrase lists an admin edited; the signals themselves live with interactions.

A language without a row uses the shipped list (``signal_rules.escalation.DEFAULT_PHRASES``);
a row, even an empty one, replaces it (docs/spotlight.md).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..database import UTCDateTime, utcnow
from ..extensions import db


class EscalationPhraseList(db.Model):
    """One language's escalation and churn phrases, one phrase per list item."""

    __tablename__ = "escalation_phrase_lists"

    id: Mapped[int] = mapped_column(primary_key=True)
    # A lemmatiser language code such as "en" or "hu".
    language: Mapped[str] = mapped_column(sa.String(8), unique=True)
    phrases: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    updated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
