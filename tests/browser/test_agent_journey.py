"""Journey 3, the agent: read a scorecard, acknowledge it, dispute a criterion, see the decision."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.browser.site import Site
from tests.browser.tab import Tab, expect

pytestmark = pytest.mark.browser

AGENT = "Radu Stan"
SCORER = "Dimitris Papadopoulos"
SECOND_REVIEWER = "Andreea Popescu"
DISPUTED = "One topic per message"
EXTERNAL_ID = "BR-DISPUTE-1"
DECISION = "Agreed: the topics were kept apart. Raised to 4."


def read_and_acknowledge(tab: Tab, score: str) -> None:
    """From "My scorecards" to the new evaluation, marked as read."""
    tab.menu("My scorecards")
    tab.screens("agent-my-scorecards")
    row = tab.page.locator("tbody tr").filter(has_text=EXTERNAL_ID)
    expect(row).to_contain_text(score)
    expect(row).to_contain_text("Submitted")
    tab.click(f"tbody tr:has-text('{EXTERNAL_ID}') a")
    expect(tab.page.get_by_role("heading", name=f"Evaluation of {EXTERNAL_ID}")).to_be_visible()
    expect(tab.page.locator("main")).to_contain_text(f"reviewed by {SCORER}")
    tab.screens("agent-evaluation")
    tab.click("button:has-text('I have read this')")
    expect(tab.page.locator(".flash")).to_contain_text("marked as read")
    expect(tab.page.locator("main")).to_contain_text("You marked this as read")


def dispute_one_criterion(tab: Tab) -> None:
    tab.click("a.button:has-text('Dispute')")
    tab.screens("agent-dispute-new")
    tab.page.get_by_label(DISPUTED, exact=True).check()
    tab.page.get_by_label("Why do you disagree?").fill(
        "I answered each question in its own message."
    )
    tab.click("button:has-text('Send the dispute')")
    expect(tab.page.locator(".flash")).to_contain_text("Your dispute was sent")
    expect(tab.page.locator(".dispute h2")).to_have_text("Dispute: Open")


def resolve_with_a_new_score(tab: Tab) -> None:
    """From the dispute queue: raise the disputed criterion to a 4 and explain why."""
    tab.menu("Disputes")
    tab.screens("dispute-queue")
    expect(tab.page.locator("tbody tr").filter(has_text=EXTERNAL_ID)).to_contain_text(DISPUTED)
    tab.click(f"tbody tr:has-text('{EXTERNAL_ID}') a")
    group = tab.page.locator("fieldset.criterion").filter(has_text=DISPUTED)
    expect(group.locator("legend")).to_contain_text("now 2")
    tab.screens("dispute-resolve")
    group.get_by_role("radio", name="4 Good", exact=True).check()
    tab.page.get_by_label("Decision, explained to the agent").fill(DECISION)
    tab.click("button:has-text('Resolve')")
    expect(tab.page.locator(".flash")).to_contain_text("The dispute is resolved")
    expect(tab.page.locator("tbody tr").filter(has_text=EXTERNAL_ID)).to_have_count(0)


def test_agent_acknowledges_disputes_and_sees_the_second_reviewers_decision(
    site: Site, open_tab: Callable[[str], Tab]
) -> None:
    evaluation_id = site.evaluated_interaction(
        site.person(AGENT), site.person(SCORER), EXTERNAL_ID, {DISPUTED: 2}
    )
    before = f"{site.stored_score(evaluation_id):.2f}"
    agent = open_tab("agent")
    agent.sign_in(site.person(AGENT))
    agent.screens("agent-home")
    read_and_acknowledge(agent, before)
    dispute_one_criterion(agent)

    # Another reviewer, in a browser of their own, decides and adjusts the score.
    second = open_tab("second-reviewer")
    second.sign_in(site.person(SECOND_REVIEWER))
    resolve_with_a_new_score(second)
    after = f"{site.stored_score(evaluation_id):.2f}"
    assert after != before

    # The agent, back in their browser, sees the outcome on the evaluation page.
    agent.page.reload()
    agent.check()
    dispute = agent.page.locator(".dispute")
    expect(dispute.locator("h2")).to_have_text("Dispute: Adjusted")
    agent.screens("agent-evaluation-adjusted")
    expect(dispute).to_contain_text(f"by {SECOND_REVIEWER}")
    expect(dispute).to_contain_text("the scores were adjusted")
    expect(dispute).to_contain_text(DECISION)
    scores_row = agent.page.locator("table.scores tr").filter(has_text=DISPUTED)
    expect(scores_row.locator("td.point")).to_contain_text("4")
    expect(agent.page.locator(".score-card .score-value")).to_have_text(after)
