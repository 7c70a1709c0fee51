"""Evaluations, their per-criterion scores and the append-only history."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..database import UTCDateTime, string_enum, utcnow
from ..extensions import db
from ..interactions.models import Channel, Interaction
from ..rootcauses.models import RootCause, evaluation_score_causes
from ..scorecards.models import Criterion, ScorecardVersion
from ..ui.filters import format_score

if TYPE_CHECKING:  # the disputes slice builds on this one; the mapper finds Dispute by name
    from ..disputes.models import Dispute


class EvaluationStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class PickReason(enum.StrEnum):
    """How the interaction came to be scored; the headline score leaves out targeted ones.

    ``random``: drawn at random by a sampling plan; ``targeted``: drawn by a spotlight plan for
    its signals; ``hand``: chosen by a person (docs/spotlight.md).
    """

    RANDOM = "random"
    TARGETED = "targeted"
    HAND = "hand"


# What the evaluation lists check on every row (calibration scores left out; leads, agents and
# the status filter: submitted ones only): the list indexes end with them (docs/performance.md).
COUNTED = ("is_calibration", "status")


class Evaluation(db.Model):
    __tablename__ = "evaluations"
    # No index leads with status or is_calibration: with few distinct values they would lure the
    # planner away from interaction_id when reading one agent's evaluations.
    __table_args__ = (
        # The list's order; the walks of a late range of days (ui/keyset.py) read the
        # interaction's time and the columns every list checks from it alone.
        sa.Index(
            "ix_evaluations_submitted_at",
            "submitted_at",
            "id",
            "occurred_at",
            "is_calibration",
            "status",
        ),
        # The list's first part, the drafts newest first, and its "draft" filter: a few rows.
        sa.Index(
            "ix_evaluations_drafts",
            "id",
            sqlite_where=sa.text("submitted_at IS NULL"),
            postgresql_where=sa.text("submitted_at IS NULL"),
        ),
        # A participant scores each interaction of a calibration session once.
        sa.UniqueConstraint(
            "calibration_session_id",
            "interaction_id",
            "reviewer_id",
            name="uq_evaluations_calibration",
        ),
        sa.CheckConstraint(
            "calibration_session_id IS NULL OR is_calibration", name="session_is_calibration"
        ),
        # The scoring page's draft check: matching all three columns, it beats the single-column
        # reviewer index whatever order the indexes were made in (docs/performance.md).
        sa.Index("ix_evaluations_interaction_reviewer", "interaction_id", "reviewer_id", "status"),
        # The list's filters on the interaction's agent (and team) and channel, each read in the
        # list's order; its range of days finds the submission times it spans from the second
        # index alone (docs/performance.md, Lists). The columns every list checks come last
        # (COUNTED; the agent too for the days), so that a capped count reads the index alone.
        sa.Index("ix_evaluations_agent_submitted", "agent_id", "submitted_at", "id", *COUNTED),
        sa.Index("ix_evaluations_channel_submitted", "channel", "submitted_at", "id", *COUNTED),
        sa.Index(
            "ix_evaluations_occurred_submitted", "occurred_at", "submitted_at", *COUNTED, "agent_id"
        ),
        # The first and last submission time of a range of days for everyone: two seeks per day
        # (the first index reads every entry of the range for them).
        sa.Index("ix_evaluations_day_submitted", "occurred_on", "submitted_at"),
        # A range of days of some agents (a team's month, a lead's): the range's rows of those
        # agents alone, counted and their submission times spanned from the index.
        sa.Index(
            "ix_evaluations_agent_occurred", "agent_id", "occurred_at", "submitted_at", *COUNTED
        ),
        # A reviewer's own ("mine"), in the list's order; also their drafts. COUNTED last, as
        # above: the capped count reads it alone (without, SQLite scanned the table whenever its
        # statistics said one reviewer had written half the evaluations).
        sa.Index(
            "ix_evaluations_reviewer_submitted", "reviewer_id", "submitted_at", "id", *COUNTED
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    interaction_id: Mapped[int] = mapped_column(sa.ForeignKey("interactions.id"), index=True)
    scorecard_version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("scorecard_versions.id"), index=True
    )
    reviewer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    status: Mapped[EvaluationStatus] = mapped_column(
        string_enum(EvaluationStatus, "evaluation_status"), default=EvaluationStatus.DRAFT
    )
    # Computed by qa_app.scoring from the scores below; None while incomplete or when all N/A.
    score: Mapped[Decimal | None] = mapped_column(sa.Numeric(5, 2))
    is_critical_fail: Mapped[bool] = mapped_column(default=False)
    strengths: Mapped[str] = mapped_column(sa.Text, default="")
    improvements: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Calibration evaluations train the reviewers: never shown to agents, never in results.
    is_calibration: Mapped[bool] = mapped_column(default=False)
    calibration_session_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("calibration_sessions.id"), index=True
    )
    picked: Mapped[PickReason] = mapped_column(
        string_enum(PickReason, "pick_reason"), default=PickReason.HAND
    )
    # Copies of the interaction's agent, time (and its UTC day) and channel, kept exact on every
    # flush by qa_app/evaluations/copies.py: the list filters on them without joining the
    # interactions.
    agent_id: Mapped[int]
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    occurred_on: Mapped[date]
    channel: Mapped[Channel] = mapped_column(string_enum(Channel, "channel"))
    # Optimistic lock: a save based on an older lock_version is refused with 409.
    lock_version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": lock_version}

    interaction: Mapped[Interaction] = relationship()
    scorecard_version: Mapped[ScorecardVersion] = relationship()
    reviewer: Mapped[User] = relationship()
    scores: Mapped[list[EvaluationScore]] = relationship(
        back_populates="evaluation", cascade="all, delete-orphan"
    )
    # By time first: a migrated dispute entry split per criterion keeps its place.
    changes: Mapped[list[EvaluationChange]] = relationship(
        order_by="[EvaluationChange.at, EvaluationChange.id]", viewonly=True
    )
    disputes: Mapped[list[Dispute]] = relationship(
        back_populates="evaluation", order_by="Dispute.id"
    )

    @property
    def is_submitted(self) -> bool:
        return self.status == EvaluationStatus.SUBMITTED

    @property
    def open_dispute(self) -> Dispute | None:
        return next((d for d in self.disputes if d.is_open), None)

    def score_for(self, criterion_id: int) -> EvaluationScore | None:
        return next((s for s in self.scores if s.criterion_id == criterion_id), None)


class SuggestionState(enum.StrEnum):
    """What the reviewer did with an Auto QA suggestion; NONE when there was none to take."""

    NONE = "none"
    KEPT = "kept"
    OVERRIDDEN = "overridden"


class EvaluationScore(db.Model):
    """One criterion's value: 1-5, N/A (is_na), or not answered yet (draft only).

    ``suggestion`` and ``suggested_point`` record the Auto QA suggestion the server found at
    save (docs/autoqa.md); a suggestion with no point was N/A.
    """

    __tablename__ = "evaluation_scores"
    __table_args__ = (
        sa.UniqueConstraint("evaluation_id", "criterion_id", name="uq_evaluation_scores_pair"),
        sa.CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),
        sa.CheckConstraint("NOT (is_na AND score IS NOT NULL)", name="na_has_no_score"),
        sa.CheckConstraint("suggested_point BETWEEN 1 AND 5", name="suggested_point_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(sa.ForeignKey("evaluations.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(sa.ForeignKey("criteria.id"), index=True)
    score: Mapped[int | None] = mapped_column(sa.SmallInteger())
    is_na: Mapped[bool] = mapped_column(default=False)
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    suggestion: Mapped[SuggestionState] = mapped_column(
        string_enum(SuggestionState, "suggestion_state"), default=SuggestionState.NONE
    )
    suggested_point: Mapped[int | None] = mapped_column(sa.SmallInteger())

    evaluation: Mapped[Evaluation] = relationship(back_populates="scores")
    criterion: Mapped[Criterion] = relationship()
    # The reasons picked for a score of 1-3 (docs/root-causes.md).
    root_causes: Mapped[list[RootCause]] = relationship(
        secondary=evaluation_score_causes, order_by="[RootCause.position, RootCause.id]"
    )

    @property
    def value(self) -> int | None:
        """The value the scoring rules see: 1-5, or None for N/A."""
        return None if self.is_na else self.score

    @property
    def is_answered(self) -> bool:
        return self.is_na or self.score is not None

    @property
    def suggested(self) -> tuple[int | None, bool] | None:
        """The suggestion as (point, is N/A), or None when there was none."""
        if self.suggestion == SuggestionState.NONE:
            return None
        return self.suggested_point, self.suggested_point is None


class ChangeKind(enum.StrEnum):
    SUBMITTED = "submitted"
    EDITED = "edited"
    ACKNOWLEDGED = "acknowledged"
    DISPUTED = "disputed"
    UPHELD = "upheld"
    ADJUSTED = "adjusted"


class ChangeField(enum.StrEnum):
    """What a history entry is about; the criterion, when there is one, is in criterion_id."""

    SCORE = "score"  # the evaluation's overall score
    CRITERION_SCORE = "criterion_score"
    COMMENT = "comment"  # the comment on a criterion
    STRENGTHS = "strengths"
    IMPROVEMENTS = "improvements"
    CRITERION = "criterion"  # a disputed criterion as a whole
    EVALUATION = "evaluation"  # a dispute on the whole evaluation
    OTHER = "other"  # an old entry whose words matched nothing: legacy_field keeps them
    ROOT_CAUSES = "root_causes"  # the causes picked on a criterion (docs/root-causes.md)


class EvaluationChange(db.Model):
    """Append-only history of a submitted evaluation: who, when (UTC), what, old, new, why.

    What changed is kept as data (field kind and criterion) and worded when the page is shown, in
    the reader's language and with the criterion's name.
    """

    __tablename__ = "evaluation_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(sa.ForeignKey("evaluations.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    kind: Mapped[ChangeKind] = mapped_column(string_enum(ChangeKind, "change_kind"))
    # None for entries about no field in particular (submitted, acknowledged).
    field_kind: Mapped[ChangeField | None] = mapped_column(string_enum(ChangeField, "change_field"))
    criterion_id: Mapped[int | None] = mapped_column(sa.ForeignKey("criteria.id"), index=True)
    legacy_field: Mapped[str | None] = mapped_column(sa.String(200))
    old_value: Mapped[str] = mapped_column(sa.Text, default="")
    new_value: Mapped[str] = mapped_column(sa.Text, default="")
    reason: Mapped[str] = mapped_column(sa.Text, default="")

    actor: Mapped[User | None] = relationship()
    # selectin: the criteria of a whole history are read in one query, not one per entry.
    criterion: Mapped[Criterion | None] = relationship(lazy="selectin")

    def shown(self, value: str) -> str:
        """An old or new value as the reader writes it: scores in their notation, N/A named."""
        if value == "N/A":
            return _("N/A")
        if self.field_kind == ChangeField.SCORE or self.kind == ChangeKind.SUBMITTED:
            try:
                return format_score(Decimal(value))
            except InvalidOperation:
                return value
        return value


@event.listens_for(EvaluationChange, "before_update")
@event.listens_for(EvaluationChange, "before_delete")
def _history_is_append_only(_mapper: object, _connection: object, target: EvaluationChange) -> None:
    raise RuntimeError(f"evaluation history is append-only (change {target.id})")
