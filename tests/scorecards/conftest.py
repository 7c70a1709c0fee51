"""Helpers for the scorecard tests."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from qa_app.extensions import db
from qa_app.scorecards.models import ScorecardVersion
from qa_app.scorecards.schema import SHIPPED_DIR, load_shipped_template
from qa_app.scorecards.services import import_doc

SETTINGS = {
    "name": "Billing calls",
    "description": "How we judge billing calls",
    "language": "en",
    "channels": ["call"],
    "pass_mark": "80",
    "label_5": "Excellent",
    "label_4": "Good",
    "label_3": "Satisfactory",
    "label_2": "Needs improvement",
    "label_1": "Poor",
}


def criterion_data(section_id: int, name: str, **extra: str) -> dict[str, str]:
    return {
        "section_id": str(section_id),
        "name": name,
        "description": f"What {name} means",
        "anchor_5": "Great",
        "anchor_3": "Fine",
        "anchor_1": "Bad",
        "weight": "1",
        "coaching_tips": "Practise.",
        **extra,
    }


@pytest.fixture
def shipped(app):
    """Import a shipped template: shipped("phone", publish=True) -> version id."""

    def load(slug: str, publish: bool = False) -> int:
        with app.app_context():
            version = import_doc(
                load_shipped_template(SHIPPED_DIR / f"{slug}.yaml"), None, publish_now=publish
            )
            db.session.commit()
            return version.id

    return load


@pytest.fixture
def fetch(app):
    """Read a version back from the database in a fresh session: fetch(id) -> snapshot dict."""

    def snapshot(version_id: int) -> dict:
        with app.app_context():
            version = db.session.get(ScorecardVersion, version_id)
            return {
                "status": version.status.value,
                "version": version.version,
                "scorecard_id": version.scorecard_id,
                "name": version.name,
                "pass_mark": float(version.pass_mark),
                "sections": [s.name for s in version.sections],
                "criteria": [
                    (c.name, c.key, float(c.weight), c.is_critical, c.allow_na, c.section.name)
                    for c in version.ordered_criteria
                ],
            }

    return snapshot


def count_versions(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(ScorecardVersion))
