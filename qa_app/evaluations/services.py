"""Evaluating: drafts, submission, edits after submission with history; scores from scoring."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _

from ..accounts.models import User
from ..autoqa.queries import suggestions_for
from ..database import utcnow
from ..errors import UserError
from ..extensions import db
from ..interactions.models import Interaction
from ..rootcauses.services import Pick, cause_text, causes_by_id, pick_problems, stored_picks
from ..rules import Outcome
from ..scorecards.models import Criterion, ScorecardVersion, Status
from ..scorecards.services import criterion_specs
from ..scoring import round_score, score_evaluation
from .history import Change, display, log, log_edit, score_text
from .models import (
    ChangeField,
    ChangeKind,
    Evaluation,
    EvaluationScore,
    EvaluationStatus,
    PickReason,
    SuggestionState,
)

# How an interaction came to a reviewer, given (interaction id, reviewer id); None: not known.
PickSource = Callable[[int, int], PickReason | None]
# Filled when create_app registers the sampling blueprint (sampling draws the interactions; this
# slice sits below it and knows no plan). Empty: every evaluation is picked by hand.
PICK_SOURCES: dict[str, PickSource] = {}


def register_pick_source(name: str, source: PickSource) -> None:
    """Say how to learn why an interaction was given to a reviewer (docs/spotlight.md)."""
    PICK_SOURCES[name] = source


def pick_reason(interaction_id: int, reviewer_id: int) -> PickReason:
    """Random or targeted when a plan gave the interaction to this reviewer, else by hand."""
    for source in PICK_SOURCES.values():
        found = source(interaction_id, reviewer_id)
        if found is not None:
            return found
    return PickReason.HAND


class EvaluationError(UserError):
    """A user-facing reason why an evaluation could not be saved."""


class EvaluationConflict(EvaluationError):
    """Someone saved this evaluation after the user opened it."""

    status = 409


@dataclass(frozen=True)
class CriterionInput:
    value: int | None  # 1-5; None with is_na False means "not answered yet"
    is_na: bool
    comment: str
    causes: frozenset[int] = frozenset()  # root cause ids, kept only for a score of 1-3

    @property
    def is_low(self) -> bool:
        return not self.is_na and self.value in (1, 2, 3)


@dataclass(frozen=True)
class EvaluationInput:
    criteria: dict[int, CriterionInput]
    strengths: str
    improvements: str


def start(
    interaction: Interaction,
    version: ScorecardVersion,
    reviewer: User,
    *,
    calibration_session_id: int | None = None,
) -> Evaluation:
    """A new draft evaluation of an interaction against a published scorecard version."""
    # A calibration session keeps its version even after a newer one is published.
    in_session = calibration_session_id is not None and not version.is_draft
    if version.status != Status.PUBLISHED and not in_session:
        raise EvaluationError(_("Only a published scorecard can be used for a new evaluation."))
    if interaction.agent_id == reviewer.id:
        raise EvaluationError(_("You cannot evaluate an interaction you handled yourself."))
    evaluation = Evaluation(
        interaction=interaction,
        scorecard_version=version,
        reviewer=reviewer,
        is_calibration=calibration_session_id is not None,
        calibration_session_id=calibration_session_id,
    )
    # Calibration scores stay "hand": they never count toward results.
    in_plan = not evaluation.is_calibration
    evaluation.picked = pick_reason(interaction.id, reviewer.id) if in_plan else PickReason.HAND
    for criterion in version.ordered_criteria:
        evaluation.scores.append(EvaluationScore(criterion=criterion))
    return evaluation  # added to the session only when first saved


def _check(criterion: Criterion, entry: CriterionInput, complete: bool) -> str | None:
    if entry.is_na and not criterion.allow_na:
        return _('"%(criterion)s" cannot be N/A.', criterion=criterion.name)
    if entry.value is not None and entry.value not in range(1, 6):
        return _('"%(criterion)s" needs a score from 1 to 5.', criterion=criterion.name)
    if complete and entry.value is None and not entry.is_na:
        return _('"%(criterion)s" has no score yet.', criterion=criterion.name)
    return None


def problems(version: ScorecardVersion, data: EvaluationInput, complete: bool) -> list[str]:
    """Every reason the input cannot be stored (complete: as a submitted evaluation)."""
    found = []
    for criterion in version.ordered_criteria:
        entry = data.criteria.get(criterion.id, CriterionInput(None, False, ""))
        problem = _check(criterion, entry, complete)
        if problem:
            found.append(problem)
    return found


def evaluation_problems(evaluation: Evaluation, data: EvaluationInput, complete: bool) -> list[str]:
    """``problems``, and those of the root causes picked (an evaluation's, not a self-review's)."""
    version = evaluation.scorecard_version
    stored = _stored_causes(evaluation)
    picks = []
    for criterion in version.ordered_criteria:
        entry = data.criteria.get(criterion.id, CriterionInput(None, False, ""))
        kept = stored.get(criterion.id, frozenset())
        picks.append(Pick(criterion.name, entry.is_low, entry.causes, kept))
    found = problems(version, data, complete)
    return found + pick_problems(version.scorecard_id, picks, complete)


def _stored_causes(evaluation: Evaluation) -> dict[int, frozenset[int]]:
    """The root cause ids stored per criterion id (none before the first save)."""
    by_score = {s.id: s.criterion_id for s in evaluation.scores if s.id is not None}
    stored = stored_picks(list(by_score)) if by_score else {}
    return {by_score[score_id]: ids for score_id, ids in stored.items()}


def recompute(evaluation: Evaluation) -> None:
    """Store the scoring module's result for the current values (None while incomplete)."""
    if not all(s.is_answered for s in evaluation.scores):
        evaluation.score, evaluation.is_critical_fail = None, False
        return
    ratings = {str(s.criterion.id): s.value for s in evaluation.scores}
    result = score_evaluation(criterion_specs(evaluation.scorecard_version), ratings)
    rounded = round_score(result.score)
    evaluation.score = None if rounded is None else Decimal(str(rounded))
    evaluation.is_critical_fail = result.critical_fail


