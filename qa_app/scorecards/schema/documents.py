"""The scorecard document: its dataclasses, defaults and limits, and the error listing problems."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .checks import N_, SCHEMA_VERSION, SchemaProblem

MAX_DOCUMENT_BYTES = 1024 * 1024
SCALE_POINTS = (1, 2, 3, 4, 5)
ANCHOR_POINTS = (1, 3, 5)
# Stored as data once a scorecard has them; marked so a new scorecard can offer them translated.
_DEFAULT_LABELS = (
    N_("Poor"),
    N_("Needs improvement"),
    N_("Satisfactory"),
    N_("Good"),
    N_("Excellent"),
)
DEFAULT_SCALE: tuple[tuple[int, str], ...] = tuple(enumerate(_DEFAULT_LABELS, start=1))
DOCUMENT = "(document)"
DEFAULT_PASS_MARK: float = 80
DEFAULT_WEIGHT: float = 1
# Caps keep the work bounded even when YAML aliases repeat one node thousands of times.
MAX_SECTIONS = 50
MAX_CRITERIA = 200
# A rule typed on its own (the editor's text area) and the path its problems start with.
MAX_RULE_CHARS = 10_000
RULE = "rule"


@dataclass(frozen=True)
class CriterionDoc:
    """One criterion; ``anchors`` holds ``(point, text)`` pairs for the points 1, 3 and 5."""

    name: str
    description: str
    anchors: tuple[tuple[int, str], ...]
    weight: float = DEFAULT_WEIGHT
    allow_na: bool = False
    critical: bool = False
    coaching_tips: str = ""
    # An Auto QA rule spec (docs/autoqa.md), checked by ``qa_app.rules.check_rule``; plain data.
    rule: Mapping[str, Any] | None = None

    def anchor(self, point: int) -> str:
        """The anchor text for ``point`` (1, 3 or 5)."""
        return dict(self.anchors)[point]


@dataclass(frozen=True)
class SectionDoc:
    """A named group of criteria."""

    name: str
    criteria: tuple[CriterionDoc, ...]


@dataclass(frozen=True)
class ScorecardDoc:
    """A whole scorecard; ``scale`` holds ``(point, label)`` pairs for the points 1 to 5."""

    slug: str
    name: str
    channels: tuple[str, ...]
    sections: tuple[SectionDoc, ...]
    language: str = "en"
    description: str = ""
    pass_mark: float = DEFAULT_PASS_MARK
    scale: tuple[tuple[int, str], ...] = DEFAULT_SCALE
    schema_version: int = SCHEMA_VERSION

    @property
    def criteria(self) -> tuple[CriterionDoc, ...]:
        """Every criterion, section by section."""
        return tuple(c for section in self.sections for c in section.criteria)

    def label(self, point: int) -> str:
        """The scale label for ``point`` (1 to 5)."""
        return dict(self.scale)[point]


class ScorecardSchemaError(ValueError):
    """A scorecard document was refused; ``errors`` lists every problem found."""

    def __init__(self, errors: list[SchemaProblem]) -> None:
        self.errors = list(errors)
        count = len(self.errors)
        summary = "; ".join(str(problem) for problem in self.errors)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in scorecard: {summary}")
