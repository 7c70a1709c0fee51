"""How far a machine's points follow the reviewers': pairs, % exact, % within one, alpha.

Pure: plain pairs in, plain figures out. Each unit is one (interaction, criterion) coded by two
coders, the human reviewer and the machine; a missing value (N/A, cannot decide) leaves the
unit out of the pairs and unpairable for alpha (docs/autoqa.md).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from .agreement import AlphaResult, krippendorff_alpha_ordinal

HUMAN = "human"
MACHINE = "machine"


@dataclass(frozen=True)
class Pair:
    """One unit's two values; None is missing."""

    unit: Hashable
    human: int | None
    machine: int | None

    @property
    def is_complete(self) -> bool:
        return self.human is not None and self.machine is not None


@dataclass(frozen=True)
class TrustFigures:
    """Agreement of the machine with the reviewers over complete pairs."""

    pairs: int
    exact_pct: float | None  # 0-100
    within_one_pct: float | None  # 0-100
    alpha: AlphaResult


def trust_figures(pairs: Iterable[Pair]) -> TrustFigures:
    """Pairs, % exact, % within ±1 and Krippendorff's alpha (ordinal) of human vs machine."""
    units: dict[Hashable, dict[str, int | None]] = {}
    gaps: list[int] = []
    for pair in pairs:
        units[pair.unit] = {HUMAN: pair.human, MACHINE: pair.machine}
        if pair.human is not None and pair.machine is not None:
            gaps.append(abs(pair.human - pair.machine))
    alpha = krippendorff_alpha_ordinal(units)
    if not gaps:
        return TrustFigures(0, None, None, alpha)
    count = len(gaps)
    exact = 100 * sum(1 for gap in gaps if gap == 0) / count
    within = 100 * sum(1 for gap in gaps if gap <= 1) / count
    return TrustFigures(count, exact, within, alpha)
