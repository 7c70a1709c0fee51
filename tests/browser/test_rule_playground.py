"""Journey: a reviewer tries a draft's rules on a pasted chat and clicks a piece of evidence."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from qa_app.extensions import db
from qa_app.scorecards.schema import SHIPPED_DIR, load_shipped_template
from qa_app.scorecards.services import import_doc
from tests.browser.site import Site
from tests.browser.tab import Tab, expect

pytestmark = pytest.mark.browser

REVIEWER = "Dimitris Papadopoulos"
SORRY = {"kind": "phrases", "mode": "required", "phrases": {"en": ["sorry for the delay"]}}
# An emoji before the match: the page must count offsets as the browser does.
TRANSCRIPT = """[00:05] Customer: Hi, my parcel 📦 never arrived.
[00:30] Agent: Thank you 🙏 — I am sorry for the delay,
let me check.
[01:10] Customer: Ok."""


def draft_with_rule(site: Site) -> int:
    """A draft copy of the shipped chat card whose first criterion asks for an apology."""
    with site.app.app_context():
        doc = load_shipped_template(SHIPPED_DIR / "chat.yaml")
        version = import_doc(doc, None)
        version.ordered_criteria[0].rule = SORRY
        db.session.commit()
        return version.id


def test_a_reviewer_tries_a_drafts_rules_on_a_pasted_chat(
    site: Site, open_tab: Callable[[str], Tab]
) -> None:
    version_id = draft_with_rule(site)
    tab = open_tab("reviewer")
    tab.sign_in(site.person(REVIEWER))
    tab.goto(f"/autoqa/playground?version={version_id}")
    page = tab.page
    expect(page.get_by_label("Scorecard version")).to_have_value(str(version_id))
    page.get_by_label("Transcript", exact=True).fill(TRANSCRIPT)
    page.get_by_label("CSAT").fill("5")
    tab.click("form.playground-form button[type=submit]")
    results = page.locator(".trial-criterion")
    expect(results.first).to_contain_text("Suggested")
    expect(page.locator(".conversation .turn")).to_have_count(3)

    page.get_by_role("button", name="“sorry for the delay”").click()
    mark = page.locator("#turn-1 mark.evidence-mark")
    expect(mark).to_have_text("sorry for the delay")
    expect(page.locator("#turn-1")).to_have_class(re.compile(r"\bevidence-turn\b"))
    tab.check()
    tab.screens("autoqa-playground")
