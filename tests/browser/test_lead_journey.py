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


# The smallest text of the page's charts, in CSS pixels as drawn (an SVG scales its text).
SMALLEST_CHART_TEXT_JS = """() => Math.min(
  ...Array.from(document.querySelectorAll('.charts svg.chart'))
  .flatMap((svg) => Array.from(svg.querySelectorAll('text')).map((text) =>
    parseFloat(text.getAttribute('font-size')) * svg.getBoundingClientRect().width
    / svg.viewBox.baseVal.width)))"""


def assert_charts_loaded(tab: Tab, count: int) -> None:
    """Every chart is drawn in the page, and its text stays readable on a laptop and a phone."""
    charts = tab.page.locator(".charts svg.chart")
    assert charts.count() == count
    widths = charts.evaluate_all("(svgs) => svgs.map((svg) => svg.getBoundingClientRect().width)")
    assert all(width > 0 for width in widths), f"charts not drawn: {widths}"
    before = tab.page.viewport_size
    try:
        for width in (1366, 390):
            tab.page.set_viewport_size({"width": width, "height": 900})
            assert tab.page.evaluate(SMALLEST_CHART_TEXT_JS) >= 11, width
    finally:
        if before is not None:
            tab.page.set_viewport_size(before)


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
    """The plan form marks the development areas and ticks none; the lead ticks the weak one and
    saves. Returns its title."""
    tab.click("text=Create an action plan")
    expect(tab.page.get_by_role("heading", name=f"New action plan for {AGENT}")).to_be_visible()
    assert tab.page.locator("fieldset.goal input[type=checkbox]:checked").count() == 0
    assert tab.page.locator("fieldset.goal.development").count() >= 1
    expect(tab.page.get_by_label(f"Target average for {WEAK}")).to_have_value("4.0")
    tab.page.get_by_label(f"Work on {WEAK}").check()
    tab.screens("lead-plan-new")
    title = tab.page.get_by_label("Title").input_value()
    tab.click("button:has-text('Save the plan')")
    expect(tab.page.locator(".flash")).to_contain_text("Action plan saved.")
    expect(tab.page.locator("main")).to_contain_text(WEAK)
    tab.screens("lead-plan")
    return str(title)


def follow_a_band_bar(tab: Tab) -> None:
    """On the team page, a band's bar opens the evaluation list of exactly that band."""
    rows = (
        tab.page.locator("table.chart-data").filter(has_text="Scores by band").locator("tbody tr")
    )
    counts = {
        row.locator("td").first.inner_text(): int(row.locator("td").nth(1).inner_text())
        for row in rows.all()
    }
    tab.screens("results-team-charts")  # the charts fit a phone's width
    band, count = min(((b, c) for b, c in counts.items() if c), key=lambda item: item[1])
    tab.click(f".charts svg.chart a[aria-label='{band}: {count}']")
    expect(tab.page.get_by_role("heading", name="Evaluations")).to_be_visible()
    expect(tab.page.locator(".list-filter")).to_contain_text(f"{count} evaluation")
    if count <= 50:  # one page of the list
        expect(tab.page.locator("main table tbody tr")).to_have_count(count)
        expect(tab.page.locator("main table tbody .band")).to_have_text([band] * count)


def follow_a_trend_point(tab: Tab) -> None:
    """On the team page, the first week's point opens the list of that week's evaluations."""
    first_week = tab.page.locator("table.chart-data").first.locator("tbody tr").first
    week, count = first_week.locator("td").nth(0).inner_text(), first_week.locator("td").nth(1)
    expected = int(count.inner_text())
    tab.click(f".charts svg.chart a[aria-label^='Week of {week}:']")
    expect(tab.page.get_by_role("heading", name="Evaluations")).to_be_visible()
    expect(tab.page.locator(".list-filter")).to_contain_text(f"{expected} evaluation")


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
    lead.menu("Results")
    follow_a_band_bar(lead)
    lead.menu("Results")
    follow_a_trend_point(lead)
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
