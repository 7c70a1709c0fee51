"""The live score in Hungarian: numbers in the page's notation (75,00), words from the page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from qa_app.extensions import db
from qa_app.interactions.models import Channel, Interaction
from tests.browser.site import Site
from tests.browser.tab import Tab, expect

pytestmark = pytest.mark.browser

REVIEWER = "Dimitris Papadopoulos"
AGENT = "Zsófia Varga"


def new_chat(site: Site, agent_name: str) -> int:
    """A chat nobody has evaluated yet; returns its id."""
    agent = site.add_agent(agent_name, "zsofia.varga@demo.example.com", "Technical support")
    with site.app.app_context():
        interaction = Interaction(
            external_id="HU-CHAT-1",
            channel=Channel.CHAT,
            agent_id=agent.id,
            occurred_at=datetime.now(UTC) - timedelta(hours=2),
            transcript_text="Az ügyfél a számlájáról kérdezett.",
        )
        db.session.add(interaction)
        db.session.commit()
        return interaction.id


def test_the_live_score_speaks_the_pages_language(
    site: Site, open_tab: Callable[[str], Tab]
) -> None:
    criteria = site.criteria("chat")
    critical = next(n for n, c in enumerate(criteria) if c.is_critical)
    interaction_id = new_chat(site, AGENT)
    reviewer = open_tab("reviewer")
    reviewer.sign_in(site.person(REVIEWER))
    reviewer.context.set_extra_http_headers({"Accept-Language": "hu-HU,hu;q=0.9"})
    reviewer.goto(f"/evaluations/new?interaction={interaction_id}")
    page = reviewer.page
    expect(page.locator("html")).to_have_attribute("lang", "hu")
    live, band = page.locator("#live-score"), page.locator("#live-band")
    progress = page.locator("#live-progress")
    total = len(criteria)
    expect(progress).to_have_text(f"{total} kritériumból 0 értékelve")

    groups = page.locator("fieldset.criterion")
    for position in range(total):
        groups.nth(position).locator("input[value='4']").check()
    expect(live).to_have_text("75,00")  # every criterion at 75 %, whatever the weights
    expect(band).to_have_text("Jó")
    expect(progress).to_have_text(f"{total} kritériumból {total} értékelve")

    groups.nth(critical).locator("input[value='2']").check()
    expect(live).to_have_text("0,00")
    expect(band).to_have_text("Gyenge (kritikus hiba)")
    groups.nth(critical).locator("input[value='5']").check()
    expect(live).not_to_have_text("0,00")
    assert "," in live.inner_text() and "." not in live.inner_text()
