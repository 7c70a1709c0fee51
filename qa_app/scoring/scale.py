"""The five-point rating scale, criterion percentages, display rounding and bands."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType
from typing import Final, overload

MIN_POINT: Final = 1
MAX_POINT: Final = 5
POINTS: Final[tuple[int, ...]] = tuple(range(MIN_POINT, MAX_POINT + 1))

DEFAULT_LABELS: Final[Mapping[int, str]] = MappingProxyType(
    {5: "Excellent", 4: "Good", 3: "Satisfactory", 2: "Needs improvement", 1: "Poor"}
)

_CENTS: Final = Decimal("0.01")


def validate_score(score: object) -> int:
    """Return the score if it is a whole number from 1 to 5, else raise ValueError."""
    # bool is an int subclass, but True/False as a rating is always a bug upstream.
    if isinstance(score, bool) or not isinstance(score, int):
        raise ValueError(f"a score must be a whole number from 1 to 5, got {score!r}")
    if not MIN_POINT <= score <= MAX_POINT:
        raise ValueError(f"a score must be from 1 to 5, got {score!r}")
    return score


def criterion_pct(score: int) -> float:
    """Return the percentage of a 1-5 score: (s - 1) / 4 * 100."""
    return (validate_score(score) - MIN_POINT) / (MAX_POINT - MIN_POINT) * 100


@overload
def round_score(score: float) -> float: ...
@overload
def round_score(score: None) -> None: ...
def round_score(score: float | None) -> float | None:
    """Round a score to 2 decimals, half up, for display; None stays None."""
    if score is None:
        return None
    if not math.isfinite(score):
        raise ValueError(f"a score must be a finite number, got {score!r}")
    # repr() gives the shortest decimal form, so 83.335 rounds up the way a person expects.
    return float(Decimal(repr(float(score))).quantize(_CENTS, rounding=ROUND_HALF_UP))


def reaches(score: float, mark: float) -> bool:
    """Return True when the score, as displayed (2 decimals), is at least the mark."""
    # Comparing the displayed value keeps "90.00 Good" or "80.00 failed" from ever showing.
    return round_score(score) >= mark


@dataclass(frozen=True, slots=True)
class Band:
    """A named score range for display; `slug` is safe to use as a CSS class."""

    name: str
    min_score: float

    @property
    def slug(self) -> str:
        """Return the name in lower case with hyphens, e.g. "needs-improvement"."""
        return "-".join(self.name.lower().split())


EXCELLENT: Final = Band("Excellent", 90.0)
GOOD: Final = Band("Good", 75.0)
SATISFACTORY: Final = Band("Satisfactory", 60.0)
NEEDS_IMPROVEMENT: Final = Band("Needs improvement", 40.0)
POOR: Final = Band("Poor", 0.0)

BANDS: Final[tuple[Band, ...]] = (EXCELLENT, GOOD, SATISFACTORY, NEEDS_IMPROVEMENT, POOR)


def band_of(score: float | None) -> Band | None:
    """Return the display band of a 0-100 score (None for no score)."""
    if score is None:
        return None
    for candidate in BANDS:
        if reaches(score, candidate.min_score):
            return candidate
    return POOR


def band(score: float | None) -> str | None:
    """Return the display band name of a 0-100 score (None for no score)."""
    found = band_of(score)
    return None if found is None else found.name
