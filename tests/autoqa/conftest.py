"""Helpers for the Auto QA tests: a published chat scorecard with rules, stored results."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
import yaml

from qa_app.autoqa.models import AutoResult, AutoSuggestion
from qa_app.extensions import db
from qa_app.scorecards.schema import SHIPPED_DIR, validate_scorecard_data
from qa_app.scorecards.services import import_doc
from tests.results.conftest import (  # noqa: F401 - the results tests' organisation
    seed_through_hooks,
    seeded,
)

THANKS = {"kind": "phrases", "mode": "required", "phrases": {"en": ["thank you"]}}
CSAT = {"kind": "metric", "metric": "csat", "thresholds": [{"at_least": 4, "point": 5}]}
CSAT["otherwise"] = 2
TURNS = [
    {"speaker": "Customer", "text": "Hi, my card was charged twice.", "at": 0},
    {"speaker": "Agent", "text": "Thank you for waiting, let me look.", "at": "00:40"},
    {"speaker": "Customer", "text": "Sure.", "at": 50},
]


@pytest.fixture
def rules_card(app) -> Callable[..., int]:
    """Publish the shipped chat scorecard with THANKS on criterion 0 and CSAT on criterion 1."""

    def publish(channels: tuple[str, ...] = ("chat",), **changes: Any) -> int:
        data = yaml.safe_load((SHIPPED_DIR / "chat.yaml").read_bytes())
        data.update(channels=list(channels), **changes)
        for section in data["sections"]:  # only the two rules below, not the shipped ones
            for criterion in section["criteria"]:
                criterion.pop("rule", None)
        criteria = data["sections"][0]["criteria"]
        criteria[0]["rule"], criteria[1]["rule"] = THANKS, CSAT
        with app.app_context():
            version = import_doc(validate_scorecard_data(data), None, publish_now=True)
            db.session.commit()
            return version.id

    return publish


@pytest.fixture
def auto_rows(app) -> Callable[[], list[tuple[int, int, int]]]:
    """(interaction id, version id, suggestions) of every stored result."""

    def read() -> list[tuple[int, int, int]]:
        with app.app_context():
            count = sa.select(sa.func.count(AutoSuggestion.id)).where(
                AutoSuggestion.result_id == AutoResult.id
            )
            stmt = sa.select(
                AutoResult.interaction_id,
                AutoResult.scorecard_version_id,
                count.scalar_subquery(),
            ).order_by(AutoResult.interaction_id, AutoResult.scorecard_version_id)
            return [tuple(row) for row in db.session.execute(stmt)]

    return read
