"""The nearest-rank percentile: a value that occurred, never an interpolated one."""

from __future__ import annotations

import math
from collections.abc import Sequence


def percentile(values: Sequence[float], rank: float) -> float | None:
    """The ``rank``-th percentile (0 < rank <= 100) of the values; None for no values.

    Nearest rank: the smallest value with at least ``rank`` % of the values at or below it.
    """
    if not values:
        return None
    ordered = sorted(values)
    place = max(math.ceil(rank / 100 * len(ordered)), 1)
    return float(ordered[place - 1])
