"""The score of one evaluation, exactly as docs/scoring.md defines it."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from .scale import criterion_pct, round_score, validate_score

__all__ = [
    "CRITICAL_PCT",
    "CriterionSpec",
    "EvaluationResult",
    "Rating",
    "ratings_map",
    "round_score",
    "score_evaluation",
]

# A critical criterion below this percentage (a 1 or a 2) zeroes the whole evaluation.
CRITICAL_PCT: Final = 50.0


def _positive_weight(key: str, weight: object) -> float:
    """Return the weight as a float if it is a finite positive number, else raise ValueError."""
    # Numeric database columns arrive as Decimal; mixing Decimal and float would fail later.
    value = math.nan
    if isinstance(weight, int | float | Decimal) and not isinstance(weight, bool):
        value = float(weight)
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"criterion {key!r}: weight must be a positive number, got {weight!r}")
    return value


def _checked_score(key: str, score: object) -> int:
    """Return a valid 1-5 score, or raise ValueError naming the criterion."""
    try:
        return validate_score(score)
    except ValueError as exc:
        raise ValueError(f"criterion {key!r}: {exc}") from None


@dataclass(frozen=True, slots=True)
class CriterionSpec:
    """What scoring needs to know about one criterion of a scorecard version."""

    key: str
    weight: float = 1.0
    critical: bool = False
    allow_na: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.key, str) or not self.key:
            raise ValueError(f"a criterion key must be a non-empty string, got {self.key!r}")
        object.__setattr__(self, "weight", _positive_weight(self.key, self.weight))


@dataclass(frozen=True, slots=True)
class Rating:
    """The score a reviewer gave one criterion; None means N/A."""

    key: str
    score: int | None

    def __post_init__(self) -> None:
        if self.score is not None:
            _checked_score(self.key, self.score)


@dataclass(frozen=True, slots=True)
class EvaluationResult:
    """The score of one evaluation (None when every criterion is N/A)."""

    score: float | None
    critical_fail: bool
    scored_count: int


def ratings_map(ratings: Iterable[Rating]) -> dict[str, int | None]:
    """Turn ratings into the key -> score mapping score_evaluation takes."""
    result: dict[str, int | None] = {}
    for rating in ratings:
        if rating.key in result:
            raise ValueError(f"more than one rating for criterion {rating.key!r}")
        result[rating.key] = rating.score
    return result


def _check_keys(criteria: Sequence[CriterionSpec], ratings: Mapping[str, int | None]) -> None:
    """Raise ValueError unless every criterion has exactly one rating and nothing else does."""
    if not criteria:
        raise ValueError("a scorecard needs at least one criterion")
    keys = [spec.key for spec in criteria]
    duplicates = sorted(key for key, count in Counter(keys).items() if count > 1)
    if duplicates:
        raise ValueError(f"duplicate criterion keys: {', '.join(map(repr, duplicates))}")
    unknown = sorted(set(ratings) - set(keys), key=str)
    if unknown:
        raise ValueError(f"rating for unknown criterion: {', '.join(map(repr, unknown))}")
    missing = [key for key in keys if key not in ratings]
    if missing:
        raise ValueError(f"missing rating for criterion: {', '.join(map(repr, missing))}")


def _scored_pcts(
    criteria: Sequence[CriterionSpec], ratings: Mapping[str, int | None]
) -> list[tuple[CriterionSpec, float]]:
    """Return (criterion, pct) for every scored criterion, checking N/A and score ranges."""
    scored: list[tuple[CriterionSpec, float]] = []
    for spec in criteria:
        score = ratings[spec.key]
        if score is None:
            if not spec.allow_na:
                raise ValueError(f"criterion {spec.key!r} does not allow N/A")
            continue
        scored.append((spec, criterion_pct(_checked_score(spec.key, score))))
    return scored


def score_evaluation(
    criteria: Sequence[CriterionSpec], ratings: Mapping[str, int | None]
) -> EvaluationResult:
    """Score one evaluation: weighted mean pct of scored criteria, 0 on a critical fail."""
    _check_keys(criteria, ratings)
    scored = _scored_pcts(criteria, ratings)
    if not scored:
        return EvaluationResult(score=None, critical_fail=False, scored_count=0)
    if any(spec.critical and pct < CRITICAL_PCT for spec, pct in scored):
        return EvaluationResult(score=0.0, critical_fail=True, scored_count=len(scored))
    # fsum is exactly rounded, so the result does not depend on the order of the criteria.
    total = math.fsum(spec.weight * pct for spec, pct in scored)
    weights = math.fsum(spec.weight for spec, _ in scored)
    pcts = [pct for _, pct in scored]
    # A weighted mean lies between its extremes; clamping only removes float rounding error.
    score = min(max(total / weights, min(pcts)), max(pcts))
    return EvaluationResult(score=score, critical_fail=False, scored_count=len(scored))
