"""Scorecard lifecycle: draft, publish, archive, new version, duplicate; YAML in and out."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from ..accounts.models import User
from ..database import utcnow
from ..errors import UserError
from ..extensions import db
from ..scoring import CriterionSpec
from .models import Criterion, Scorecard, ScorecardVersion, Section, Status
from .schema import DEFAULT_SCALE, CriterionDoc, ScorecardDoc, SectionDoc


class ScorecardError(UserError):
    """A user-facing reason why a scorecard change was refused."""


class ScorecardFrozen(ScorecardError):
    """Published and archived versions never change."""

    status = 409


def new_key() -> str:
    return uuid.uuid4().hex[:16]


def require_draft(version: ScorecardVersion) -> None:
    """Refuse any change to a version that is not a draft."""
    if version.status == Status.PUBLISHED:
        message = _(
            "Version %(version)s is published and cannot change; make a new version to edit it.",
            version=version.version,
        )
        raise ScorecardFrozen(message)
    if not version.is_draft:
        message = _(
            "Version %(version)s is archived and cannot change; make a new version to edit it.",
            version=version.version,
        )
        raise ScorecardFrozen(message)


@dataclass(frozen=True)
class Settings:
    name: str
    description: str
    language: str
    channels: Sequence[str]
    pass_mark: Decimal
    labels: dict[int, str]


def _apply_settings(version: ScorecardVersion, settings: Settings) -> None:
    version.name = settings.name.strip()
    version.description = settings.description.strip()
    version.language = settings.language.strip() or "en"
    version.channels = [c for c in ("call", "chat", "email") if c in settings.channels]
    version.pass_mark = Decimal(settings.pass_mark)
    for point in range(1, 6):
        setattr(version, f"label_{point}", settings.labels[point].strip())


def _slugify(name: str) -> str:
    import re
    import unicodedata

    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:80] or "scorecard"


def create_scorecard(actor: User, settings: Settings) -> ScorecardVersion:
    """A new scorecard: version 1, a draft with one empty section."""
    version = ScorecardVersion(
        scorecard=Scorecard(), version=1, slug=_slugify(settings.name), created_by_id=actor.id
    )
    _apply_settings(version, settings)
    # The first section's name is stored as data, in the language of whoever created it.
    version.sections.append(Section(name=_("Criteria"), position=0))
    db.session.add(version)
    db.session.flush()
    return version


def update_settings(version: ScorecardVersion, settings: Settings) -> None:
    require_draft(version)
    _apply_settings(version, settings)
    db.session.flush()


def publish(version: ScorecardVersion) -> None:
    """Freeze a draft; the family's previously published version is archived."""
    require_draft(version)
    problems = publish_problems(version)
    if problems:
        raise ScorecardError(" ".join(problems))
    for other in version.scorecard.versions:
        if other.status == Status.PUBLISHED:
            other.status, other.archived_at = Status.ARCHIVED, utcnow()
    version.status, version.published_at = Status.PUBLISHED, utcnow()
    db.session.flush()


def publish_problems(version: ScorecardVersion) -> list[str]:
    """What stops a draft from being published."""
    problems = []
    if not version.ordered_criteria:
        problems.append(_("A scorecard needs at least one criterion."))
    problems += [
        _('Section "%(name)s" has no criteria; add one or delete it.', name=s.name)
        for s in version.sections
        if not s.criteria
    ]
    if not version.channels:
        problems.append(_("Choose at least one channel."))
    return problems


def archive(version: ScorecardVersion) -> None:
    """Stop a published version from being used for new evaluations; it stays readable."""
    if version.status != Status.PUBLISHED:
        raise ScorecardError(_("Only a published version can be archived."))
    version.status, version.archived_at = Status.ARCHIVED, utcnow()
    db.session.flush()


def discard_draft(version: ScorecardVersion) -> Scorecard | None:
    """Delete a draft; returns the family when other versions remain."""
    require_draft(version)
    family = version.scorecard
    db.session.delete(version)
    db.session.flush()
    db.session.expire(family, ["versions"])
    if not family.versions:
        db.session.delete(family)
        db.session.flush()
        return None
    return family


def existing_draft(family: Scorecard) -> ScorecardVersion | None:
    return next((v for v in family.versions if v.is_draft), None)


