"""Journey 2, the team lead: team results and charts, an agent, an action plan, the report."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from statistics import fmean
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.browser.site import Site
from tests.browser.tab import Tab, expect

pytestmark = pytest.mark.browser

LEAD = "Gábor Nagy"
TEAM = "Billing support"
AGENT = "Hanna Lukács"
REVIEWER = "Andreea Popescu"
WEAK = "Short, readable messages"
# Four evaluations of the new agent: the weak criterion always a 2, the others varying.
DEFAULTS = [4, 5, 4, 3]


def assert_charts_loaded(tab: Tab, count: int) -> None:
    """Every chart image arrived and decoded into a picture."""
    images = tab.page.locator(".charts img")
    assert images.count() == count
    tab.page.wait_for_function(
        "Array.from(document.querySelectorAll('.charts img')).every((img) => img.complete)"
    )
    widths = images.evaluate_all("(imgs) => imgs.map((img) => img.naturalWidth)")
    assert all(width > 0 for width in widths), f"charts not drawn: {widths}"


def summary_value(sheet: Any, label: str) -> Any:
    """The value right of a label in the Summary sheet's first column of labels."""
    for row in sheet.iter_rows(values_only=True):
        cells = [cell for cell in row if cell is not None]
        if cells and cells[0] == label:
            return cells[1] if len(cells) > 1 else None
    raise AssertionError(f"no {label!r} row in the Summary sheet")


def open_agent(tab: Tab) -> tuple[str, str]:
    """From the team's results to the agent's; returns the evaluations and quality shown."""
    tab.menu("Results")
    expect(tab.page.get_by_role("heading", name=f"{TEAM} team results")).to_be_visible()
    assert_charts_loaded(tab, 2)
    tab.screens("lead-team-results")
    tab.click(f"table >> a:text-is('{AGENT}')")
    expect(tab.page.get_by_role("heading", name=AGENT)).to_be_visible()
    assert_charts_loaded(tab, 2)
    tab.screens("lead-agent-results")
    count = tab.page.locator(".summary .meta div").filter(has_text="Evaluations").locator("dd")
    return count.inner_text(), tab.page.locator(".summary .score-value").inner_text()


def create_plan_from_development_areas(tab: Tab) -> str:
    """The plan form comes with the development areas chosen; save it. Returns its title."""
    tab.click("text=Create an action plan")
    expect(tab.page.get_by_role("heading", name=f"New action plan for {AGENT}")).to_be_visible()
    expect(tab.page.get_by_label(f"Work on {WEAK}")).to_be_checked()
    expect(tab.page.get_by_label("Work on Quick, friendly first reply")).not_to_be_checked()
    tab.screens("lead-plan-new")
    checked = tab.page.locator("fieldset.goal input[type=checkbox]:checked")
    development = tab.page.locator("fieldset.goal.development input[type=checkbox]")
    assert checked.count() == development.count() >= 1
    title = tab.page.get_by_label("Title").input_value()
    tab.click("button:has-text('Save the plan')")
    expect(tab.page.locator(".flash")).to_contain_text("Action plan saved.")
    expect(tab.page.locator("main")).to_contain_text(WEAK)
    tab.screens("lead-plan")
    return str(title)


def download_report(tab: Tab, folder: Path) -> Path:
    with tab.page.expect_download() as download_info:
        tab.page.get_by_role("link", name="Download the coaching report (Excel)").click()
    download = download_info.value
    assert download.failure() is None
    target = folder / download.suggested_filename
    download.save_as(target)
    tab.check()  # the download left no error behind on the page
    return target


def test_lead_reads_results_plans_coaching_and_exports_the_report(
    site: Site, open_tab: Callable[[str], Tab], tmp_path: Path
) -> None:
    agent = site.add_agent(AGENT, "hanna.lukacs@demo.example.com", TEAM)
    reviewer = site.person(REVIEWER)
    ids = [
        site.evaluated_interaction(
            agent, reviewer, f"BR-LEAD-{n}", {WEAK: 2}, default=value, ago=timedelta(days=n + 1)
        )
        for n, value in enumerate(DEFAULTS)
    ]
    # Independently of the pages: the mean of the scores stored for the four evaluations.
    stored = [site.stored_score(evaluation_id) for evaluation_id in ids]
    assert None not in stored
    expected_quality = f"{fmean(score for score in stored if score is not None):.2f}"

    lead = open_tab("lead")
    lead.sign_in(site.person(LEAD))
    lead.screens("lead-home")
    assert open_agent(lead) == (str(len(DEFAULTS)), expected_quality)
    weak_row = lead.page.locator(".criteria-table tr").filter(has_text=WEAK)
    expect(weak_row).to_contain_text("Development area")
    title = create_plan_from_development_areas(lead)

    # Back to the agent, and the Excel coaching report: the same numbers as the page.
    shown_count, shown_quality = open_agent(lead)
    workbook = load_workbook(download_report(lead, tmp_path))
    summary = workbook["Summary"]
    assert summary_value(summary, "Agent") == AGENT
    assert summary_value(summary, "Evaluations") == int(shown_count) == len(DEFAULTS)
    assert f"{summary_value(summary, 'Quality score'):.2f}" == shown_quality == expected_quality
    plans = [cell for row in workbook["Action plan"].iter_rows(values_only=True) for cell in row]
    assert title in plans
