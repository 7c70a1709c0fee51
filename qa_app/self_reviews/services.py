"""Asking for a self-review, scoring it, declining it, and setting it against the reviewer's."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from random import Random

import sqlalchemy as sa
from flask_babel import gettext as _

from ..accounts.models import Role, User
from ..database import utcnow
from ..errors import UserError
from ..evaluations.access import AgentHider
from ..evaluations.models import Evaluation, EvaluationStatus
from ..evaluations.services import CriterionInput, EvaluationInput, problems
from ..extensions import db
from ..interactions.models import Interaction
from ..scorecards.models import ScorecardVersion, Status
from ..scorecards.services import criterion_specs
from ..scoring import round_score, score_evaluation
from .models import SelfReview, SelfReviewScore, SelfReviewStatus


class SelfReviewError(UserError):
    """A user-facing reason why a self-review could not be asked for or saved."""


class SelfReviewConflict(SelfReviewError):
    """The self-review was saved elsewhere (another tab) after this page was opened."""

    status = 409


def pending_clause() -> sa.ColumnElement[bool]:
    """True for an evaluation whose interaction waits for its agent's self-review."""
    return sa.exists().where(
        SelfReview.interaction_id == Evaluation.interaction_id,
        SelfReview.status == SelfReviewStatus.OPEN,
    )


def _shown_to(review: SelfReview) -> set[int | None]:
    """The agents on whose pages a change of this self-review may hide or show an evaluation:
    the agent asked (and before, were that changed), and the interaction's agent now (a later
    import may have moved it)."""
    interaction = review.interaction
    before = sa.inspect(review).attrs.agent_id.history.deleted
    return {review.agent_id, *before, None if interaction is None else interaction.agent_id}


HIDER = AgentHider(pending_clause, SelfReview, ("status", "interaction_id", "agent_id"), _shown_to)


def ask_among(
    picks: list[tuple[int, int]],
    per_agent: int,
    version: ScorecardVersion,
    requester: User | None,
    chooser: Random,
) -> int:
    """Ask each agent for up to per_agent self-reviews among their (agent id, interaction id)
    picks not asked yet, chosen by the seeded chooser; returns how many were asked."""
    ids = [interaction_id for _agent, interaction_id in picks]
    taken = sa.select(SelfReview.interaction_id).where(SelfReview.interaction_id.in_(ids))
    asked = set(db.session.scalars(taken))
    chosen: list[int] = []
    for agent_id in sorted({agent for agent, _id in picks}):
        free = sorted({i for a, i in picks if a == agent_id} - asked)
        chosen += chooser.sample(free, min(per_agent, len(free)))
    found = db.session.scalars(sa.select(Interaction).where(Interaction.id.in_(chosen)))
    for interaction in found:
        request_self_review(interaction, version, requester)
    return len(chosen)


def request_self_review(
    interaction: Interaction, version: ScorecardVersion, requester: User | None
) -> SelfReview:
    """Ask the interaction's agent to score it with a published version (once per interaction).

    ``requester`` is None when a sampling plan runs on its own schedule.
    """
    if version.status != Status.PUBLISHED:
        raise SelfReviewError(_("Only a published scorecard can be used for a self-review."))
    if interaction.agent.role != Role.AGENT:
        raise SelfReviewError(_("Only an agent's interaction can be self-reviewed."))
    taken = sa.select(SelfReview.id).where(SelfReview.interaction_id == interaction.id)
    if db.session.scalar(taken) is not None:
        raise SelfReviewError(_("A self-review of this interaction was already asked for."))
    review = SelfReview(
        interaction=interaction,
        agent_id=interaction.agent_id,
        scorecard_version=version,
        requested_by_id=requester.id if requester else None,
    )
    review.scores = [SelfReviewScore(criterion=c) for c in version.ordered_criteria]
    db.session.add(review)
    db.session.flush()
    return review


