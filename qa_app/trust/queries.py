"""The trust page: how closely the rules' points follow the reviewers', per criterion.

One query reads every (human score, auto suggestion) pair of the period; the figures come from
the pure ``qa_app.scoring.trust``. A unit is (interaction, criterion); when several submitted
evaluations scored it, the latest submitted one is the human coder (docs/autoqa.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from ..autoqa.models import AutoResult, AutoSuggestion
from ..autoqa.queries import Period
from ..evaluations.models import Evaluation, EvaluationScore, EvaluationStatus
from ..extensions import db
from ..interactions.models import Interaction
from ..rules import Outcome
from ..scorecards.models import Criterion, ScorecardVersion
from ..scoring.trust import Pair, TrustFigures, trust_figures

MIN_PAIRS = 5  # fewer pairs say too little to rank a rule among those that disagree most
SHOWN_DISAGREEMENTS = 5


@dataclass(frozen=True)
class Disagreement:
    interaction_id: int
    external_id: str
    human: int
    machine: int


@dataclass
class CriterionTrust:
    """One rule (a criterion of a scorecard version) against the reviewers."""

    criterion_id: int
    name: str
    scorecard: str
    version: int
    pairs: list[Pair] = field(default_factory=list)
    labels: dict[int, str] = field(default_factory=dict)  # interaction id -> external id
    figures: TrustFigures | None = None

    @property
    def disagreements(self) -> list[Disagreement]:
        """Complete pairs that differ, the widest gap first."""
        found = [
            Disagreement(p.unit[0], self.labels[p.unit[0]], p.human, p.machine)  # type: ignore[index]
            for p in self.pairs
            if p.human is not None and p.machine is not None and p.human != p.machine
        ]
        return sorted(found, key=lambda d: (-abs(d.human - d.machine), d.external_id))

    @property
    def shown(self) -> list[Disagreement]:
        return self.disagreements[:SHOWN_DISAGREEMENTS]

    @property
    def is_ranked(self) -> bool:
        return self.figures is not None and self.figures.pairs >= MIN_PAIRS


@dataclass(frozen=True)
class TrustReport:
    overall: TrustFigures
    criteria: list[CriterionTrust]  # the lowest exact agreement first, unranked ones last


# One pair row: the interaction, criterion and version, the reviewer's value, the suggestion.
_PAIR_COLUMNS = (
    Interaction.id,
    Interaction.external_id,
    Criterion.id,
    Criterion.name,
    ScorecardVersion.name,
    ScorecardVersion.version,
    EvaluationScore.score,
    EvaluationScore.is_na,
    AutoSuggestion.outcome,
    AutoSuggestion.point,
)


def _pairs_stmt(period: Period) -> sa.Select[tuple]:
    start, end = period.bounds()
    return (
        sa.select(*_PAIR_COLUMNS)
        .select_from(EvaluationScore)
        .join(Evaluation, Evaluation.id == EvaluationScore.evaluation_id)
        .join(AutoResult, _auto_result_of_evaluation())
        .join(AutoSuggestion, _suggestion_of_score())
        .join(Interaction, Interaction.id == Evaluation.interaction_id)
        .join(Criterion, Criterion.id == EvaluationScore.criterion_id)
        .join(ScorecardVersion, ScorecardVersion.id == Evaluation.scorecard_version_id)
        .where(
            Evaluation.status == EvaluationStatus.SUBMITTED,
            Evaluation.is_calibration.is_(False),
            Interaction.occurred_at >= start,
            Interaction.occurred_at < end,
        )
        # The latest submitted evaluation comes last, so it is the one a unit keeps.
        .order_by(Evaluation.submitted_at, Evaluation.id)
    )


def _auto_result_of_evaluation() -> sa.ColumnElement[bool]:
    """The Auto QA result of the evaluation's interaction on the evaluation's version."""
    return sa.and_(
        AutoResult.interaction_id == Evaluation.interaction_id,
        AutoResult.scorecard_version_id == Evaluation.scorecard_version_id,
    )


def _suggestion_of_score() -> sa.ColumnElement[bool]:
    """That result's suggestion for the criterion of the score."""
    return sa.and_(
        AutoSuggestion.result_id == AutoResult.id,
        AutoSuggestion.criterion_id == EvaluationScore.criterion_id,
    )


def _read(period: Period) -> dict[int, CriterionTrust]:
    by_criterion: dict[int, CriterionTrust] = {}
    units: dict[tuple[int, int], Pair] = {}
    for row in db.session.execute(_pairs_stmt(period)):
        interaction_id, external_id, criterion_id, name, card, version = row[:6]
        score, is_na, outcome, point = row[6:]
        found = by_criterion.get(criterion_id)
        if found is None:
            found = by_criterion[criterion_id] = CriterionTrust(criterion_id, name, card, version)
        found.labels[interaction_id] = external_id
        human = None if is_na else score
        machine = point if outcome == Outcome.POINT else None
        units[(interaction_id, criterion_id)] = Pair((interaction_id, criterion_id), human, machine)
    for unit, pair in units.items():
        by_criterion[unit[1]].pairs.append(pair)
    return by_criterion


def _rank(row: CriterionTrust) -> tuple[bool, float, str]:
    exact = row.figures.exact_pct if row.figures is not None else None
    return (not row.is_ranked, 101.0 if exact is None else exact, row.name.casefold())


def trust_report(period: Period) -> TrustReport:
    """Per rule and overall agreement of the auto suggestions with the reviewers in the period."""
    by_criterion = _read(period)
    everything: list[Pair] = []
    for row in by_criterion.values():
        row.figures = trust_figures(row.pairs)
        everything.extend(row.pairs)
    return TrustReport(trust_figures(everything), sorted(by_criterion.values(), key=_rank))
