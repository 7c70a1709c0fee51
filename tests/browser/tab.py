"""One person's browser: a context and a page, checked after every navigation."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.browser.checks import PageWatch
from tests.browser.site import Person

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

# Full-page screenshots an engineer can look at after a passing run (git-ignored).
SCREENS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screens"
SCREEN_WIDTHS = (1366, 390)  # a laptop and a phone
SCREEN_HEIGHT = 800
# What pokes out of the main column sideways (a wide table scrolls inside its wrapper instead).
OVERFLOW_JS = """
() => {
  const main = document.getElementById("main");
  const box = main.getBoundingClientRect(), style = getComputedStyle(main);
  const left = box.left + parseFloat(style.paddingLeft) - 1;
  const right = box.right - parseFloat(style.paddingRight) + 1;
  const clipped = (el) => {
    for (let up = el.parentElement; up && up !== main; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible") return true;
    }
    return false;
  };
  const out = [];
  for (const el of main.querySelectorAll("*")) {
    const at = el.getBoundingClientRect();
    if (at.width === 0 || (at.left >= left && at.right <= right) || clipped(el)) continue;
    const name = `${el.tagName.toLowerCase()}.${el.className}`;
    out.push(`${name}: ${Math.round(at.left)}-${Math.round(at.right)}`);
  }
  if (document.documentElement.scrollWidth > window.innerWidth) out.push("the page");
  return out.slice(0, 5);
}
"""


def expect(target: Any) -> Any:
    """Playwright's expect, imported only once the browser is known to be there."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target)


class Tab:
    """One person's browser context and page, checked after every navigation."""

    def __init__(self, context: BrowserContext, app_host: str) -> None:
        self.context = context
        self.page = context.new_page()
        self.watch = PageWatch(self.page, app_host)

    def check(self) -> None:
        self.watch.check()

    def screens(self, name: str) -> list[Path]:
        """Save a full-page screenshot of the page at each width; the viewport is put back.

        The page must fit each width: a wide table scrolls inside its wrapper, not the page.
        """
        SCREENS.mkdir(parents=True, exist_ok=True)
        before = self.page.viewport_size
        saved = []
        try:
            for width in SCREEN_WIDTHS:
                self.page.set_viewport_size({"width": width, "height": SCREEN_HEIGHT})
                wider = self.page.evaluate(OVERFLOW_JS)
                assert not wider, f"{self.page.url} overflows at {width} px: {wider}"
                path = SCREENS / f"{name}-{width}.png"
                self.page.screenshot(path=str(path), full_page=True)
                saved.append(path)
        finally:
            if before is not None:
                self.page.set_viewport_size(before)
        return saved

    def goto(self, path: str) -> None:
        self.page.goto(path)
        self.check()

    def click(self, *args: Any, **kwargs: Any) -> None:
        """Click something that loads a new page, wait for it, and check it."""
        with self.page.expect_navigation():
            self.page.click(*args, **kwargs)
        self.check()

    def menu(self, label: str) -> None:
        """Follow an entry of the main menu, opening its group first (a count may follow)."""
        nav = self.page.locator("#site-nav")
        name = re.compile(rf"^{re.escape(label)}(\s+\d+)?$")
        inner = self.page.get_by_role("link", name=name, include_hidden=True)
        link = nav.locator(inner)
        if not link.is_visible():  # has= looks for the link inside each group
            nav.locator("details.nav-group").filter(has=inner).locator("summary").click()
        with self.page.expect_navigation():
            link.click()
        self.check()

    def sign_in(self, person: Person) -> None:
        self.goto("/login")
        self.page.get_by_label("Email").fill(person.email)
        self.page.get_by_label("Password").fill(person.password)
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Sign in").click()
        self.check()
        who = self.page.locator("#site-nav .nav-user summary")
        assert person.name in who.inner_text(), f"not signed in as {person.name}"
