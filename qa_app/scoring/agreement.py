"""Calibration statistics: Krippendorff's alpha, score spread, agreement with a benchmark.

Pure functions over plain mappings; no app, no database. Alpha follows the coincidence-matrix
formulation of Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", and is computed
with exact fractions so a result that sits on a threshold reads the same on every machine.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal, TypeVar

Level = Literal["nominal", "ordinal", "interval", "ratio"]
Unit = TypeVar("Unit", bound=Hashable)
Coder = TypeVar("Coder", bound=Hashable)
Metric = Callable[[int, int], Fraction]

# Krippendorff's customary cut-offs: rely on data from alpha >= .800, draw only tentative
# conclusions from .667 <= alpha < .800.
RELIABLE_FROM = Fraction(800, 1000)
TENTATIVE_FROM = Fraction(667, 1000)

RELIABLE = "reliable"
TENTATIVE = "tentative"
NOT_RELIABLE = "not reliable"
NOT_ENOUGH_DATA = "not enough data"
NO_VARIATION = "no variation"


@dataclass(frozen=True)
class AlphaResult:
    """Krippendorff's alpha with the size of the data it rests on and how to read it."""

    alpha: float | None
    units: int  # pairable units: units with at least two values
    values: int  # pairable values, Krippendorff's n
    reading: str


@dataclass(frozen=True)
class Spread:
    """How far apart the scores given to one criterion are."""

    min: int | None
    max: int | None
    stdev: float | None  # population standard deviation
    count: int


@dataclass(frozen=True)
class Agreement:
    """How closely one reviewer's scores follow the benchmark scores."""

    mean_abs_deviation: float | None
    exact_pct: float | None  # 0-100
    within_one_pct: float | None  # 0-100, |score - benchmark| <= 1
    compared: int  # units where both the reviewer and the benchmark have a value


def alpha_reading(alpha: float | Fraction) -> str:
    """Read an alpha value against Krippendorff's .800 and .667 cut-offs."""
    if alpha >= RELIABLE_FROM:
        return RELIABLE
    if alpha >= TENTATIVE_FROM:
        return TENTATIVE
    return NOT_RELIABLE


def krippendorff_alpha_ordinal(units: Mapping[Unit, Mapping[Coder, int | None]]) -> AlphaResult:
    """Krippendorff's alpha at the ordinal level; None values are missing."""
    return krippendorff_alpha(units, level="ordinal")


def krippendorff_alpha(
    units: Mapping[Unit, Mapping[Coder, int | None]], level: Level = "ordinal"
) -> AlphaResult:
    """Krippendorff's alpha at the given level of measurement; None values are missing.

    Degenerate data never raises. Without a pairable unit there is nothing to compare
    ("not enough data"). When every pairable value is the same, the expected disagreement is
    zero and alpha is 0/0: undefined, and Krippendorff notes that data without variation cannot
    show reliability, so alpha is None with the reading "no variation".
    """
    metric_for = _METRICS.get(level)
    if metric_for is None:
        raise ValueError(f"unknown level of measurement: {level!r}")
    pairable = _pairable_units(units)
    if not pairable:
        return AlphaResult(None, 0, 0, NOT_ENOUGH_DATA)
    marginals: Counter[int] = Counter()
    for unit_counts in pairable:
        marginals.update(unit_counts)
    n = marginals.total()
    delta = metric_for(marginals)
    observed = sum((o * delta(c, k) for (c, k), o in _coincidences(pairable).items()), Fraction(0))
    expected = sum(
        (n_c * n_k * delta(c, k) for c, n_c in marginals.items() for k, n_k in marginals.items()),
        Fraction(0),
    )
    if expected == 0:
        return AlphaResult(None, len(pairable), n, NO_VARIATION)
    alpha = 1 - (n - 1) * observed / expected
    return AlphaResult(float(alpha), len(pairable), n, alpha_reading(alpha))


def _pairable_units(units: Mapping[Unit, Mapping[Coder, int | None]]) -> list[Counter[int]]:
    """Value counts of every unit that has at least two values."""
    counted = (
        Counter(value for value in coded.values() if value is not None) for coded in units.values()
    )
    return [counts for counts in counted if counts.total() >= 2]


