"""Removing transcripts: the retention rule on old interactions, and one customer's erasure.

What goes: the transcript (text and turns), the recording link, the Auto QA evidence that quotes
the transcript, and the words of the escalation signal. What stays: the interaction's row with its
date, agent, channel and customer metrics, every evaluation with its scores and comments, the Auto
QA points, and so every result. docs/privacy.md says why the results stay equal.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from ..admin.models import retention_months
from ..audit.models import AuditAction
from ..audit.services import record_event
from ..autoqa.models import AutoResult, AutoSuggestion
from ..database import utcnow
from ..errors import UserError
from ..extensions import db
from ..interactions.models import Interaction, InteractionSignal, SignalKind

BATCH = 500
RETENTION, ERASURE = "retention", "erasure"


class PrivacyError(UserError):
    """A retention or erasure step that was refused, worded for the admin."""


def _still_held() -> sa.ColumnElement[bool]:
    """Interactions that still hold a transcript or a recording link."""
    return sa.or_(
        Interaction.transcript_text.is_not(None),
        Interaction.transcript_turns.is_not(None),
        Interaction.recording_url.is_not(None),
    )


def _strip_evidence(ids: Sequence[int]) -> None:
    """Auto QA evidence keeps its measurements; the quoted words and their places go."""
    stmt = (
        sa.select(AutoSuggestion)
        .join(AutoResult, AutoSuggestion.result_id == AutoResult.id)
        .where(AutoResult.interaction_id.in_(ids))
    )
    for suggestion in db.session.scalars(stmt):
        kept = [item for item in suggestion.evidence if item.get("kind") != "phrase"]
        if len(kept) != len(suggestion.evidence):
            suggestion.evidence = kept


def _strip_signals(ids: Sequence[int]) -> None:
    """An escalation signal stays raised, without the words and the turn that raised it."""
    db.session.execute(
        sa.update(InteractionSignal)
        .where(InteractionSignal.interaction_id.in_(ids))
        .where(InteractionSignal.kind == SignalKind.ESCALATION)
        .values(detail={})
    )


def remove_transcripts(ids: Sequence[int], reason: str, now: datetime) -> None:
    """Remove what quotes the conversation from these interactions (flush only)."""
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        db.session.execute(
            sa.update(Interaction)
            .where(Interaction.id.in_(batch))
            .values(
                transcript_text=None,
                transcript_turns=None,
                recording_url=None,
                transcript_removed_at=now,
                transcript_removed_by=reason,
            )
            .execution_options(synchronize_session=False)
        )
        _strip_evidence(batch)
        _strip_signals(batch)
    db.session.flush()
    db.session.expire_all()  # loaded interactions read the cleared values again


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` calendar months earlier (the month's last day at most)."""
    total = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(total, 12)
    day = moment.day
    while True:
        try:
            return moment.replace(year=year, month=month + 1, day=day)
        except ValueError:  # 31 March minus one month: 28 or 29 February
            day -= 1


def cutoff(now: datetime | None = None) -> datetime | None:
    """Interactions that happened before this lose their transcript; None: kept for ever."""
    months = retention_months()
    return months_before(now or utcnow(), months) if months else None


def run_retention(now: datetime | None = None, actor: str = "") -> int | None:
    """Apply the retention rule; the number of interactions cleared, None when it is off."""
    now = now or utcnow()
    before = cutoff(now)
    if before is None:
        return None
    stmt = sa.select(Interaction.id).where(Interaction.occurred_at < before, _still_held())
    ids = list(db.session.scalars(stmt.order_by(Interaction.id)))
    remove_transcripts(ids, RETENTION, now)
    detail = {
        "months": retention_months(),
        "before": f"{before:%Y-%m-%d}",
        "interactions": len(ids),
    }
    record_event(AuditAction.RETENTION_RUN, target="interactions", detail=detail, actor=actor)
    return len(ids)


def interactions_of_customer(customer_ref: str) -> sa.Select[tuple[Interaction]]:
    """Every interaction with exactly this customer reference (as stored: no case folding)."""
    return sa.select(Interaction).where(Interaction.customer_ref == customer_ref.strip())


def customer_count(customer_ref: str) -> int:
    stmt = interactions_of_customer(customer_ref).with_only_columns(sa.func.count())
    return db.session.scalar(stmt) or 0


def erase_customer(customer_ref: str, expected: int) -> int:
    """Erase one customer: transcripts, recording links and the reference itself.

    Each interaction keeps an anonymous reference, the same for all of them, so the repeat-contact
    signals they raised still hold. ``expected`` is the count the admin confirmed; a different
    count (an import meanwhile) refuses, and the admin looks again. The audit event stores the
    count, never the reference.
    """
    rows = list(db.session.scalars(interactions_of_customer(customer_ref)))
    if not rows:
        raise PrivacyError(_("No interaction has this customer reference."))
    if len(rows) != expected:
        raise PrivacyError(_("The number of interactions changed meanwhile; look again."))
    anonymous = f"erased-{secrets.token_hex(8)}"
    ids = [row.id for row in rows]
    remove_transcripts(ids, ERASURE, utcnow())
    db.session.execute(
        sa.update(Interaction)
        .where(Interaction.id.in_(ids))
        .values(customer_ref=anonymous)
        .execution_options(synchronize_session=False)
    )
    record_event(AuditAction.ERASURE, target="customer", detail={"interactions": len(ids)})
    db.session.flush()
    return len(ids)
