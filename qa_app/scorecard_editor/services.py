"""Editing a draft: sections and criteria added, changed, moved and removed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _

from ..extensions import db
from ..scorecards.automation import set_rule
from ..scorecards.models import Criterion, ScorecardVersion, Section
from ..scorecards.services import ScorecardError, new_key, require_draft


@dataclass(frozen=True)
class CriterionFields:
    name: str
    description: str
    anchor_1: str
    anchor_3: str
    anchor_5: str
    weight: Decimal
    allow_na: bool
    is_critical: bool
    coaching_tips: str
    rule: Mapping[str, Any] | None = None  # the Auto QA rule; None: the criterion has none


def _renumber(items: list[Section] | list[Criterion]) -> None:
    for position, item in enumerate(items):
        item.position = position


def _move(items: list[Section] | list[Criterion], item: Section | Criterion, delta: int) -> None:
    # Swap positions rather than list slots: reassigning slots of a delete-orphan collection
    # makes SQLAlchemy see the displaced item as an orphan and delete it.
    ordered = sorted(items, key=lambda entry: entry.position)
    index = ordered.index(item)
    target = index + delta
    if 0 <= target < len(ordered):
        ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, entry in enumerate(ordered):
        entry.position = position


def add_section(version: ScorecardVersion, name: str) -> Section:
    require_draft(version)
    _check_section_name(version, name, None)
    section = Section(name=name.strip(), position=len(version.sections))
    version.sections.append(section)
    db.session.flush()
    return section


def _check_section_name(version: ScorecardVersion, name: str, section: Section | None) -> None:
    clash = [
        s for s in version.sections if s is not section and s.name.lower() == name.strip().lower()
    ]
    if clash:
        raise ScorecardError(_('There is already a section called "%(name)s".', name=name.strip()))


def rename_section(section: Section, name: str) -> None:
    require_draft(section.scorecard_version)
    _check_section_name(section.scorecard_version, name, section)
    section.name = name.strip()
    db.session.flush()


def move_section(section: Section, delta: int) -> None:
    version = section.scorecard_version
    require_draft(version)
    _move(version.sections, section, delta)
    db.session.flush()


def delete_section(section: Section) -> None:
    version = section.scorecard_version
    require_draft(version)
    version.sections.remove(section)
    _renumber(version.sections)
    db.session.flush()


def _check_criterion_name(
    version: ScorecardVersion, name: str, criterion: Criterion | None
) -> None:
    wanted = name.strip().casefold()
    if any(
        c is not criterion and c.name.strip().casefold() == wanted for c in version.ordered_criteria
    ):
        message = _(
            'There is already a criterion called "%(name)s" on this scorecard.', name=name.strip()
        )
        raise ScorecardError(message)


def save_criterion(
    section: Section, fields: CriterionFields, criterion: Criterion | None = None
) -> Criterion:
    """Add a criterion to a section, or change one (moving it to the end of a new section)."""
    version = section.scorecard_version
    require_draft(version)
    _check_criterion_name(version, fields.name, criterion)
    if fields.weight <= 0:
        raise ScorecardError(_("The weight must be greater than 0."))
    if criterion is None:
        criterion = Criterion(key=new_key(), scorecard_version=version)
        section.criteria.append(criterion)
    elif criterion.section is not section:
        old = criterion.section
        old.criteria.remove(criterion)
        _renumber(old.criteria)
        section.criteria.append(criterion)
    for name, value in vars(fields).items():
        if name != "rule":
            setattr(criterion, name, value.strip() if isinstance(value, str) else value)
    _renumber(section.criteria)
    set_rule(criterion, fields.rule)  # checked against the allow_na just set; flushes
    return criterion


def move_criterion(criterion: Criterion, delta: int) -> None:
    require_draft(criterion.scorecard_version)
    _move(criterion.section.criteria, criterion, delta)
    db.session.flush()


def delete_criterion(criterion: Criterion) -> None:
    require_draft(criterion.scorecard_version)
    section = criterion.section
    section.criteria.remove(criterion)
    _renumber(section.criteria)
    db.session.flush()
