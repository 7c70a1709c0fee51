"""Threshold lists: a measured figure becomes a point by the first threshold it meets."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .checks import N_, Problems, join, known_fields, mapping, number, point, required_point


@dataclass(frozen=True, slots=True)
class Threshold:
    """``figure <= limit`` (at_most) or ``figure >= limit`` (at least) gives ``point``."""

    limit: float
    at_most: bool
    point: int | None

    def met_by(self, figure: float) -> bool:
        return figure <= self.limit if self.at_most else figure >= self.limit


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Tried in order; the first met gives the point, else ``otherwise``."""

    steps: tuple[Threshold, ...]
    otherwise: int | None

    def point_for(self, figure: float) -> int | None:
        """The point (None for N/A) that the figure earns."""
        for step in self.steps:
            if step.met_by(figure):
                return step.point
        return self.otherwise

    @property
    def points(self) -> set[int | None]:
        """Every answer these thresholds can give."""
        return {step.point for step in self.steps} | {self.otherwise}


def _threshold(value: object, path: str, found: Problems) -> Threshold | None:
    data = mapping(value, path, found)
    known_fields(data, {"at_most", "at_least", "point"}, path, found)
    bounds = [name for name in ("at_most", "at_least") if name in data]
    if len(bounds) != 1:
        found.add(path, N_("needs exactly one of at_most and at_least"))
        return None
    if "point" not in data:
        found.add(join(path, "point"), N_("is required"))
        return None
    limit = number(data[bounds[0]], join(path, bounds[0]), found, minimum=-1e18)
    return Threshold(
        limit, bounds[0] == "at_most", point(data["point"], join(path, "point"), found)
    )


def read_thresholds(data: Mapping[str, Any], path: str, found: Problems) -> Thresholds:
    """Read ``thresholds`` (a list) and ``otherwise`` (a point) from a rule spec."""
    steps: list[Threshold] = []
    raw = data.get("thresholds")
    if not isinstance(raw, Sequence) or isinstance(raw, str) or not raw:
        found.add(join(path, "thresholds"), N_("must be a non-empty list"))
        raw = []
    for index, item in enumerate(raw):
        step = _threshold(item, join(join(path, "thresholds"), index), found)
        if step is not None:
            steps.append(step)
    return Thresholds(tuple(steps), required_point(data, "otherwise", path, found))