def new_version(version: ScorecardVersion, actor: User) -> ScorecardVersion:
    """The draft to edit next: the family's open draft, or a copy of this version."""
    draft = existing_draft(version.scorecard)
    if draft is not None:
        return draft
    number = max(v.version for v in version.scorecard.versions) + 1
    keys = iter([c.key for c in version.ordered_criteria])
    copy = ScorecardVersion(scorecard=version.scorecard, version=number, created_by_id=actor.id)
    fill_from_doc(copy, to_doc(version), keys)
    db.session.add(copy)
    db.session.flush()
    return copy


def duplicate(version: ScorecardVersion, actor: User) -> ScorecardVersion:
    """A new scorecard, as a draft, with this version's content."""
    doc = to_doc(version)
    copy = ScorecardVersion(scorecard=Scorecard(), version=1, created_by_id=actor.id)
    fill_from_doc(copy, doc, None)
    copy.name = _("Copy of %(name)s", name=version.name)[:120]
    db.session.add(copy)
    db.session.flush()
    return copy


def import_doc(
    doc: ScorecardDoc, actor: User | None, *, publish_now: bool = False
) -> ScorecardVersion:
    """Store a validated document as a new scorecard (a draft unless publish_now)."""
    version = ScorecardVersion(
        scorecard=Scorecard(), version=1, created_by_id=actor.id if actor else None
    )
    fill_from_doc(version, doc, None)
    db.session.add(version)
    db.session.flush()
    if publish_now:
        publish(version)
    return version


def fill_from_doc(version: ScorecardVersion, doc: ScorecardDoc, keys: Iterator[str] | None) -> None:
    """Set a fresh version's content from a document; keys carry criterion identity over."""
    labels = dict(doc.scale)
    settings = Settings(
        doc.name, doc.description, doc.language, doc.channels, Decimal(str(doc.pass_mark)), labels
    )
    _apply_settings(version, settings)
    version.slug = doc.slug
    for s_pos, section_doc in enumerate(doc.sections):
        section = Section(name=section_doc.name, position=s_pos)
        version.sections.append(section)
        for c_pos, c in enumerate(section_doc.criteria):
            section.criteria.append(
                _criterion_from_doc(c, c_pos, next(keys) if keys else new_key())
            )
    for criterion in version.ordered_criteria:
        criterion.scorecard_version = version


def _criterion_from_doc(c: CriterionDoc, position: int, key: str) -> Criterion:
    anchors = dict(c.anchors)
    return Criterion(
        key=key,
        position=position,
        name=c.name,
        description=c.description,
        anchor_1=anchors[1],
        anchor_3=anchors[3],
        anchor_5=anchors[5],
        weight=Decimal(str(c.weight)),
        allow_na=c.allow_na,
        is_critical=c.critical,
        coaching_tips=c.coaching_tips,
        rule=copy.deepcopy(dict(c.rule)) if c.rule is not None else None,
    )


def _number(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral_value() else float(value)


def to_doc(version: ScorecardVersion) -> ScorecardDoc:
    """The version as a schema document (for export and copies)."""
    return ScorecardDoc(
        slug=version.slug,
        name=version.name,
        channels=tuple(version.channels),
        language=version.language,
        description=version.description,
        pass_mark=_number(version.pass_mark),
        scale=tuple((point, version.labels[point]) for point in range(1, 6)),
        sections=tuple(
            SectionDoc(s.name, tuple(_criterion_doc(c) for c in s.criteria))
            for s in version.sections
        ),
    )


def _criterion_doc(c: Criterion) -> CriterionDoc:
    return CriterionDoc(
        name=c.name,
        description=c.description,
        anchors=((1, c.anchor_1), (3, c.anchor_3), (5, c.anchor_5)),
        weight=_number(c.weight),
        allow_na=c.allow_na,
        critical=c.is_critical,
        coaching_tips=c.coaching_tips,
        rule=c.rule,
    )


def criterion_specs(version: ScorecardVersion) -> list[CriterionSpec]:
    """The version's criteria as the scoring module sees them (keyed by criterion id)."""
    return [
        CriterionSpec(str(c.id), float(c.weight), c.is_critical, c.allow_na)
        for c in version.ordered_criteria
    ]


def default_labels() -> dict[int, str]:
    """The scale labels a new scorecard offers, in the reader's language."""
    return {point: _(label) for point, label in DEFAULT_SCALE}


def usable_versions() -> sa.Select[tuple[ScorecardVersion]]:
    """Published versions, the only ones new evaluations may use."""
    return (
        sa.select(ScorecardVersion)
        .where(ScorecardVersion.status == Status.PUBLISHED)
        .order_by(ScorecardVersion.name)
    )
