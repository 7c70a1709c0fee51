"""The scoring page: eight criteria in one laptop screen, scored with the keyboard alone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from qa_app.evaluations.models import Evaluation
from qa_app.extensions import db
from qa_app.interactions.models import Channel, Interaction
from tests.browser.site import Site
from tests.browser.tab import Tab, expect

pytestmark = pytest.mark.browser

REVIEWER = "Dimitris Papadopoulos"
AGENT = "Kinga Halász"
# Two agent turns in a row: both belong on the agent's side. Times are seconds from the start.
TURNS = [
    {"speaker": "Customer", "text": "My parcel has not arrived.", "at": 0},
    {"speaker": "Agent", "text": "Sorry about that, let me check the tracking.", "at": 20},
    {"speaker": "Agent", "text": "It is at the depot and leaves today.", "at": 95},
    {"speaker": "Customer", "text": "Great, thank you.", "at": 3725},
]
# Keys typed for the demo chat scorecard's eight criteria, in form order; N/A only where allowed.
KEYS = ["4", "5", "3", "4", "n", "2", "0", "5"]


def new_chat(site: Site) -> int:
    agent = site.add_agent(AGENT, "kinga.halasz@demo.example.com", "Technical support")
    with site.app.app_context():
        interaction = Interaction(
            external_id="KEY-CHAT-1",
            channel=Channel.CHAT,
            agent_id=agent.id,
            occurred_at=datetime.now(UTC) - timedelta(hours=1),
            transcript_turns=TURNS,
        )
        db.session.add(interaction)
        db.session.commit()
        return interaction.id


def stored_scores(site: Site, interaction_id: int) -> tuple[str, list[str]]:
    with site.app.app_context():
        evaluation = db.session.scalar(
            sa.select(Evaluation).where(Evaluation.interaction_id == interaction_id)
        )
        assert evaluation is not None
        by_id = {s.criterion_id: s for s in evaluation.scores}
        order = [c.id for c in evaluation.scorecard_version.ordered_criteria]
        values = ["na" if by_id[i].is_na else str(by_id[i].score) for i in order]
        return evaluation.status.value, values


def tab_to(tab: Tab, predicate: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches the JavaScript predicate (el) => bool."""
    for _ in range(limit):
        tab.page.keyboard.press("Tab")
        if tab.page.evaluate(f"(({predicate}))(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached an element where {predicate}")


def assert_fits_one_screen(tab: Tab) -> None:
    """At 1366 x 768, unscrolled: every criterion row lies above the sticky score bar."""
    tab.page.evaluate("window.scrollTo(0, 0)")
    box = tab.page.evaluate(
        """() => {
          const rows = document.querySelectorAll("#criteria fieldset.criterion");
          const bar = document.querySelector(".score-bar").getBoundingClientRect();
          return {count: rows.length, last: rows[rows.length - 1].getBoundingClientRect().bottom,
                  bar: bar.top, barBottom: bar.bottom, height: window.innerHeight};
        }"""
    )
    assert box["count"] == 8, box
    assert box["barBottom"] <= box["height"], f"the score bar is off screen: {box}"
    assert box["last"] <= box["bar"], f"eight criteria do not fit above the score bar: {box}"


def test_a_reviewer_scores_a_whole_evaluation_with_the_keyboard(
    site: Site, open_tab: Callable[[str], Tab]
) -> None:
    interaction_id = new_chat(site)
    criteria = site.criteria("chat")
    assert len(criteria) == len(KEYS) and [c.allow_na for c in criteria][4:7:2] == [True, True]
    tab = open_tab("reviewer")
    page = tab.page
    page.set_viewport_size({"width": 1366, "height": 768})
    tab.sign_in(site.person(REVIEWER))
    tab.goto(f"/evaluations/new?interaction={interaction_id}")
    assert_fits_one_screen(tab)

    # Bubbles by speaker, times from the start as m:ss, the first one too.
    turns = page.locator(".conversation .turn")
    expect(turns.nth(1)).to_have_class("turn turn-agent")
    expect(turns.nth(2)).to_have_class("turn turn-agent")
    expect(turns.nth(0)).to_have_class("turn turn-customer")
    assert [t.strip() for t in page.locator(".turn time").all_inner_texts()] == [
        "0:00",
        "0:20",
        "1:35",
        "1:02:05",
    ]
    boxes = [turns.nth(n).bounding_box() for n in (1, 2)]
    rights = [box["x"] + box["width"] for box in boxes]
    assert abs(rights[0] - rights[1]) < 1, "both agent turns sit on the same side"

    progress = page.locator("#live-progress")
    expect(page.locator("#key-hint")).to_be_visible()
    expect(progress).to_have_text("0 of 8 criteria scored")
    tab_to(tab, "el => el && el.type === 'radio'")
    page.keyboard.press("0")  # the first criterion allows no N/A: nothing happens
    expect(page.locator("#criteria input:checked")).to_have_count(0)
    for number, key in enumerate(KEYS, start=1):
        page.keyboard.press(key)
        expect(progress).to_have_text(f"{number} of 8 criteria scored")
        page.keyboard.press("Enter")  # on to the next criterion, never a submit
    assert page.url.endswith(f"/evaluations/new?interaction={interaction_id}")
    assert page.evaluate("document.activeElement.name") == "strengths"
    page.keyboard.type("Clear about the depot.")
    tab.screens("scoring")

    tab_to(tab, "el => el && el.tagName === 'BUTTON' && el.value === 'submit'", limit=6)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab.check()
    expect(page.locator(".flash")).to_contain_text("Evaluation submitted.")
    status, values = stored_scores(site, interaction_id)
    assert status == "submitted"
    assert values == ["na" if key in "0n" else key for key in KEYS]
