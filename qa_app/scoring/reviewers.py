"""How reviewers score compared with their peers, and shares for the reviewer quality page.

The formulas are written out in docs/reviewer-quality.md. Everything here is pure: plain rows in,
plain values out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class ScoredPoint:
    """One criterion point (1-5, never N/A) of one submitted evaluation.

    ``criterion`` identifies the criterion across versions of its scorecard, for example
    (scorecard id, criterion key); ``month`` is any sortable label such as "2026-03".
    """

    reviewer_id: int
    evaluation_id: int
    criterion: Hashable
    month: str
    point: int


@dataclass(frozen=True)
class Drift:
    """A reviewer's mean distance from the peer mean in one month, and what it rests on."""

    reviewer_id: int
    month: str
    drift: float  # in points: above 0 more lenient than peers, below 0 harsher
    evaluations: int  # distinct evaluations of the reviewer behind the figure
    points: int  # criterion points behind the figure


def reviewer_drift(points: Iterable[ScoredPoint]) -> list[Drift]:
    """Per reviewer and month: mean of (their point - mean of all points on that criterion).

    The mean of a (criterion, month) cell counts every reviewer's points, theirs included. A
    cell scored by one reviewer only has no peers to compare with and is left out. Rows come
    sorted by reviewer, then month.
    """
    rows = list(points)
    cells: dict[tuple[Hashable, str], list[int]] = defaultdict(list)
    scorers: dict[tuple[Hashable, str], set[int]] = defaultdict(set)
    for row in rows:
        cells[(row.criterion, row.month)].append(row.point)
        scorers[(row.criterion, row.month)].add(row.reviewer_id)
    means = {cell: sum(values) / len(values) for cell, values in cells.items()}
    gaps: dict[tuple[int, str], list[float]] = defaultdict(list)
    evaluations: dict[tuple[int, str], set[int]] = defaultdict(set)
    for row in rows:
        cell = (row.criterion, row.month)
        if len(scorers[cell]) < 2:
            continue
        gaps[(row.reviewer_id, row.month)].append(row.point - means[cell])
        evaluations[(row.reviewer_id, row.month)].add(row.evaluation_id)
    return [
        Drift(key[0], key[1], sum(found) / len(found), len(evaluations[key]), len(found))
        for key, found in sorted(gaps.items())
    ]


def percent(part: int, whole: int) -> float | None:
    """part / whole x 100, or None when there is nothing to divide."""
    return 100 * part / whole if whole else None
