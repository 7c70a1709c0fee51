"""Which scorecard, category or cause a request names: 404 for one that does not exist."""

from __future__ import annotations

from ..extensions import db
from ..scorecards.models import Scorecard
from .models import RootCause, RootCauseCategory


def scorecard_or_404(scorecard_id: int) -> Scorecard:
    return db.get_or_404(Scorecard, scorecard_id)


def category_or_404(category_id: int) -> RootCauseCategory:
    return db.get_or_404(RootCauseCategory, category_id)


def cause_or_404(cause_id: int) -> RootCause:
    return db.get_or_404(RootCause, cause_id)
