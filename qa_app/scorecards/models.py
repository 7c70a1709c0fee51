"""Scorecards: a family of versions; each version has ordered sections and criteria."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import UTCDateTime, string_enum, utcnow
from ..extensions import db


class Status(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class Scorecard(db.Model):
    """The identity that versions share; evaluations point at a version, never at this."""

    __tablename__ = "scorecards"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    versions: Mapped[list[ScorecardVersion]] = relationship(
        back_populates="scorecard", order_by="ScorecardVersion.version"
    )


class ScorecardVersion(db.Model):
    __tablename__ = "scorecard_versions"
    __table_args__ = (
        sa.UniqueConstraint("scorecard_id", "version", name="uq_scorecard_versions_number"),
        sa.CheckConstraint("pass_mark >= 0 AND pass_mark <= 100", name="pass_mark_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scorecard_id: Mapped[int] = mapped_column(sa.ForeignKey("scorecards.id"), index=True)
    version: Mapped[int] = mapped_column(default=1)
    status: Mapped[Status] = mapped_column(string_enum(Status, "status"), default=Status.DRAFT)
    slug: Mapped[str] = mapped_column(sa.String(80))
    name: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    language: Mapped[str] = mapped_column(sa.String(35), default="en")
    channels: Mapped[list[str]] = mapped_column(sa.JSON)
    pass_mark: Mapped[Decimal] = mapped_column(sa.Numeric(5, 2), default=Decimal(80))
    label_1: Mapped[str] = mapped_column(sa.String(40))
    label_2: Mapped[str] = mapped_column(sa.String(40))
    label_3: Mapped[str] = mapped_column(sa.String(40))
    label_4: Mapped[str] = mapped_column(sa.String(40))
    label_5: Mapped[str] = mapped_column(sa.String(40))
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    scorecard: Mapped[Scorecard] = relationship(back_populates="versions")
    sections: Mapped[list[Section]] = relationship(
        back_populates="scorecard_version",
        order_by="Section.position",
        cascade="all, delete-orphan",
    )

    @property
    def labels(self) -> dict[int, str]:
        return {point: getattr(self, f"label_{point}") for point in range(5, 0, -1)}

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def ordered_criteria(self) -> list[Criterion]:
        return [criterion for section in self.sections for criterion in section.criteria]


class Section(db.Model):
    __tablename__ = "scorecard_sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    scorecard_version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("scorecard_versions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(sa.String(120))

    scorecard_version: Mapped[ScorecardVersion] = relationship(back_populates="sections")
    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="section", order_by="Criterion.position", cascade="all, delete-orphan"
    )


class Criterion(db.Model):
    __tablename__ = "criteria"
    __table_args__ = (
        sa.CheckConstraint("weight > 0", name="weight_positive"),
        sa.UniqueConstraint("scorecard_version_id", "key", name="uq_criteria_version_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scorecard_version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("scorecard_versions.id", ondelete="CASCADE"), index=True
    )
    section_id: Mapped[int] = mapped_column(
        sa.ForeignKey("scorecard_sections.id", ondelete="CASCADE"), index=True
    )
    # Stays the same across versions of a scorecard, so results can follow a criterion over time.
    key: Mapped[str] = mapped_column(sa.String(32))
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text)
    anchor_1: Mapped[str] = mapped_column(sa.Text)
    anchor_3: Mapped[str] = mapped_column(sa.Text)
    anchor_5: Mapped[str] = mapped_column(sa.Text)
    weight: Mapped[Decimal] = mapped_column(sa.Numeric(6, 2), default=Decimal(1))
    allow_na: Mapped[bool] = mapped_column(default=False)
    is_critical: Mapped[bool] = mapped_column(default=False)
    coaching_tips: Mapped[str] = mapped_column(sa.Text, default="")
    # The Auto QA rule spec (docs/autoqa.md), or None; part of the version, so frozen with it.
    rule: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)

    scorecard_version: Mapped[ScorecardVersion] = relationship()
    section: Mapped[Section] = relationship(back_populates="criteria")

    @property
    def anchors(self) -> dict[int, str]:
        return {5: self.anchor_5, 3: self.anchor_3, 1: self.anchor_1}
