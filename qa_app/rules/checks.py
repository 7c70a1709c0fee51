"""Reading rule specs: every problem is collected with its path, nothing is raised midway.

Messages are English templates marked with ``N_`` for the catalogue, their values kept apart, so
the page that shows them translates them (the same shape as the scorecard schema's problems)
while this package stays free of Flask and Babel.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from ..scoring import POINTS

NOT_APPLICABLE: Final = "n/a"


def N_(message: str) -> str:  # noqa: N802 - the name gettext tools look for
    """Mark a message for the catalogue; it is translated where it is shown."""
    return message


@dataclass(frozen=True, slots=True)
class RuleProblem:
    """One thing wrong with a rule spec, at a path like ``greeting.phrases.en[2]``."""

    path: str
    template: str
    values: tuple[tuple[str, Any], ...] = ()

    @property
    def message(self) -> str:
        """The problem in English."""
        return self.render()

    def render(self, translate: Callable[[str], str] = str) -> str:
        """The problem in the language ``translate`` gives (English by default)."""
        text = translate(self.template)
        return text % dict(self.values) if self.values else text

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class RuleSpecError(ValueError):
    """A rule spec was refused; ``problems`` lists everything wrong with it."""

    def __init__(self, problems: Sequence[RuleProblem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(str(problem) for problem in self.problems))


@dataclass
class Problems:
    """Collects problems while a spec is read."""

    items: list[RuleProblem] = field(default_factory=list)

    def add(self, path: str, template: str, **values: Any) -> None:
        """Record one problem: a template marked with ``N_``, and its values."""
        self.items.append(RuleProblem(path, template, tuple(values.items())))

    def raise_any(self) -> None:
        if self.items:
            raise RuleSpecError(self.items)


def join(path: str, name: str | int) -> str:
    """The path of a field or list item below ``path``."""
    if isinstance(name, int):
        return f"{path}[{name}]"
    return f"{path}.{name}" if path else name


def known_fields(data: Mapping[str, Any], allowed: set[str], path: str, found: Problems) -> None:
    """Report every key that the rule kind does not know (a typo would otherwise be ignored)."""
    for key in data:
        if key not in allowed:
            found.add(join(path, str(key)), N_("unknown field %(name)s"), name=str(key))


def point(value: object, path: str, found: Problems) -> int | None:
    """A scale point 1-5, or None for "n/a"; a problem (and None) for anything else."""
    if isinstance(value, str) and value.strip().lower() == NOT_APPLICABLE:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value not in POINTS:
        found.add(path, N_("must be a point from 1 to 5 or n/a, got %(value)r"), value=value)
        return None
    return value


def number(value: object, path: str, found: Problems, minimum: float = 0.0) -> float:
    """A finite number at least ``minimum``; a problem (and 0) for anything else."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        found.add(path, N_("must be a number, got %(value)r"), value=value)
        return 0.0
    if value < minimum:
        found.add(path, N_("must be at least %(minimum)s"), minimum=minimum)
    return float(value)


def whole(value: object, path: str, found: Problems, minimum: int = 0) -> int:
    """A whole number at least ``minimum``; a problem (and the minimum) for anything else."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        found.add(path, N_("must be a whole number of at least %(minimum)s"), minimum=minimum)
        return minimum
    return value


def mapping(value: object, path: str, found: Problems) -> Mapping[str, Any]:
    """The value if it is a mapping with text keys; a problem (and {}) otherwise."""
    if not isinstance(value, Mapping) or not all(isinstance(key, str) for key in value):
        found.add(path, N_("must be a mapping"))
        return {}
    return value


def choice(value: object, options: Sequence[str], path: str, found: Problems) -> str:
    """One of ``options``; a problem (and the first option) otherwise."""
    if value not in options:
        found.add(path, N_("must be one of %(options)s"), options=", ".join(options))
        return options[0]
    return str(value)


def at_least_one(data: Mapping[str, Any], name: str, path: str, found: Problems) -> int:
    """An optional whole-number field of at least 1 (1 when absent)."""
    return whole(data.get(name, 1), join(path, name), found, 1)


def required_point(data: Mapping[str, Any], name: str, path: str, found: Problems) -> int | None:
    """A field that must hold a point or n/a."""
    if name not in data:
        found.add(join(path, name), N_("is required (a point, or n/a)"))
        return None
    return point(data[name], join(path, name), found)
