"""A reviewer's submit meets a busy database: the "try again" page, and nothing typed is lost.

Another connection holds SQLite's write lock while the reviewer submits a scored form. The
answer is the 503 page that tells them nothing was saved and to go back and send it again; the
browser's Back brings the form back with every pick and text as they left it, and sending it
once the lock is gone stores the evaluation. tests/test_busy_database.py holds the server side
(both databases); this is the reader's side of the same promise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from qa_app.evaluations.models import Evaluation
from qa_app.extensions import db
from qa_app.interactions.models import Channel, Interaction
from qa_app.rootcauses import services as rootcauses
from qa_app.rootcauses.models import RootCauseCategory
from tests.browser.site import Site
from tests.browser.tab import Tab, expect
from tests.conftest import held

pytestmark = pytest.mark.browser

AGENT = "Nóra Halász"
REVIEWER = "Dimitris Papadopoulos"
STRENGTHS = "Explained the invoice line by line."
COMMENT = "Named the customer twice."
CAUSE = "Quoted an old tariff"


def new_chat(site: Site, agent_id: int) -> int:
    """A chat of the agent nobody evaluated; its id."""
    with site.app.app_context():
        interaction = Interaction(
            external_id="BUSY-CHAT-1",
            channel=Channel.CHAT,
            agent_id=agent_id,
            occurred_at=datetime.now(UTC) - timedelta(hours=3),
            transcript_text="Customer asked about an invoice; the agent explained it.",
        )
        db.session.add(interaction)
        db.session.commit()
        return interaction.id


@contextmanager
def a_root_cause(site: Site) -> Iterator[None]:
    """A root cause offered on the chat scorecard for the block (retired after: the site is
    shared with the other journeys)."""
    scorecard_id = site.scorecard_id("chat")
    with site.app.app_context():
        category = rootcauses.add_category(scorecard_id, "Knowledge of the offer")
        rootcauses.add_cause(category, CAUSE)
        db.session.commit()
        category_id = category.id
    try:
        yield
    finally:
        with site.app.app_context():
            found = db.session.get(RootCauseCategory, category_id)
            assert found is not None
            rootcauses.set_retired(found, True)
            db.session.commit()


def evaluations_of(site: Site, interaction_id: int) -> list[tuple[bool, float | None]]:
    """(submitted, score) of each evaluation of the interaction."""
    with site.app.app_context():
        stmt = sa.select(Evaluation).where(Evaluation.interaction_id == interaction_id)
        return [
            (e.is_submitted, None if e.score is None else float(e.score))
            for e in db.session.scalars(stmt)
        ]


def pick_other_values(tab: Tab) -> list[str]:
    """In every criterion, check a value other than the one the page opened with (the
    suggestions prefill some): the form then holds what only the reviewer chose."""
    groups = tab.page.locator("fieldset.criterion")
    picked = []
    for position in range(groups.count()):
        radios = groups.nth(position).locator("input[type=radio]:not([value=na])")
        values = radios.evaluate_all("radios => radios.map((radio) => radio.value)")
        opened = groups.nth(position).locator("input[type=radio]:checked")
        before = opened.input_value() if opened.count() else None
        value = next(v for v in reversed(values) if v != before)
        groups.nth(position).locator(f"input[type=radio][value='{value}']").check()
        picked.append(value)
    return picked


def pick_low_with_cause(tab: Tab, picked: list[str]) -> int:
    """Score the last criterion that is not critical 3 or 2 (whichever it did not open with)
    and tick the root cause its scores of 1-3 show; returns its position."""
    groups = tab.page.locator("fieldset.criterion")
    position = max(
        i for i in range(groups.count()) if groups.nth(i).get_attribute("data-critical") != "true"
    )
    group = groups.nth(position)
    value = "2" if picked[position] == "3" else "3"
    group.locator(f"input[type=radio][value='{value}']").check()
    picked[position] = value
    group.get_by_label(CAUSE).check()
    return position


def test_a_submit_that_meets_a_busy_database_keeps_the_form_for_a_second_try(
    site: Site, open_tab: Callable[[str], Tab]
) -> None:
    agent = site.add_agent(AGENT, "nora.halasz@demo.example.com", "Technical support")
    interaction_id = new_chat(site, agent.id)
    with a_root_cause(site):
        scored_through_a_busy_database(site, open_tab("reviewer"), interaction_id)


def scored_through_a_busy_database(site: Site, reviewer: Tab, interaction_id: int) -> None:
    page = reviewer.page
    reviewer.sign_in(site.person(REVIEWER))
    reviewer.goto(f"/evaluations/new?interaction={interaction_id}")
    picked = pick_other_values(reviewer)
    low = pick_low_with_cause(reviewer, picked)
    page.locator("fieldset.criterion").first.locator("details.criterion-comment summary").click()
    page.locator("fieldset.criterion").first.locator("textarea").fill(COMMENT)
    page.get_by_label("Strengths").fill(STRENGTHS)
    live = page.locator("#live-score").inner_text()
    progress = page.locator("#live-progress").inner_text()
    assert live != "—" and progress.startswith(f"{len(picked)} of")

    with held(site.app, ""):  # SQLite's write lock, from another connection
        with page.expect_navigation() as sent:
            page.locator("button[value=submit]").click()
        assert sent.value.status == 503
        # Chromium logs the page's own status; any other console error still fails the check.
        errors = reviewer.watch.console_errors
        assert len(errors) == 1 and "status of 503" in errors[0] and page.url in errors[0], errors
        errors.clear()
        reviewer.check()
        expect(page.get_by_role("heading", name="Busy, try again")).to_be_visible()
        expect(page.locator("main")).to_contain_text("Nothing was saved")
        expect(page.locator("main")).to_contain_text("Go back and send it again")
        reviewer.screens("busy-try-again")
    assert evaluations_of(site, interaction_id) == []  # nothing of the submit was stored

    # Back: the form as the reviewer left it, not as the page opens.
    page.go_back()
    reviewer.check()
    groups = page.locator("fieldset.criterion")
    for position, value in enumerate(picked):
        expect(groups.nth(position).locator("input[type=radio]:checked")).to_have_value(value)
    expect(groups.first.locator("textarea")).to_have_value(COMMENT)
    expect(groups.first.locator("textarea")).to_be_visible()  # unfolded, not hidden
    expect(page.get_by_label("Strengths")).to_have_value(STRENGTHS)
    # The live score and the count follow the picks that came back, as before the submit.
    expect(page.locator("#live-score")).to_have_text(live)
    expect(page.locator("#live-progress")).to_have_text(progress)
    expect(groups.nth(low).get_by_label(CAUSE)).to_be_visible()  # shown for its score of 1-3
    expect(groups.nth(low).get_by_label(CAUSE)).to_be_checked()
    reviewer.screens("scoring-after-busy-back")

    # Sent again with nothing in the way, it is stored as the reviewer scored it.
    reviewer.click("button[value=submit]")
    expect(page.locator(".flash")).to_contain_text("Evaluation submitted.")
    expect(page.locator(".score-card .score-value")).to_have_text(live)
    expect(page.locator("main")).to_contain_text(CAUSE)
    assert evaluations_of(site, interaction_id) == [(True, float(live))]