def _apply(evaluation: Evaluation, data: EvaluationInput) -> list[Change]:
    """Write the input onto the evaluation; returns every change, as the history keeps it."""
    changes: list[Change] = []
    _apply_causes(evaluation, data, changes)
    for score in evaluation.scores:
        entry = data.criteria.get(score.criterion.id, CriterionInput(None, False, ""))
        cid = score.criterion.id
        if (score.score, score.is_na) != (None if entry.is_na else entry.value, entry.is_na):
            changes.append((ChangeField.CRITERION_SCORE, cid, display(score), display(entry)))
            score.score, score.is_na = (None if entry.is_na else entry.value), entry.is_na
        if score.comment != entry.comment:
            changes.append((ChangeField.COMMENT, cid, score.comment, entry.comment))
            score.comment = entry.comment
    for attr, field in (
        ("strengths", ChangeField.STRENGTHS),
        ("improvements", ChangeField.IMPROVEMENTS),
    ):
        if getattr(evaluation, attr) != getattr(data, attr):
            changes.append((field, None, getattr(evaluation, attr), getattr(data, attr)))
            setattr(evaluation, attr, getattr(data, attr))
    return changes


def _apply_causes(evaluation: Evaluation, data: EvaluationInput, changes: list[Change]) -> None:
    """Store the causes of each score of 1-3 (others keep none), noting every change."""
    stored = _stored_causes(evaluation)
    none: frozenset[int] = frozenset()
    wanted = {cid: entry.causes if entry.is_low else none for cid, entry in data.criteria.items()}
    differ = [
        (score, stored.get(score.criterion.id, none), wanted.get(score.criterion.id, none))
        for score in evaluation.scores
    ]
    differ = [(score, old, new) for score, old, new in differ if old != new]
    if not differ:
        return
    known = causes_by_id({c for _, old, new in differ for c in old | new})
    for score, old, new in differ:
        old_text, new_text = cause_text(known[c] for c in old), cause_text(known[c] for c in new)
        changes.append((ChangeField.ROOT_CAUSES, score.criterion.id, old_text, new_text))
        score.root_causes = [known[c] for c in new]


