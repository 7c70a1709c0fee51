"""The component page (/ui, docs/ui.md): every component drawn, and tables stacked on a phone."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.browser.accessibility import contrast
from tests.browser.site import Site
from tests.browser.tab import Tab, expect

pytestmark = pytest.mark.browser

AGENT = "Radu Stan"


def assert_focus_ring(tab: Tab) -> None:
    """The focus ring is at least 2 px wide and of 3:1 or more against the page and the button."""
    tab.page.keyboard.press("Tab")  # the skip link, then the first button of the page's body
    button = tab.page.locator("#ui-buttons + .stack button.primary")
    button.focus()
    ring = button.evaluate(
        "(b) => { const s = getComputedStyle(b);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor]; }"
    )
    page_colour = tab.page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
    assert ring[0] == "solid" and ring[1] >= 2, ring
    assert contrast(ring[2], page_colour) >= 3, (ring, page_colour)
    assert contrast(ring[2], "rgb(255, 255, 255)") >= 3, ring


def test_the_component_page_shows_every_component_and_stacks_tables_on_a_phone(
    site: Site, open_tab: Callable[[str], Tab]
) -> None:
    tab = open_tab("agent")
    tab.sign_in(site.person(AGENT))
    tab.goto("/ui")
    page = tab.page
    for name in ("Buttons", "Badges", "Tables", "Empty state", "Confirmation", "Form"):
        expect(page.get_by_role("heading", name=name, exact=True)).to_be_visible()
    tab.screens("ui-components")
    assert_focus_ring(tab)

    page.set_viewport_size({"width": 390, "height": 800})
    cell = page.locator("#ui-tables ~ .table-wrap tbody tr").first.locator("td").nth(1)
    assert cell.get_attribute("data-label") == "Quality score"
    label = cell.evaluate("(td) => getComputedStyle(td, '::before').content")
    assert label == '"Quality score"'
    header = page.locator("#ui-tables ~ .table-wrap thead").bounding_box()
    assert header is not None and header["height"] <= 1, "the header row is left for screen readers"
