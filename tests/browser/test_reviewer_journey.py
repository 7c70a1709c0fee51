"""Journey 1, the reviewer: import a file, score an interaction live, keep a draft, submit."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from qa_app.scoring import CriterionSpec, round_score, score_evaluation
from tests.browser.site import CriterionInfo, Site
from tests.browser.tab import Tab, expect

pytestmark = pytest.mark.browser

AGENT = "Bálint Kerekes"
REVIEWER = "Dimitris Papadopoulos"
# The picks in the order a reviewer makes them; None is N/A. The critical criterion is first
# given a 2 (the whole score drops to 0) and then corrected.
PICKS: list[tuple[str, int | None]] = [
    ("Quick, friendly first reply", 4),  # by keyboard
    ("Personalises the conversation", 3),
    ("Short, readable messages", 5),
    ("One topic per message", 2),
    ("No silent gaps", None),
    ("Gives accurate information", 2),
    ("Gives accurate information", 5),
    ("Moves to another channel when needed", 5),
    ("Confirms resolution before closing", 5),  # by keyboard, then Save by keyboard
]
SCALE = {5: "Excellent", 4: "Good", 3: "Satisfactory", 2: "Needs improvement", 1: "Poor"}
KEYBOARD = {"Quick, friendly first reply", "Confirms resolution before closing"}
COMMENT = "Greeted the customer warmly."


def expected_live_score(criteria: list[CriterionInfo], picks: dict[str, int | None]) -> str:
    """The rules of docs/scoring.md over the criteria picked so far, as the page shows them."""
    weights = total = Decimal(0)
    for criterion in criteria:
        if criterion.name not in picks or picks[criterion.name] is None:
            continue
        pct = (Decimal(picks[criterion.name]) - 1) / 4 * 100
        if criterion.is_critical and pct < 50:
            return "0.00"
        weights += Decimal(str(criterion.weight))
        total += Decimal(str(criterion.weight)) * pct
    if not weights:
        return "—"
    return str((total / weights).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def write_import_file(folder: Path, agent_email: str, when: datetime) -> Path:
    """A CSV with two chats and a call, as a contact centre's export would give them."""
    turns = [
        {"speaker": "Customer", "text": "My router blinks red since the storm.", "at": "00:01"},
        {"speaker": "Agent", "text": "Sorry to hear that! Let me run a line test.", "at": "00:02"},
    ]
    rows = [
        ("BR-CHAT-1", "chat", json.dumps(turns), "Router blinking red"),
        ("BR-CHAT-2", "chat", json.dumps(turns[:1]), "Router again"),
        ("BR-CALL-1", "call", "Customer asked for a technician visit.", "Technician visit"),
    ]
    path = folder / "contacts.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["external_id", "channel", "agent_email", "occurred_at", "language", "subject"]
            + ["transcript", "csat"]
        )
        for n, (external_id, channel, transcript, subject) in enumerate(rows):
            occurred = (when + timedelta(minutes=n)).isoformat()
            writer.writerow(
                [external_id, channel, agent_email, occurred, "en", subject, transcript, 4]
            )
    return path


def tab_to(tab: Tab, predicate: str, limit: int = 200) -> None:
    """Press Tab until the focused element matches the JavaScript predicate (el) => bool."""
    for _ in range(limit):
        tab.page.keyboard.press("Tab")
        if tab.page.evaluate(f"(({predicate}))(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached an element where {predicate}")


def pick_by_keyboard(tab: Tab, position: int, value: int) -> None:
    """Tab into a criterion's radio group and move to the value with the arrow keys."""
    in_group = (
        "el => el && el.type === 'radio' && el.closest('fieldset.criterion') === "
        f"document.querySelectorAll('fieldset.criterion')[{position}]"
    )
    tab_to(tab, in_group)
    values = tab.page.evaluate(
        "Array.from(document.activeElement.closest('.points').querySelectorAll('input'))"
        ".map((radio) => radio.value)"
    )
    focused = tab.page.evaluate("document.activeElement.value")
    steps = values.index(str(value)) - values.index(focused)
    if steps == 0:
        tab.page.keyboard.press("Space")
    for _ in range(abs(steps)):
        tab.page.keyboard.press("ArrowRight" if steps > 0 else "ArrowLeft")
    picked = tab.page.evaluate("document.activeElement.checked && document.activeElement.value")
    assert picked == str(value), f"the arrow keys picked {picked}, not {value}"


def import_and_find(tab: Tab, csv_file: Path) -> None:
    """Import the file, filter the list down to the agent's chats, and open one."""
    tab.menu("Interactions")
    tab.click("text=Import a file")
    tab.page.get_by_label("File").set_input_files(csv_file)
    tab.click("button:has-text('Import')")
    expect(tab.page.locator(".flash").first).to_contain_text(
        "contacts.csv: 3 new interactions added"
    )
    tab.page.get_by_label("Agent").select_option(label=AGENT)
    tab.page.get_by_label("Channel").select_option(label="Chat")
    tab.click("button:has-text('Filter')")
    rows = tab.page.locator("tbody tr")
    expect(rows).to_have_count(2)
    assert all(AGENT in text and "Chat" in text for text in rows.all_inner_texts())
    tab.click("tbody tr:has-text('BR-CHAT-2') a")
    evaluate = tab.page.get_by_role("link", name="Evaluate", exact=True)
    expect(evaluate).to_have_attribute("href", re.compile(r"/evaluations/new\?interaction=\d+$"))


