"""Interactions and the import batches they came in with."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..database import UTCDateTime, string_enum, utcnow
from ..extensions import db
from ..signal_rules.facts import Kind


class Channel(enum.StrEnum):
    CALL = "call"
    CHAT = "chat"
    EMAIL = "email"


def is_web_address(url: str) -> bool:
    """True for an absolute http or https URL with a host: never javascript:, data: and such."""
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unclosed [ in the host
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


class FileFormat(enum.StrEnum):
    CSV = "csv"
    JSONL = "jsonl"
    # Helpdesk exports and pulls (docs/helpdesk-imports.md); the value names the source.
    ZENDESK = "zendesk"
    FRESHDESK = "freshdesk"
    INTERCOM = "intercom"


class ImportBatch(db.Model):
    """One imported file: who brought it in, when, and what it added."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Empty for command-line imports run without --as.
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The name the user gave the file: shown on pages, never used as a path.
    source_name: Mapped[str] = mapped_column(sa.String(255))
    file_format: Mapped[FileFormat] = mapped_column(string_enum(FileFormat, "file_format"))
    rows_total: Mapped[int] = mapped_column(default=0)
    rows_added: Mapped[int] = mapped_column(default=0)
    # Rows whose external_id was already in the database.
    rows_skipped: Mapped[int] = mapped_column(default=0)

    created_by: Mapped[User | None] = relationship()


class Interaction(db.Model):
    """One recorded call, chat or email handled by one agent."""

    __tablename__ = "interactions"
    __table_args__ = (
        sa.CheckConstraint("duration_seconds >= 0", name="duration_seconds_not_negative"),
        sa.CheckConstraint("handle_seconds >= 0", name="handle_seconds_not_negative"),
        sa.CheckConstraint("csat BETWEEN 1 AND 5", name="csat_range"),
        sa.CheckConstraint("nps BETWEEN 0 AND 10", name="nps_range"),
        sa.CheckConstraint("ces BETWEEN 1 AND 7", name="ces_range"),
        # The list's "evaluated / not yet" filter, newest first, read from the index alone.
        sa.Index("ix_interactions_evaluated_occurred_at", "evaluated", "occurred_at", "id"),
        # Some agents' interactions in a range (the result pages' Auto QA series and root
        # causes): without it a planner with statistics walks every agent's range by time.
        sa.Index("ix_interactions_agent_id_occurred_at", "agent_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(sa.String(200), unique=True)
    channel: Mapped[Channel] = mapped_column(string_enum(Channel, "channel"))
    agent_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    duration_seconds: Mapped[int | None]
    language: Mapped[str | None] = mapped_column(sa.String(35))
    customer_ref: Mapped[str | None] = mapped_column(sa.String(200))
    subject: Mapped[str | None] = mapped_column(sa.String(500))
    transcript_text: Mapped[str | None] = mapped_column(sa.Text())
    # A list of {"speaker": str, "text": str, "at": str | number} when the source had turns.
    transcript_turns: Mapped[list[dict[str, Any]] | None] = mapped_column(
        sa.JSON(none_as_null=True)
    )
    recording_url: Mapped[str | None] = mapped_column(sa.String(2000))
    csat: Mapped[int | None] = mapped_column(sa.SmallInteger())
    nps: Mapped[int | None] = mapped_column(sa.SmallInteger())
    ces: Mapped[int | None] = mapped_column(sa.SmallInteger())
    first_contact_resolved: Mapped[bool | None]
    handle_seconds: Mapped[int | None]
    import_batch_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("import_batches.id", ondelete="SET NULL"), index=True
    )
    # The row of the imported file, as the user counts rows; names the first of two equal ids.
    import_row: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # When the transcript and recording link were removed, and why: "retention" (the admin's
    # rule on old interactions) or "erasure" (one customer's data). Scores stay (docs/privacy.md).
    transcript_removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    transcript_removed_by: Mapped[str | None] = mapped_column(sa.String(16))
    # True once a submitted evaluation outside calibration exists (drafts do not count). Kept
    # by the evaluations slice on every flush (qa_app/evaluations/evaluated.py), so the list's
    # "not evaluated yet" filter reads an index instead of searching the evaluations.
    evaluated: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    agent: Mapped[User] = relationship()
    import_batch: Mapped[ImportBatch | None] = relationship()

    @property
    def recording_link(self) -> str | None:
        """The recording URL when it is a web address that is safe to link to."""
        url = self.recording_url
        return url if url and is_web_address(url) else None

    def __repr__(self) -> str:
        return f"<Interaction {self.id} {self.external_id!r}>"


# Why an interaction may be worth a human's look (docs/spotlight.md): the pure detection's kinds,
# stored as they are.
SignalKind = Kind


class InteractionSignal(db.Model):
    """One signal found on one interaction, with the figure behind it.

    ``figure`` is the measured value where there is one (the CSAT answer, the handle seconds,
    the auto score); ``detail`` holds the rest as JSON (the threshold it passed, the matched
    phrase and its turn and span, the earlier evaluation's id). Computed by the signals slice;
    stored here so the interaction list can filter on it.
    """

    __tablename__ = "interaction_signals"
    __table_args__ = (
        sa.UniqueConstraint("interaction_id", "kind"),
        sa.Index("ix_interaction_signals_kind_interaction", "kind", "interaction_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    interaction_id: Mapped[int] = mapped_column(
        sa.ForeignKey("interactions.id", ondelete="CASCADE")
    )
    kind: Mapped[SignalKind] = mapped_column(string_enum(SignalKind, "signal_kind", 24))
    figure: Mapped[float | None] = mapped_column(sa.Float())
    detail: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON())
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    interaction: Mapped[Interaction] = relationship()