def _apply(review: SelfReview, data: EvaluationInput) -> None:
    for score in review.scores:
        entry = data.criteria.get(score.criterion_id, CriterionInput(None, False, ""))
        score.score, score.is_na = (None if entry.is_na else entry.value), entry.is_na
        score.comment = entry.comment
    review.strengths, review.improvements = data.strengths, data.improvements


def recompute(review: SelfReview) -> None:
    """The scoring module's result for the current values, exactly as for an evaluation."""
    if not all(s.is_answered for s in review.scores):
        review.score, review.is_critical_fail = None, False
        return
    ratings = {str(s.criterion.id): s.value for s in review.scores}
    result = score_evaluation(criterion_specs(review.scorecard_version), ratings)
    rounded = round_score(result.score)
    review.score = None if rounded is None else Decimal(str(rounded))
    review.is_critical_fail = result.critical_fail


def save(
    review: SelfReview, data: EvaluationInput, *, submit: bool, lock_version: int | None
) -> None:
    """Keep a draft or submit; a submitted or declined self-review no longer changes."""
    if not review.is_open:
        raise SelfReviewError(_("This self-review is closed: it no longer changes."))
    if lock_version != review.lock_version:
        raise SelfReviewConflict(_("This self-review was saved after you opened it."))
    found = problems(review.scorecard_version, data, complete=submit)
    if found:
        raise SelfReviewError(" ".join(found))
    _apply(review, data)
    recompute(review)
    review.updated_at = utcnow()
    if submit:
        review.status, review.finished_at = SelfReviewStatus.SUBMITTED, utcnow()
    db.session.flush()


def decline(review: SelfReview) -> None:
    """The agent says no: the request closes and the reviewer's evaluation shows again."""
    if not review.is_open:
        raise SelfReviewError(_("This self-review is closed: it no longer changes."))
    review.status, review.finished_at = SelfReviewStatus.DECLINED, utcnow()
    db.session.flush()


def reviewer_evaluation(review: SelfReview) -> Evaluation | None:
    """The newest submitted evaluation of the interaction outside calibration, if any."""
    stmt = (
        sa.select(Evaluation)
        .where(
            Evaluation.interaction_id == review.interaction_id,
            Evaluation.status == EvaluationStatus.SUBMITTED,
            Evaluation.is_calibration.is_(False),
        )
        .order_by(Evaluation.submitted_at.desc(), Evaluation.id.desc())
        .limit(1)
    )
    return db.session.scalar(stmt)


@dataclass(frozen=True)
class GapRow:
    """One criterion side by side: the points (None: N/A or not given) and self - reviewer."""

    key: str
    name: str
    own: int | None
    reviewer: int | None

    @property
    def gap(self) -> int | None:
        if self.own is None or self.reviewer is None:
            return None
        return self.own - self.reviewer


def gap_rows(
    criteria: list[tuple[str, str]], own: dict[str, int | None], reviewer: dict[str, int | None]
) -> list[GapRow]:
    """Pure: the criteria (key, name) in order, matched by key across scorecard versions."""
    return [GapRow(key, name, own.get(key), reviewer.get(key)) for key, name in criteria]


def comparison(review: SelfReview, evaluation: Evaluation | None) -> list[GapRow]:
    """The self-review's criteria against the reviewer's evaluation, by criterion key."""
    criteria = [(c.key, c.name) for c in review.scorecard_version.ordered_criteria]
    # A draft stays the agent's own: others see the points once submitted.
    own = {s.criterion.key: s.value for s in review.scores} if review.is_submitted else {}
    theirs = {s.criterion.key: s.value for s in evaluation.scores} if evaluation else {}
    return gap_rows(criteria, own, theirs)


def score_gap(review: SelfReview, evaluation: Evaluation | None) -> Decimal | None:
    """The overall score's gap (self - reviewer), when both have a score."""
    if evaluation is None or review.score is None or evaluation.score is None:
        return None
    return review.score - evaluation.score
