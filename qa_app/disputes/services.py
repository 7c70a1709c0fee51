"""Disputes: an agent questions an evaluation; someone other than its reviewer decides."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.exc import IntegrityError

from ..accounts.models import Role, User
from ..admin.models import appeals_per_evaluation, dispute_window_days
from ..database import utcnow
from ..evaluations.history import display, log, log_disputed, score_text
from ..evaluations.models import ChangeField, ChangeKind, Evaluation
from ..evaluations.services import CriterionInput, EvaluationError, recompute
from ..extensions import db
from .models import Dispute, DisputeStatus


def dispute_deadline(evaluation: Evaluation) -> datetime | None:
    if evaluation.submitted_at is None:
        return None
    return evaluation.submitted_at + timedelta(days=dispute_window_days())


def dispute_refusal(evaluation: Evaluation, agent: User) -> str | None:
    """Why this agent cannot dispute this evaluation now; None when they can."""
    if not evaluation.is_submitted or evaluation.interaction.agent_id != agent.id:
        return _("Only the agent of a submitted evaluation can dispute it.")
    if evaluation.open_dispute is not None:
        return _("This evaluation already has an open dispute.")
    allowed = appeals_per_evaluation()
    if len(evaluation.disputes) >= allowed:
        return ngettext(
            "This evaluation has been disputed and decided; an evaluation can be disputed "
            "%(num)d time only.",
            "This evaluation has been disputed and decided; an evaluation can be disputed "
            "%(num)d times only.",
            allowed,
        )
    deadline = dispute_deadline(evaluation)
    if deadline is not None and utcnow() > deadline:
        return ngettext(
            "The %(num)d-day window for disputes has passed.",
            "The %(num)d-day window for disputes has passed.",
            dispute_window_days(),
        )
    return None


def raise_dispute(
    evaluation: Evaluation, agent: User, reason: str, criterion_ids: list[int]
) -> Dispute:
    """Open a dispute on the whole evaluation (no criteria named) or on named criteria."""
    refusal = dispute_refusal(evaluation, agent)
    if refusal:
        raise EvaluationError(refusal)
    if not reason.strip():
        raise EvaluationError(_("Say why you disagree."))
    by_id = {c.id: c for c in evaluation.scorecard_version.ordered_criteria}
    if any(cid not in by_id for cid in criterion_ids):
        raise EvaluationError(_("Choose criteria of this scorecard."))
    dispute = Dispute(
        evaluation=evaluation,
        raised_by_id=agent.id,
        reason=reason.strip(),
        criteria=[by_id[cid] for cid in criterion_ids],
    )
    db.session.add(dispute)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as exc:  # a second open dispute raced this one
        raise EvaluationError(_("This evaluation already has an open dispute.")) from exc
    log_disputed(evaluation, agent, dispute.criteria, dispute.reason)
    return dispute


def can_resolve(dispute: Dispute, user: User) -> bool:
    """Reviewers, admins and the agent's team lead, but never the evaluation's own reviewer."""
    if user.id == dispute.evaluation.reviewer_id or not dispute.is_open:
        return False
    if user.role in (Role.ADMIN, Role.REVIEWER):
        return True
    if user.role == Role.LEAD:
        agent = dispute.evaluation.interaction.agent
        return any(team.lead_id == user.id for team in agent.teams)
    return False


def resolve(
    dispute: Dispute, actor: User, note: str, adjustments: dict[int, CriterionInput]
) -> None:
    """Uphold the evaluation (no adjustments) or change scores; every change goes in the history."""
    if not can_resolve(dispute, actor):
        raise EvaluationError(_("You cannot resolve this dispute."))
    if not note.strip():
        raise EvaluationError(_("Explain the decision to the agent."))
    evaluation = dispute.evaluation
    old_score = score_text(evaluation)
    changed = _adjust(evaluation, actor, adjustments, note.strip())
    recompute(evaluation)
    evaluation.updated_at = utcnow()
    new_score = score_text(evaluation)
    dispute.status = DisputeStatus.ADJUSTED if changed else DisputeStatus.UPHELD
    dispute.resolved_by_id, dispute.resolved_at = actor.id, utcnow()
    dispute.resolution_note = note.strip()
    kind = ChangeKind.ADJUSTED if changed else ChangeKind.UPHELD
    log(
        evaluation,
        actor,
        kind,
        ChangeField.SCORE,
        old_value=old_score,
        new_value=new_score,
        reason=note.strip(),
    )
    db.session.flush()


def _adjust(
    evaluation: Evaluation, actor: User, adjustments: dict[int, CriterionInput], note: str
) -> bool:
    changed = False
    for score in evaluation.scores:
        entry = adjustments.get(score.criterion_id)
        if entry is None or (score.score, score.is_na) == (entry.value, entry.is_na):
            continue
        if entry.is_na and not score.criterion.allow_na:
            name = score.criterion.name
            raise EvaluationError(_('"%(criterion)s" cannot be N/A.', criterion=name))
        if not entry.is_na and entry.value not in range(1, 6):
            name = score.criterion.name
            raise EvaluationError(_('"%(criterion)s" needs a score from 1 to 5.', criterion=name))
        log(
            evaluation,
            actor,
            ChangeKind.ADJUSTED,
            ChangeField.CRITERION_SCORE,
            score.criterion_id,
            old_value=display(score),
            new_value=display(entry),
            reason=note,
        )
        score.score, score.is_na = (None if entry.is_na else entry.value), entry.is_na
        changed = True
    return changed


def open_disputes_for(user: User) -> sa.Select[tuple[Dispute]]:
    """The dispute queue this user works on, oldest first.

    Only the disputes are in the outer FROM, and "open" is written into the SQL as a literal
    so SQLite matches the partial index of open disputes: the planner then starts from the few
    open disputes (the menu counts them on every page). Joined to evaluations and interactions,
    SQLite walked every evaluation for a lead's count (5.7 ms at 100,000 evaluations and no
    dispute at all, growing with the data)."""
    from ..accounts.access import agents_led_by
    from ..accounts.models import team_members

    is_open = Dispute.status == sa.bindparam("open", DisputeStatus.OPEN, literal_execute=True)
    stmt = sa.select(Dispute).where(is_open).order_by(Dispute.created_at, Dispute.id)
    if user.role == Role.LEAD:
        led = agents_led_by(user).where(team_members.c.agent_id == Evaluation.agent_id)
        theirs = sa.select(Evaluation.id).where(
            Evaluation.id == Dispute.evaluation_id, led.exists()
        )
        stmt = stmt.where(theirs.exists())
    return stmt
