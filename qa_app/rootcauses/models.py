"""The root-cause list of a scorecard family: categories, their causes, and the rule.

A scorecard's list belongs to the family (`scorecards.id`), so it carries over to new versions.
Discarding a family's only draft deletes its list with it (it cannot have been picked yet).
A retired category or cause stays on the evaluations that picked it but is offered no more.
The picks themselves sit in `evaluation_score_causes`, one row per criterion score and cause.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db


class RootCauseSettings(db.Model):
    """Whether a criterion scored 1-3 needs at least one cause; no row means optional."""

    __tablename__ = "root_cause_settings"

    scorecard_id: Mapped[int] = mapped_column(
        sa.ForeignKey("scorecards.id", ondelete="CASCADE"), primary_key=True
    )
    required: Mapped[bool] = mapped_column(default=False)


class RootCauseCategory(db.Model):
    __tablename__ = "root_cause_categories"
    __table_args__ = (
        sa.UniqueConstraint("scorecard_id", "name", name="uq_root_cause_categories_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scorecard_id: Mapped[int] = mapped_column(
        sa.ForeignKey("scorecards.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(120))
    position: Mapped[int] = mapped_column(default=0)
    retired: Mapped[bool] = mapped_column(default=False)

    causes: Mapped[list[RootCause]] = relationship(
        back_populates="category", order_by="[RootCause.position, RootCause.id]"
    )


class RootCause(db.Model):
    __tablename__ = "root_causes"
    __table_args__ = (sa.UniqueConstraint("category_id", "name", name="uq_root_causes_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(
        sa.ForeignKey("root_cause_categories.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(120))
    position: Mapped[int] = mapped_column(default=0)
    retired: Mapped[bool] = mapped_column(default=False)

    category: Mapped[RootCauseCategory] = relationship(back_populates="causes")

    @property
    def offered(self) -> bool:
        return not (self.retired or self.category.retired)


# Which causes a reviewer picked for one criterion score; the score's row owns its picks.
evaluation_score_causes = sa.Table(
    "evaluation_score_causes",
    db.metadata,
    sa.Column(
        "evaluation_score_id",
        sa.ForeignKey("evaluation_scores.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("root_cause_id", sa.ForeignKey("root_causes.id"), primary_key=True, index=True),
)
