"""A group's summed counters (`Totals`) and the product's formulas on them: the quality score,
pass rate and the customer metrics, each None when nothing was counted."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any


def _pct(part: float, whole: float) -> float | None:
    return part / whole * 100 if whole else None


@dataclass(frozen=True)
class Totals:
    """Summed counters of a group's evaluations and of its interactions (the customer metrics).

    The evaluation counters are the headline's: random and hand-picked evaluations only.
    `spotlight` holds the evaluation counters of the targeted ones (None when there are none).
    """

    evaluations: int = 0
    scored: int = 0
    score_sum: float = 0.0
    passed: int = 0
    critical_fails: int = 0
    band_excellent: int = 0
    band_good: int = 0
    band_satisfactory: int = 0
    band_needs_improvement: int = 0
    band_poor: int = 0
    interactions: int = 0
    csat_n: int = 0
    csat_positive: int = 0
    nps_n: int = 0
    nps_promoters: int = 0
    nps_detractors: int = 0
    ces_n: int = 0
    ces_sum: int = 0
    fcr_known: int = 0
    fcr_resolved: int = 0
    aht_n: int = 0
    aht_sum: int = 0
    spotlight: Totals | None = None

    @classmethod
    def from_row(cls, row: Any) -> Totals:
        mapping = row._mapping
        return cls(**{name: cast(mapping[name]) for name, cast in CASTS.items() if name in mapping})

    @property
    def quality(self) -> float | None:
        return self.score_sum / self.scored if self.scored else None

    @property
    def pass_rate(self) -> float | None:
        return _pct(self.passed, self.scored)

    @property
    def csat(self) -> float | None:
        return _pct(self.csat_positive, self.csat_n)

    @property
    def nps(self) -> float | None:
        return _pct(self.nps_promoters - self.nps_detractors, self.nps_n)

    @property
    def ces(self) -> float | None:
        return self.ces_sum / self.ces_n if self.ces_n else None

    @property
    def fcr(self) -> float | None:
        return _pct(self.fcr_resolved, self.fcr_known)

    @property
    def aht(self) -> float | None:
        return self.aht_sum / self.aht_n if self.aht_n else None

    @property
    def bands(self) -> dict[str, int]:
        return {
            "Excellent": self.band_excellent,
            "Good": self.band_good,
            "Satisfactory": self.band_satisfactory,
            "Needs improvement": self.band_needs_improvement,
            "Poor": self.band_poor,
        }


# Databases return sums as Decimal or int; the counters are ints, the score sum a float.
CASTS: dict[str, Any] = {
    f.name: float if f.name == "score_sum" else int for f in fields(Totals) if f.name != "spotlight"
}


def combined(parts: Iterable[Totals]) -> Totals:
    """The totals of several groups that share no row (the agents of a team) as one group's:
    the same numbers `totals` reads for them, without reading them again."""
    parts = list(parts)
    sums = {
        name: sum((getattr(part, name) for part in parts), cast()) for name, cast in CASTS.items()
    }
    spotlights = [part.spotlight for part in parts if part.spotlight is not None]
    return Totals(**sums, spotlight=combined(spotlights) if spotlights else None)