def open_from_queue(tab: Tab, button: str) -> str:
    """Open the only interaction of the reviewer's queue; returns its external id."""
    tab.menu("My queue")
    rows = tab.page.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(AGENT)
    tab.click(f"tbody tr >> a.button:has-text('{button}')")
    heading = tab.page.locator("h1").inner_text()
    assert heading.startswith("Evaluate BR-CHAT-"), heading
    return heading.removeprefix("Evaluate ")


def score_with_live_updates(tab: Tab, criteria: list[CriterionInfo]) -> dict[str, int | None]:
    """Make every pick, by mouse or keyboard; the live score follows each one."""
    live, progress = tab.page.locator("#live-score"), tab.page.locator("#live-progress")
    names = [c.name for c in criteria]
    expect(live).to_have_text("—")
    picked: dict[str, int | None] = {}
    for name, value in PICKS:
        previous = expected_live_score(criteria, picked)
        picked[name] = value
        if name in KEYBOARD and value is not None:
            pick_by_keyboard(tab, names.index(name), value)
        else:
            group = tab.page.locator("fieldset.criterion").nth(names.index(name))
            label = "N/A" if value is None else f"{value} {SCALE[value]}"
            group.get_by_role("radio", name=label, exact=True).check()
        expected = expected_live_score(criteria, picked)
        expect(live).to_have_text(expected)
        expect(progress).to_have_text(f"{len(picked)} of {len(criteria)} criteria scored")
        if value is None:
            assert expected == previous, "N/A must leave the score as it was"
        else:
            assert expected != previous, f"the pick {name}={value} should change the score"
        if expected == "0.00":
            expect(tab.page.locator("#live-band")).to_have_text("Poor (critical fail)")
        if name == PICKS[0][0]:
            tab.page.keyboard.press("Tab")  # on from the radio group to its Comment toggle
            tab.page.keyboard.press("Enter")  # opens the comment and moves into it
            tab.page.keyboard.type(COMMENT)
    assert len(picked) == len(criteria)
    return picked


def save_draft_by_keyboard(tab: Tab) -> None:
    """Tab on to the summary texts, type them, and press Enter on Save draft."""
    tab_to(tab, "el => el && el.name === 'strengths'")
    tab.page.keyboard.type("Calm and clear about the line test.")
    tab.page.keyboard.press("Tab")
    tab.page.keyboard.type("Offer the technician visit earlier.")
    tab_to(tab, "el => el && el.tagName === 'BUTTON' && el.value === 'draft'", limit=5)
    with tab.page.expect_navigation():
        tab.page.keyboard.press("Enter")
    tab.check()
    expect(tab.page.locator(".flash")).to_contain_text("Draft saved.")
    expect(tab.page.locator(".badge-draft")).to_be_visible()


def assert_draft_kept(
    tab: Tab, criteria: list[CriterionInfo], picked: dict[str, int | None]
) -> None:
    for position, criterion in enumerate(criteria):
        value = picked[criterion.name]
        group = tab.page.locator("fieldset.criterion").nth(position)
        expect(group.locator("input[type=radio]:checked")).to_have_value(
            "na" if value is None else str(value)
        )
    first_comment = tab.page.locator("fieldset.criterion").first.locator("textarea")
    expect(first_comment).to_have_value(COMMENT)
    expect(tab.page.get_by_label("Strengths")).to_have_value("Calm and clear about the line test.")


def test_reviewer_imports_scores_live_keeps_a_draft_and_submits(
    site: Site, open_tab: Callable[[str], Tab], tmp_path: Path
) -> None:
    criteria = site.criteria("chat")
    by_name = {c.name: c for c in criteria}
    assert by_name["No silent gaps"].allow_na and by_name["Gives accurate information"].is_critical
    agent = site.add_agent(AGENT, "balint.kerekes@demo.example.com", "Technical support")
    plan_id = site.sampling_plan("Weekly chat sample", agent, site.person(REVIEWER))
    when = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=10)
    reviewer = open_tab("reviewer")
    page = reviewer.page
    reviewer.sign_in(site.person(REVIEWER))
    import_and_find(reviewer, write_import_file(tmp_path, agent.email, when))

    # The week's sample is drawn (as the scheduled command does): one chat lands in the queue.
    assert "1 assigned" in site.draw(plan_id, when.date())
    external_id = open_from_queue(reviewer, "Evaluate")
    picked = score_with_live_updates(reviewer, criteria)
    final = page.locator("#live-score").inner_text()
    specs = [CriterionSpec(str(c.id), c.weight, c.is_critical, c.allow_na) for c in criteria]
    server_rules = score_evaluation(specs, {str(c.id): picked[c.name] for c in criteria})
    assert f"{round_score(server_rules.score):.2f}" == final, "the page and the server disagree"
    save_draft_by_keyboard(reviewer)

    # Leave, come back through the queue: the draft kept every value.
    reviewer.menu("Interactions")
    assert open_from_queue(reviewer, "Continue draft") == external_id
    assert_draft_kept(reviewer, criteria, picked)
    expect(page.locator("#live-score")).to_have_text(final)

    # Submit and read the evaluation with its score; the queue is empty.
    reviewer.click("button[value=submit]")
    expect(page.locator(".flash")).to_contain_text("Evaluation submitted.")
    expect(page.get_by_role("heading", name=f"Evaluation of {external_id}")).to_be_visible()
    expect(page.locator(".score-card .score-value")).to_have_text(final)
    expect(page.locator("main")).to_contain_text("submitted")
    evaluation_id = int(page.url.rstrip("/").rsplit("/", 1)[-1])
    assert site.stored_score(evaluation_id) == float(final)
    reviewer.menu("My queue")
    expect(page.locator("main")).to_contain_text("your queue is empty")