def _refuse_save(
    evaluation: Evaluation,
    data: EvaluationInput,
    submit: bool,
    lock_version: int | None,
    reason: str,
) -> None:
    """Raise why the input cannot be saved: a conflict first, then every problem at once."""
    if evaluation.id is not None and lock_version != evaluation.lock_version:
        raise EvaluationConflict(_("Someone saved this evaluation after you opened it."))
    was_submitted = evaluation.is_submitted
    found = evaluation_problems(evaluation, data, complete=submit or was_submitted)
    if was_submitted and not reason.strip():
        found.append(_("Say why you are changing a submitted evaluation."))
    if found:
        raise EvaluationError(" ".join(found))


def save(
    evaluation: Evaluation,
    data: EvaluationInput,
    actor: User,
    *,
    submit: bool,
    lock_version: int | None,
    reason: str = "",
) -> None:
    """Save a draft, submit it, or change a submitted evaluation (with a reason, in the history).

    A stored evaluation changes only for the lock_version it was read at: a missing or older
    one is a conflict. Only a new evaluation, not stored yet, is saved without one.
    """
    _refuse_save(evaluation, data, submit, lock_version, reason)
    was_submitted = evaluation.is_submitted
    old_score = score_text(evaluation)
    db.session.add(evaluation)
    changes = _apply(evaluation, data)
    _record_suggestions(evaluation, refresh=not was_submitted)
    recompute(evaluation)
    evaluation.updated_at = utcnow()  # always touch the row, so its lock_version moves on
    db.session.flush()
    if was_submitted:
        log_edit(evaluation, actor, changes, old_score, reason.strip())
    elif submit:
        _submit(evaluation, actor)


def _submit(evaluation: Evaluation, actor: User) -> None:
    """Mark a saved draft submitted, note how it was picked, and record the submission."""
    evaluation.status, evaluation.submitted_at = EvaluationStatus.SUBMITTED, utcnow()
    if not evaluation.is_calibration:  # a plan may have assigned it since the draft began
        evaluation.picked = pick_reason(evaluation.interaction_id, evaluation.reviewer_id)
    db.session.flush()
    log(evaluation, actor, ChangeKind.SUBMITTED, new_value=score_text(evaluation))


def _record_suggestions(evaluation: Evaluation, *, refresh: bool) -> None:
    """Note per criterion the Auto QA suggestion and whether the value kept it (never for
    calibration). Until submission the stored suggestion is read again; afterwards it stays."""
    if evaluation.is_calibration:
        return
    if refresh:
        with db.session.no_autoflush:  # one UPDATE per save keeps the lock_version in step
            found = suggestions_for(evaluation.interaction.id, evaluation.scorecard_version.id)
        for score in evaluation.scores:
            made = found.get(score.criterion.id)
            decided = made is not None and made.outcome != Outcome.CANNOT_DECIDE
            score.suggested_point = made.point if decided and made else None
            score.suggestion = SuggestionState.KEPT if decided else SuggestionState.NONE
    for score in evaluation.scores:
        if score.suggested is not None:
            kept = score.suggested == (score.score, score.is_na)
            score.suggestion = SuggestionState.KEPT if kept else SuggestionState.OVERRIDDEN


def acknowledge(evaluation: Evaluation, agent: User) -> None:
    """The agent confirms having read the evaluation (once)."""
    if evaluation.acknowledged_at is None:
        evaluation.acknowledged_at = utcnow()
        log(evaluation, agent, ChangeKind.ACKNOWLEDGED)
        db.session.flush()
