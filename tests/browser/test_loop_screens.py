"""Screenshots of the spotlight, reviewer-quality, root-cause and notification pages.

Each page is checked like every other page of the browser tests (console, other hosts, labels)
and saved under test-artifacts/screens/ at a laptop's and a phone's width. The assertions say
what each page must show on the demo organisation, which has a spotlight plan and signals.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa

from qa_app.accounts.models import User
from qa_app.extensions import db
from qa_app.interactions.models import InteractionSignal
from qa_app.scorecards.models import Scorecard
from tests.browser.site import Site
from tests.browser.tab import Tab, expect

pytestmark = pytest.mark.browser

ADMIN = "Ilona Kovács"
REVIEWER = "Andreea Popescu"  # the demo spotlight plan's reviewer
AGENT = "Radu Stan"


def _ids(site: Site) -> tuple[str, int, int, int]:
    """A signal's kind and interaction, the reviewer's user id, a scorecard's id."""
    with site.app.app_context():
        stmt = sa.select(InteractionSignal.kind, InteractionSignal.interaction_id)
        kind, interaction_id = db.session.execute(stmt.order_by(InteractionSignal.id)).first()
        reviewer_id = db.session.scalar(sa.select(User.id).where(User.display_name == REVIEWER))
        scorecard_id = db.session.scalars(sa.select(Scorecard.id).order_by(Scorecard.id)).first()
    assert reviewer_id and scorecard_id, "the demo lacks its reviewer or scorecards"
    return str(kind), interaction_id, reviewer_id, scorecard_id


def test_screens_of_spotlight_and_the_closed_loop(
    site: Site, open_tab: Callable[[str], Tab]
) -> None:
    kind, interaction_id, reviewer_id, scorecard_id = _ids(site)
    admin = open_tab("admin")
    page = admin.page
    admin.sign_in(site.person(ADMIN))

    admin.goto(f"/interactions?signal={kind}")
    expect(page.locator(".badge-signal").first).to_be_visible()
    admin.screens("interactions-by-signal")

    admin.goto(f"/interactions/{interaction_id}")
    expect(page.locator("main")).to_contain_text("Signals")
    admin.screens("interaction-signals")

    admin.goto("/sampling/hit-rate")
    expect(page.locator("#hit-rates tbody tr").first).to_be_visible()
    admin.screens("hit-rate")

    admin.menu("Results")
    expect(page.locator(".spotlight-line").first).to_contain_text("Found by spotlight")
    admin.screens("results-spotlight")

    admin.goto(f"/reviewers/{reviewer_id}/quality")
    expect(page.locator("main h1")).to_contain_text(REVIEWER)
    admin.screens("reviewer-quality")

    admin.goto(f"/scorecards/family/{scorecard_id}/root-causes")
    expect(page.locator("main h1")).to_be_visible()
    admin.screens("root-causes-admin")

    for path, name in (
        ("/signals/phrases", "escalation-phrases"),
        ("/admin/model-server", "model-server"),
    ):
        admin.goto(path)
        expect(page.locator("main form").first).to_be_visible()
        admin.screens(name)

    reviewer = open_tab("reviewer")
    reviewer.sign_in(site.person(REVIEWER))
    reviewer.goto("/sampling/queue")
    expect(reviewer.page.locator("main")).to_contain_text("Spotlight:")
    reviewer.screens("queue-spotlight")

    agent = open_tab("agent")
    agent.sign_in(site.person(AGENT))
    agent.goto("/notifications/")
    expect(agent.page.locator("main h1")).to_be_visible()
    agent.screens("notifications")
    agent.goto("/my/self-reviews")
    expect(agent.page.locator("main h1")).to_be_visible()
    agent.screens("self-reviews")
