"""A session's results: spread per criterion, agreement per reviewer, Krippendorff's alpha.

The statistics come from qa_app.scoring.agreement; this module only arranges the stored
scores into units, (interaction, criterion), coded by reviewers, with N/A as missing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from ..accounts.models import User
from ..evaluations.models import Evaluation
from ..interactions.models import Interaction
from ..scorecards.models import Criterion
from ..scoring.agreement import (
    NO_VARIATION,
    NOT_ENOUGH_DATA,
    NOT_RELIABLE,
    RELIABLE,
    TENTATIVE,
    Agreement,
    AlphaResult,
    Spread,
    benchmark_from_others,
    krippendorff_alpha_ordinal,
    reviewer_agreement,
    spread,
)
from .models import CalibrationSession
from .queries import submitted_evaluations

Unit = tuple[int, int]  # (interaction id, criterion id)
Units = dict[Unit, dict[int, int | None]]  # unit -> reviewer id -> 1-5, or None for N/A

# The scoring module reads alpha with English keys; these are what a reader sees.
_READINGS = {
    RELIABLE: _l("reliable"),
    TENTATIVE: _l("tentative"),
    NOT_RELIABLE: _l("not reliable"),
    NOT_ENOUGH_DATA: _l("not enough data"),
    NO_VARIATION: _l("no variation"),
}


def reading_label(reading: str) -> str:
    """How to read an alpha value ("reliable", "tentative"...), in the reader's language."""
    found = _READINGS.get(reading)
    return reading if found is None else str(found)


def units_of(evaluations: Iterable[Evaluation], grid: Iterable[Unit] = ()) -> Units:
    """Each unit's values by reviewer; grid adds the units nobody scored yet."""
    units: Units = {unit: {} for unit in grid}
    for evaluation in evaluations:
        for score in evaluation.scores:
            unit = (evaluation.interaction_id, score.criterion_id)
            units.setdefault(unit, {})[evaluation.reviewer_id] = score.value
    return units


def own_scores(units: Units, reviewer_id: int) -> dict[Unit, int | None]:
    return {unit: coded[reviewer_id] for unit, coded in units.items() if reviewer_id in coded}


def benchmark_expert(expert_id: int | None, units: Units) -> int | None:
    """The expert whose scores are the benchmark; None (the median) when they submitted none."""
    if expert_id is None or not any(expert_id in coded for coded in units.values()):
        return None
    return expert_id


def agreement_of(reviewer_id: int, units: Units, expert_id: int | None) -> Agreement:
    """One reviewer against the benchmark: the expert, or the median of the others."""
    benchmark = benchmark_from_others(units, reviewer_id, expert_id)
    return reviewer_agreement(own_scores(units, reviewer_id), benchmark)


def is_above(agreement: Agreement, tolerance: float) -> bool:
    deviation = agreement.mean_abs_deviation
    return deviation is not None and deviation > tolerance


@dataclass(frozen=True)
class UnitRow:
    interaction: Interaction
    criterion: Criterion
    scores: dict[int, int | None]
    spread: Spread


@dataclass(frozen=True)
class ReviewerRow:
    reviewer: User
    is_expert: bool
    agreement: Agreement
    is_flagged: bool


@dataclass(frozen=True)
class SessionResults:
    reviewers: list[User]
    rows: list[UnitRow]  # interaction by interaction, in scorecard order
    reviewer_rows: list[ReviewerRow]
    alpha: AlphaResult
    expert: User | None  # set when the expert's scores are the benchmark
    tolerance: float

    @property
    def widest_first(self) -> list[UnitRow]:
        """The widest spread first: those criteria's anchors may need rewriting."""
        return sorted(self.rows, key=_spread_key)

    @property
    def alpha_reading(self) -> str:
        """How to read the session's alpha, in the reader's language."""
        return reading_label(self.alpha.reading)

    @property
    def many_interactions(self) -> bool:
        return len({row.interaction.id for row in self.rows}) > 1

    def chart_rows(self) -> list[tuple[str, dict[int, int | None]]]:
        """(label, scores) per row; the label names the interaction when there are several."""
        many = self.many_interactions
        return [
            (
                f"{r.criterion.name} · {r.interaction.external_id}" if many else r.criterion.name,
                r.scores,
            )
            for r in self.rows
        ]


def _spread_key(row: UnitRow) -> tuple[bool, float, int]:
    found = row.spread
    if found.stdev is None or found.min is None or found.max is None:
        return (True, 0.0, 0)
    return (False, -found.stdev, found.min - found.max)


def session_results(session: CalibrationSession, tolerance: float) -> SessionResults:
    """Everything the results page shows, from the session's submitted evaluations."""
    evaluations = submitted_evaluations([session.id])
    criteria = session.scorecard_version.ordered_criteria
    grid = [(i.id, c.id) for i in session.interactions for c in criteria]
    units = units_of(evaluations, grid)
    reviewers = sorted(
        {e.reviewer_id: e.reviewer for e in evaluations}.values(),
        key=lambda user: user.display_name.casefold(),
    )
    expert_id = benchmark_expert(session.expert_id, units)
    rows = [
        UnitRow(i, c, units[(i.id, c.id)], spread(units[(i.id, c.id)].values()))
        for i in session.interactions
        for c in criteria
    ]
    return SessionResults(
        reviewers,
        rows,
        _reviewer_rows(reviewers, units, expert_id, tolerance),
        krippendorff_alpha_ordinal(units),
        session.expert if expert_id is not None else None,
        tolerance,
    )


def _reviewer_rows(
    reviewers: list[User], units: Units, expert_id: int | None, tolerance: float
) -> list[ReviewerRow]:
    rows = []
    for reviewer in reviewers:
        agreement = agreement_of(reviewer.id, units, expert_id)
        flagged = is_above(agreement, tolerance)
        rows.append(ReviewerRow(reviewer, reviewer.id == expert_id, agreement, flagged))
    return rows