def _coincidences(pairable: Iterable[Counter[int]]) -> dict[tuple[int, int], Fraction]:
    """The coincidence matrix o_ck: each unit's ordered value pairs, weighted 1 / (m_u - 1)."""
    matrix: defaultdict[tuple[int, int], Fraction] = defaultdict(Fraction)
    for counts in pairable:
        weight = Fraction(1, counts.total() - 1)
        for c, n_c in counts.items():
            for k, n_k in counts.items():
                pairs = n_c * (n_k - 1) if c == k else n_c * n_k
                matrix[c, k] += pairs * weight
    return matrix


def _nominal(_marginals: Mapping[int, int]) -> Metric:
    return lambda c, k: Fraction(0 if c == k else 1)


def _ordinal(marginals: Mapping[int, int]) -> Metric:
    # sum_{g=c}^{k} n_g - (n_c + n_k) / 2 is the distance between the mid-ranks of c and k
    # in the pooled values, so squaring a difference of mid-ranks gives Krippendorff's delta².
    midrank: dict[int, Fraction] = {}
    below = 0
    for value in sorted(marginals):
        midrank[value] = below + Fraction(marginals[value], 2)
        below += marginals[value]
    return lambda c, k: (midrank[c] - midrank[k]) ** 2


def _interval(_marginals: Mapping[int, int]) -> Metric:
    return lambda c, k: Fraction(c - k) ** 2


def _ratio(marginals: Mapping[int, int]) -> Metric:
    if any(value < 0 for value in marginals):
        raise ValueError("ratio-level values cannot be negative")
    return lambda c, k: Fraction(0) if c == k else Fraction(c - k, c + k) ** 2


_METRICS: dict[str, Callable[[Mapping[int, int]], Metric]] = {
    "nominal": _nominal,
    "ordinal": _ordinal,
    "interval": _interval,
    "ratio": _ratio,
}


def spread(values: Iterable[int | None]) -> Spread:
    """Min, max, population standard deviation and count of the values, ignoring None."""
    present = [value for value in values if value is not None]
    if not present:
        return Spread(None, None, None, 0)
    return Spread(min(present), max(present), statistics.pstdev(present), len(present))


def reviewer_agreement(
    reviewer: Mapping[Unit, int | None], benchmark: Mapping[Unit, float | None]
) -> Agreement:
    """Mean absolute deviation, % exact and % within one point of a reviewer against a benchmark.

    Exact means equal to the benchmark value itself, so a median benchmark of 3.5 is never
    matched exactly (though a 3 or a 4 is within one point of it).
    """
    gaps = []
    for unit, score in reviewer.items():
        target = benchmark.get(unit)
        if score is not None and target is not None:
            gaps.append(abs(score - target))
    if not gaps:
        return Agreement(None, None, None, 0)
    compared = len(gaps)
    return Agreement(
        mean_abs_deviation=sum(gaps) / compared,
        exact_pct=100 * sum(1 for gap in gaps if gap == 0) / compared,
        within_one_pct=100 * sum(1 for gap in gaps if gap <= 1) / compared,
        compared=compared,
    )


def benchmark_from_others(
    units: Mapping[Unit, Mapping[Coder, int | None]], reviewer: Coder, expert: Coder | None = None
) -> dict[Unit, float | None]:
    """Benchmark per unit for one reviewer: the expert's score, else the median of the others.

    With an expert, a unit the expert did not score (or scored N/A) has no benchmark; it does
    not fall back to the median. The expert is not measured against themselves: for the expert
    the benchmark is the median of the other reviewers.
    """
    return {unit: _benchmark(coded, reviewer, expert) for unit, coded in units.items()}


def _benchmark(
    coded: Mapping[Coder, int | None], reviewer: Coder, expert: Coder | None
) -> float | None:
    if expert is not None and expert != reviewer:
        value = coded.get(expert)
        return None if value is None else float(value)
    others = [value for coder, value in coded.items() if coder != reviewer and value is not None]
    return float(statistics.median(others)) if others else None
