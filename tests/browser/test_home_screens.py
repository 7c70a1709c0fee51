"""The four home pages at a laptop's and a phone's width, and the menu that leads from them.

At 1366 px an admin's whole menu stays on one line; at 390 px it folds behind a Menu button,
and Escape closes first an open group, then the menu.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.browser.site import Site
from tests.browser.tab import SCREENS, Tab, expect

pytestmark = pytest.mark.browser

HOMES = {
    "admin": "Ilona Kovács",
    "reviewer": "Andreea Popescu",  # the demo spotlight plan fills her queue
    "lead": "Gábor Nagy",
    "agent": "Radu Stan",
}
# The tops of the bar's places (groups, links, user menu, bell): one line has one top.
ROW_TOPS_JS = """
() => Array.from(document.querySelectorAll(".topbar .brand, .nav-bar > li, .nav-user, .bell"))
  .map((el) => Math.round(el.getBoundingClientRect().top))
"""


def _one_line_at_laptop_width(tab: Tab) -> None:
    tab.page.set_viewport_size({"width": 1366, "height": 800})
    tops = tab.page.evaluate(ROW_TOPS_JS)
    assert max(tops) - min(tops) <= 8, f"the menu wraps: tops {tops}"
    height = tab.page.locator(".topbar").bounding_box()["height"]
    assert height <= 64, f"the top bar is {height} px high"


def _phone_menu(tab: Tab, group: str, entry: str, name: str) -> None:
    page = tab.page
    page.set_viewport_size({"width": 390, "height": 800})
    toggle = page.get_by_role("button", name="Menu")
    nav = page.locator("#site-nav")
    expect(nav).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(nav).to_be_visible()
    nav.locator("summary", has_text=group).click()
    link = nav.get_by_role("link", name=entry)
    expect(link).to_be_visible()
    page.screenshot(path=str(SCREENS / f"{name}-390-menu.png"))
    page.keyboard.press("Escape")  # closes the group and goes back to its name
    expect(link).to_be_hidden()
    expect(nav.locator("summary", has_text=group)).to_be_focused()
    page.keyboard.press("Escape")  # then the menu
    expect(nav).to_be_hidden()
    expect(toggle).to_be_focused()


@pytest.mark.parametrize("role", list(HOMES))
def test_home_screens(site: Site, open_tab: Callable[[str], Tab], role: str) -> None:
    tab = open_tab(role)
    tab.sign_in(site.person(HOMES[role]))
    tab.goto("/")
    expect(tab.page.locator("#site-nav a.nav-top[aria-current='page']")).to_have_count(1)
    tab.screens(f"home-{role}")
    _one_line_at_laptop_width(tab)
    _phone_menu(tab, "Results", "Action plans", f"home-{role}")


def test_a_group_opens_and_closes_from_the_keyboard(
    site: Site, open_tab: Callable[[str], Tab]
) -> None:
    tab = open_tab("admin")
    tab.sign_in(site.person(HOMES["admin"]))
    page = tab.page
    page.set_viewport_size({"width": 1366, "height": 800})
    setup = page.locator("#site-nav summary", has_text="Setup")
    setup.focus()
    page.keyboard.press("Enter")
    users = page.locator("#site-nav").get_by_role("link", name="Users")
    expect(users).to_be_visible()
    page.screenshot(path=str(SCREENS / "menu-setup-1366.png"))
    review = page.locator("#site-nav summary", has_text="Review")
    review.click()  # one group open at a time
    expect(users).to_be_hidden()
    page.keyboard.press("Escape")
    expect(page.locator("details.nav-group[open]")).to_have_count(0)
    expect(review).to_be_focused()
    tab.menu("Users")
    expect(page.locator("#site-nav summary[aria-current]", has_text="Setup")).to_have_count(1)
