"""An evaluation's history: what each change looked like and the entries that record it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from ..accounts.models import User
from ..database import utcnow
from ..extensions import db
from ..scorecards.models import Criterion
from .models import ChangeField, ChangeKind, Evaluation, EvaluationChange, EvaluationScore

if TYPE_CHECKING:
    from .services import CriterionInput

# One history entry before it is written: the field, its criterion (if any), old and new value.
Change = tuple[ChangeField, int | None, str, str]


def display(score: EvaluationScore | CriterionInput | None) -> str:
    """How a criterion value is kept in the history: 1-5, N/A or a dash (shown translated)."""
    if score is None:
        return "—"
    value = score.score if isinstance(score, EvaluationScore) else score.value
    return "N/A" if score.is_na else ("—" if value is None else str(value))


def log(
    evaluation: Evaluation,
    actor: User | None,
    kind: ChangeKind,
    field: ChangeField | None = None,
    criterion_id: int | None = None,
    *,
    at: datetime | None = None,
    **values: str,
) -> None:
    """Append one entry to the evaluation's history (field and criterion say what it is about)."""
    db.session.add(
        EvaluationChange(
            evaluation_id=evaluation.id,
            actor_id=actor.id if actor else None,
            at=at or utcnow(),
            kind=kind,
            field_kind=field,
            criterion_id=criterion_id,
            **values,
        )
    )


def log_disputed(
    evaluation: Evaluation, agent: User, criteria: list[Criterion], reason: str
) -> None:
    """One entry per disputed criterion (at the same time), or one about the whole evaluation."""
    at = utcnow()
    if not criteria:
        log(evaluation, agent, ChangeKind.DISPUTED, ChangeField.EVALUATION, at=at, reason=reason)
    for criterion in criteria:
        field = ChangeField.CRITERION
        log(evaluation, agent, ChangeKind.DISPUTED, field, criterion.id, at=at, reason=reason)


def score_text(evaluation: Evaluation) -> str:
    """The score as the history keeps it (EvaluationChange.shown writes it in the reader's way)."""
    return "—" if evaluation.score is None else f"{float(evaluation.score):.2f}"


def log_edit(
    evaluation: Evaluation,
    actor: User,
    changes: list[Change],
    old_score: str,
    reason: str,
) -> None:
    """One entry per changed field of a submitted evaluation, and one if its score moved."""
    for field, criterion_id, old, new in changes:
        log(
            evaluation,
            actor,
            ChangeKind.EDITED,
            field,
            criterion_id,
            old_value=old,
            new_value=new,
            reason=reason,
        )
    if old_score != score_text(evaluation):
        log(
            evaluation,
            actor,
            ChangeKind.EDITED,
            ChangeField.SCORE,
            old_value=old_score,
            new_value=score_text(evaluation),
            reason=reason,
        )
