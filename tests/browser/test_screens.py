"""Screenshots of the pages changed in this round, at a laptop's and a phone's width.

The pages are checked like every other page (console, other hosts, labels) and saved under
test-artifacts/screens/ for an engineer to look at; the test asserts only what each page must
show, not how it looks.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from qa_app.accounts.models import Role, User
from qa_app.evaluations.models import EvaluationChange
from qa_app.extensions import db
from qa_app.plans import services as plans
from qa_app.scorecards.models import Criterion
from tests.browser.site import Site
from tests.browser.tab import Tab, expect

pytestmark = pytest.mark.browser

ADMIN = "Ilona Kovács"
PLANS = 55  # more than a page of the action plans list (50)


def add_action_plans(site: Site, count: int) -> None:
    """Plans for the demo agents, one goal each, so that the list has a second page."""
    with site.app.app_context():
        author = db.session.scalar(sa.select(User).where(User.role == Role.ADMIN))
        agents = list(db.session.scalars(sa.select(User).where(User.role == Role.AGENT)))
        criterion = db.session.scalar(sa.select(Criterion).order_by(Criterion.id))
        assert author and agents and criterion
        starts = plans.today() - timedelta(days=14)
        for n in range(count):
            goal = plans.GoalInput(criterion.key, criterion.name, Decimal("4.0"), "Listen first.")
            title = f"Coaching plan {n + 1} with a long title that must wrap on a phone"
            plans.save_plan(
                None,
                agents[n % len(agents)],
                author,
                title=title,
                starts_on=starts,
                due_on=starts + timedelta(days=30 + n),
                goals=[goal],
            )
        db.session.commit()


def evaluation_with_longest_history(site: Site) -> int:
    with site.app.app_context():
        stmt = (
            sa.select(EvaluationChange.evaluation_id)
            .group_by(EvaluationChange.evaluation_id)
            .order_by(sa.func.count().desc(), EvaluationChange.evaluation_id)
        )
        evaluation_id = db.session.scalar(stmt)
        assert evaluation_id is not None, "the demo has no evaluation with a history"
        return int(evaluation_id)


def test_screens_of_the_pages_changed_in_this_round(
    site: Site, open_tab: Callable[[str], Tab]
) -> None:
    add_action_plans(site, PLANS)
    admin = open_tab("admin")
    page = admin.page
    admin.sign_in(site.person(ADMIN))

    admin.menu("Action plans")
    expect(page.locator(".pager")).to_be_visible()
    admin.screens("action-plans")

    admin.goto(f"/evaluations/{evaluation_with_longest_history(site)}")
    expect(page.locator("table.history tbody tr").first).to_be_visible()
    admin.screens("evaluation-history")

    admin.goto("/admin/teams")
    expect(page.locator("tbody tr").first).to_be_visible()
    admin.screens("admin-teams")

    admin.menu("Results")
    expect(page.locator("main")).to_contain_text("CSAT")
    admin.screens("results")
