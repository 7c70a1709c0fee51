"""Auto QA results: what the rules suggested for an interaction, kept apart from evaluations.

One ``AutoResult`` per (interaction, scorecard version), one ``AutoSuggestion`` per (result,
criterion with a rule). Scoring again replaces both; nothing here is an evaluation, and the
results aggregates never read these tables (docs/autoqa.md).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import UTCDateTime, string_enum, utcnow
from ..extensions import db
from ..rules import Outcome


class AutoResult(db.Model):
    """The auto score of one interaction on one scorecard version, and how much was decided."""

    __tablename__ = "auto_results"
    __table_args__ = (
        sa.UniqueConstraint(
            "interaction_id", "scorecard_version_id", name="uq_auto_results_interaction_version"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    interaction_id: Mapped[int] = mapped_column(
        sa.ForeignKey("interactions.id", ondelete="CASCADE"), index=True
    )
    scorecard_version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("scorecard_versions.id", ondelete="CASCADE"), index=True
    )
    # None when no rule decided, or every decided criterion was N/A.
    score: Mapped[Decimal | None] = mapped_column(sa.Numeric(5, 2))
    critical_fail: Mapped[bool] = mapped_column(default=False)
    # Coverage: criteria on the version, those with a rule, and those a rule decided.
    criteria_total: Mapped[int] = mapped_column(default=0)
    criteria_with_rule: Mapped[int] = mapped_column(default=0)
    criteria_decided: Mapped[int] = mapped_column(default=0)
    scored_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    suggestions: Mapped[list[AutoSuggestion]] = relationship(
        back_populates="result", cascade="all, delete-orphan", passive_deletes=True
    )


class AutoSuggestion(db.Model):
    """One rule's answer: a point, N/A, or cannot decide with its reason; evidence as JSON."""

    __tablename__ = "auto_suggestions"
    __table_args__ = (
        sa.UniqueConstraint("result_id", "criterion_id", name="uq_auto_suggestions_criterion"),
        sa.CheckConstraint("point BETWEEN 1 AND 5", name="point_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(
        sa.ForeignKey("auto_results.id", ondelete="CASCADE"), index=True
    )
    criterion_id: Mapped[int] = mapped_column(
        sa.ForeignKey("criteria.id", ondelete="CASCADE"), index=True
    )
    outcome: Mapped[Outcome] = mapped_column(string_enum(Outcome, "auto_outcome"))
    point: Mapped[int | None] = mapped_column(sa.SmallInteger())
    reason: Mapped[str | None] = mapped_column(sa.String(40))
    # A list of {"turn", "start", "end", "phrase"} or {"name", "value", "unit", "turn"}.
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)

    result: Mapped[AutoResult] = relationship(back_populates="suggestions")
