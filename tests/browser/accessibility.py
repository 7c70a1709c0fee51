"""axe-core on every page the browser tests reach: no serious or critical WCAG 2.2 AA failure.

axe.min.js comes inside the axe-playwright-python package (nothing is downloaded at run time);
it is evaluated in the page through the DevTools protocol, which the page's CSP does not govern.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Page

# WCAG 2.0, 2.1 and 2.2 at levels A and AA, plus axe's best practices (landmarks, headings).
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
OPTIONS = {"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]}
BLOCKING = {"serious", "critical"}
# A sticky bar (the scoring page's live score) covers whatever target happens to sit under it at
# the current scroll position, which axe then counts as too small a target. While axe runs, such
# bars are laid back into the flow; what they hide of a focused control is kept clear by the
# pages themselves (scroll-margin).
UNSTICK_JS = """
() => {
  const stuck = Array.from(document.querySelectorAll("body *"))
    .filter((el) => getComputedStyle(el).position === "sticky");
  stuck.forEach((el) => { el.dataset.axeSticky = "1"; el.style.position = "relative"; });
  return stuck.length;
}
"""
RESTICK_JS = """
() => document.querySelectorAll("[data-axe-sticky]").forEach((el) => {
  el.style.removeProperty("position"); delete el.dataset.axeSticky;
})
"""


def _describe(violation: dict[str, Any]) -> str:
    targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
    return f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}"


def serious_violations(page: Page) -> list[str]:
    """The serious and critical axe violations of the page as it is now, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    unstuck = page.evaluate(UNSTICK_JS)
    try:
        results = Axe().run(page, options=OPTIONS)
    finally:
        if unstuck:
            page.evaluate(RESTICK_JS)
    found = results.response["violations"]
    return [_describe(v) for v in found if v.get("impact") in BLOCKING]


def _luminance(rgb: str) -> float:
    """Relative luminance (WCAG 2) of a computed colour such as "rgb(26, 95, 180)"."""
    channels = [int(part) / 255 for part in rgb[rgb.index("(") + 1 : -1].split(",")[:3]]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two computed colours, from 1 to 21."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
