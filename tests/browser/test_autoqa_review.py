"""Journey: a reviewer scores a chat that Auto QA suggested points for, checks the evidence,
overrides one suggestion and submits; the evaluation shows which suggestions were kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from qa_app.autoqa.models import AutoResult, AutoSuggestion
from qa_app.extensions import db
from qa_app.interactions.models import Channel, Interaction
from qa_app.rules import Outcome
from tests.browser.site import CriterionInfo, Site
from tests.browser.tab import Tab, expect

pytestmark = pytest.mark.browser

AGENT = "Aurél Szabó"
REVIEWER = "Dimitris Papadopoulos"
# An emoji before the second match: the page must count offsets as the browser does.
TURNS = [
    {"speaker": "Customer", "text": "Hi, my parcel 📦 never arrived.", "at": "00:01"},
    {
        "speaker": "Agent",
        "text": "Thank you 🙏 — I am sorry for the delay, let me check.",
        "at": "00:02",
    },
    {"speaker": "Customer", "text": "Ok.", "at": "00:03"},
]


def _phrase(words: str) -> dict[str, object]:
    start = TURNS[1]["text"].index(words)
    return {"kind": "phrase", "turn": 1, "start": start, "end": start + len(words), "phrase": words}


def seed(site: Site, criteria: list[CriterionInfo]) -> tuple[int, int]:
    """A chat with stored suggestions on four criteria; returns (interaction, version) ids."""
    with site.app.app_context():
        version_id = _version_of(criteria[0].id)
        interaction = Interaction(
            external_id="AQ-CHAT-1",
            channel=Channel.CHAT,
            agent_id=site.person(AGENT).id,
            occurred_at=datetime.now(UTC) - timedelta(hours=2),
            transcript_turns=TURNS,
            language="en",
        )
        db.session.add(interaction)
        db.session.flush()
        result = AutoResult(interaction_id=interaction.id, scorecard_version_id=version_id)
        measured = {"kind": "measurement", "name": "average_sentence", "value": 9.5}
        result.suggestions = [
            AutoSuggestion(
                criterion_id=criteria[0].id,
                outcome=Outcome.POINT,
                point=5,
                evidence=[_phrase("Thank you")],
            ),
            AutoSuggestion(
                criterion_id=criteria[1].id,
                outcome=Outcome.POINT,
                point=4,
                evidence=[_phrase("sorry for the delay")],
            ),
            AutoSuggestion(
                criterion_id=criteria[2].id,
                outcome=Outcome.POINT,
                point=5,
                evidence=[measured | {"unit": "words", "turn": None}],
            ),
            AutoSuggestion(
                criterion_id=criteria[4].id,
                outcome=Outcome.CANNOT_DECIDE,
                reason="no_times",
                evidence=[],
            ),
        ]
        db.session.add(result)
        db.session.commit()
        return interaction.id, version_id


def _version_of(criterion_id: int) -> int:
    from qa_app.scorecards.models import Criterion

    return db.session.get(Criterion, criterion_id).section.scorecard_version_id


def test_a_reviewer_checks_the_evidence_overrides_one_suggestion_and_submits(
    site: Site, open_tab
) -> None:
    criteria = site.criteria("chat")
    site.add_agent(AGENT, "aurel.szabo@demo.example.com", "Technical support")
    interaction_id, version_id = seed(site, criteria)
    tab: Tab = open_tab("reviewer")
    tab.sign_in(site.person(REVIEWER))
    tab.goto(f"/evaluations/new?interaction={interaction_id}&scorecard={version_id}")
    page = tab.page

    def radio(criterion: CriterionInfo, value: str):
        return page.locator(f'input[name="score_{criterion.id}"][value="{value}"]')

    for criterion, value in zip(criteria[:3], "545", strict=True):
        expect(radio(criterion, value)).to_be_checked()
    undecided = page.locator("fieldset.criterion").nth(4)
    expect(undecided).to_contain_text("The rule could not decide: turns without times.")
    expect(undecided.locator("input:checked")).to_have_count(0)
    first = page.locator("fieldset.criterion").first
    expect(first.locator(".suggestion")).to_contain_text("Suggested")
    expect(first.locator(".evidence")).to_contain_text("“Thank you” turn 2")
    expect(page.locator("fieldset.criterion").nth(2)).to_contain_text(
        "Average sentence length: 9.5 words"
    )

    page.get_by_role("button", name="“sorry for the delay”").click()
    mark = page.locator("#turn-1 mark.evidence-mark")
    expect(mark).to_have_text("sorry for the delay")
    page.get_by_role("button", name="“Thank you”").click()
    expect(page.locator("mark.evidence-mark")).to_have_count(1)
    expect(mark).to_have_text("Thank you")
    expect(page.locator("#turn-1 .turn-words")).to_have_text(TURNS[1]["text"])
    tab.check()
    tab.screens("autoqa-scoring")

    radio(criteria[1], "2").check()
    for criterion in criteria[3:]:
        radio(criterion, "4").check()
    tab.click("button[value=submit]")
    rows = page.locator("table.scores tbody tr:not(.section-row)")
    expect(rows.nth(0)).to_contain_text("suggested: kept")
    expect(rows.nth(1)).to_contain_text("suggested 4, changed to 2")
    expect(rows.nth(2)).to_contain_text("suggested: kept")
    expect(page.locator(".suggestion-note")).to_have_count(3)
