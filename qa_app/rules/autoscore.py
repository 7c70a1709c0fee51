"""The auto score: the criteria a rule decided, scored by the same rules as an evaluation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..scoring import CriterionSpec, EvaluationResult, score_evaluation
from .suggestions import Suggestion


@dataclass(frozen=True, slots=True)
class AutoScore:
    """The score over the decided criteria (None if none), and which criteria were left out."""

    result: EvaluationResult | None
    decided: tuple[str, ...]
    undecided: tuple[str, ...]

    @property
    def score(self) -> float | None:
        return None if self.result is None else self.result.score


def auto_score(
    criteria: Sequence[CriterionSpec], suggestions: Mapping[str, Suggestion]
) -> AutoScore:
    """Score the criteria whose rule decided (point or N/A), with weights, N/A and critical.

    Criteria without a rule, or whose rule could not decide, are left out as if they were not on
    the scorecard. An N/A on a criterion that does not allow it raises ValueError, as it would
    for a reviewer's rating.
    """
    unknown = sorted(set(suggestions) - {spec.key for spec in criteria})
    if unknown:
        raise ValueError(f"suggestion for unknown criterion: {', '.join(map(repr, unknown))}")
    decided = [
        spec for spec in criteria if spec.key in suggestions and suggestions[spec.key].decided
    ]
    decided_keys = {spec.key for spec in decided}
    undecided = tuple(spec.key for spec in criteria if spec.key not in decided_keys)
    if not decided:
        return AutoScore(None, (), undecided)
    ratings = {spec.key: suggestions[spec.key].point for spec in decided}
    result = score_evaluation(decided, ratings)
    return AutoScore(result, tuple(spec.key for spec in decided), undecided)
