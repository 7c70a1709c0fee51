"""Which draft, section and criterion a request may change: 404 for anything else."""

from __future__ import annotations

from flask import abort

from ..extensions import db
from ..scorecards.models import Criterion, ScorecardVersion, Section
from ..scorecards.services import require_draft


def draft_or_404(version_id: int) -> ScorecardVersion:
    """The version, which must still be a draft (a published one is frozen: 409)."""
    version = db.get_or_404(ScorecardVersion, version_id)
    require_draft(version)
    return version


def section_of(version: ScorecardVersion, section_id: int) -> Section:
    section = db.session.get(Section, section_id)
    if section is None or section.scorecard_version_id != version.id:
        abort(404)
    return section


def criterion_of(version: ScorecardVersion, criterion_id: int) -> Criterion:
    criterion = db.session.get(Criterion, criterion_id)
    if criterion is None or criterion.scorecard_version_id != version.id:
        abort(404)
    return criterion
