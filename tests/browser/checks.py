"""What every page must hold in a real browser; `Tab.check()` runs it after each navigation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from tests.browser.accessibility import serious_violations

if TYPE_CHECKING:  # playwright is imported only once the browser is known to be there
    from playwright.sync_api import ConsoleMessage, Page, Request

# Every visible form control and progress bar needs a name a screen reader can announce.
UNLABELLED_CONTROLS_JS = """
() => {
  const skipped = new Set(["hidden", "submit", "button", "reset", "image"]);
  const text = (el) => (el ? el.textContent || "" : "").trim();
  const visible = (el) => {
    const style = getComputedStyle(el);
    return el.getClientRects().length > 0 && style.visibility !== "hidden";
  };
  const missing = [];
  for (const el of document.querySelectorAll("input, select, textarea, progress, meter")) {
    if (el.tagName === "INPUT" && skipped.has((el.type || "text").toLowerCase())) continue;
    if (!visible(el)) continue;
    const aria = (el.getAttribute("aria-label") || "").trim();
    const ids = (el.getAttribute("aria-labelledby") || "").split(/\\s+/).filter(Boolean);
    const labelledBy = ids.map((id) => text(document.getElementById(id))).join(" ").trim();
    const labels = Array.from(el.labels || []).map(text).join(" ").trim();
    if (!aria && !labelledBy && !labels) missing.push(el.outerHTML.slice(0, 160));
  }
  return missing;
}
"""


class PageWatch:
    """Listens to one page: console errors, uncaught exceptions, requests to other hosts."""

    def __init__(self, page: Page, app_host: str) -> None:
        self.page = page
        self.app_host = app_host
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.foreign_requests: list[str] = []
        self.navigations: list[str] = []
        self.checked_pages: list[str] = []
        self._seen = 0  # navigations already covered by a check
        page.on("console", self._on_console)
        page.on("pageerror", self._on_page_error)
        page.on("request", self._on_request)
        page.on("framenavigated", self._on_navigated)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location.get("url", "")
            self.console_errors.append(f"{message.text} ({where or self.page.url})")

    def _on_page_error(self, error: Any) -> None:
        self.page_errors.append(f"{error} ({self.page.url})")

    def _on_request(self, request: Request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if parts.scheme not in ("http", "https") or parts.netloc != self.app_host:
            self.foreign_requests.append(request.url)

    def _on_navigated(self, frame: Any) -> None:
        if frame == self.page.main_frame:
            self.navigations.append(frame.url)

    def check(self) -> None:
        """Assert the page just reached is clean; call it after every navigation."""
        page = self.page
        page.wait_for_load_state("load")
        unchecked = self.navigations[self._seen :]
        self._seen = len(self.navigations)
        assert len(unchecked) <= 1, f"pages passed without a check: {unchecked[:-1]}"
        self.checked_pages.append(page.url)
        assert not self.page_errors, f"uncaught exceptions: {self.page_errors}"
        assert not self.console_errors, f"console errors: {self.console_errors}"
        assert not self.foreign_requests, (
            f"requests to hosts other than {self.app_host}: {self.foreign_requests}"
        )
        missing = page.evaluate(UNLABELLED_CONTROLS_JS)
        assert not missing, f"form controls without a label on {page.url}: {missing}"
        violations = serious_violations(page)
        assert not violations, f"accessibility failures on {page.url}:\n" + "\n".join(violations)

    def assert_all_checked(self) -> None:
        unchecked = self.navigations[self._seen :]
        assert not unchecked, f"pages reached but never checked: {unchecked}"
