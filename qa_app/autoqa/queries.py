"""Reading stored suggestions for the reviewer's scoring page (docs/autoqa.md)."""

from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db
from .models import AutoResult, AutoSuggestion


def suggestions_for(interaction_id: int, version_id: int) -> dict[int, AutoSuggestion]:
    """The stored suggestions of one interaction on one scorecard version, by criterion id."""
    stmt = (
        sa.select(AutoSuggestion)
        .join(AutoResult, AutoSuggestion.result_id == AutoResult.id)
        .where(
            AutoResult.interaction_id == interaction_id,
            AutoResult.scorecard_version_id == version_id,
        )
    )
    return {s.criterion_id: s for s in db.session.scalars(stmt)}
