"""The Auto QA trust page at a laptop's and a phone's width, on the demo with rule suggestions."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa

from qa_app.autoqa.models import AutoResult, AutoSuggestion
from qa_app.evaluations.models import Evaluation, EvaluationStatus
from qa_app.extensions import db
from qa_app.interactions.models import Interaction
from qa_app.rules import Outcome
from tests.browser.site import Site
from tests.browser.tab import Tab, expect

pytestmark = pytest.mark.browser

ADMIN = "Ilona Kovács"


def add_suggestions(site: Site) -> tuple[str, str]:
    """A rule's point next to each reviewer's score of up to 60 evaluations; returns the days."""
    with site.app.app_context():
        stmt = (
            sa.select(Evaluation)
            .where(
                Evaluation.status == EvaluationStatus.SUBMITTED,
                Evaluation.is_calibration.is_(False),
            )
            .order_by(Evaluation.id.desc())
            .limit(60)
        )
        evaluations = list(db.session.scalars(stmt))
        assert evaluations, "the demo has no submitted evaluation"
        # The demo is auto-scored already: these results replace the rules' own for the page.
        chosen = [e.interaction_id for e in evaluations]
        stored = sa.select(AutoResult).where(AutoResult.interaction_id.in_(chosen))
        for result in db.session.scalars(stored):
            db.session.delete(result)
        db.session.flush()
        for n, evaluation in enumerate(evaluations):
            suggestions = [
                AutoSuggestion(
                    criterion_id=s.criterion_id,
                    outcome=Outcome.POINT,
                    point=max(1, min(5, s.score + (n + s.criterion_id) % 3 - 1)),
                )
                for s in evaluation.scores
                if s.score is not None
            ]
            db.session.add(
                AutoResult(
                    interaction_id=evaluation.interaction_id,
                    scorecard_version_id=evaluation.scorecard_version_id,
                    suggestions=suggestions,
                )
            )
        db.session.commit()
        ids = [e.interaction_id for e in evaluations]
        days = sa.select(sa.func.min(Interaction.occurred_at), sa.func.max(Interaction.occurred_at))
        first, last = db.session.execute(days.where(Interaction.id.in_(ids))).one()
        return first.date().isoformat(), last.date().isoformat()


def test_screens_of_the_trust_page(site: Site, open_tab: Callable[[str], Tab]) -> None:
    first, last = add_suggestions(site)
    admin = open_tab("admin")
    admin.sign_in(site.person(ADMIN))
    admin.menu("Auto QA trust")
    admin.goto(f"/autoqa/trust?from={first}&to={last}")
    expect(admin.page.locator("#trust-criteria tbody tr").first).to_contain_text("%")
    admin.screens("autoqa-trust")
