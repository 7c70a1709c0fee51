"""Browser fixtures: the served app, the system Chromium, one tab per person, failure artefacts.

The browser tests need the playwright package (a dev dependency) and the system Chromium at
/usr/bin/chromium. Like the PostgreSQL tests, they skip with a reason when either is missing,
except in CI (CI=true), where that is a failure.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.site import Site, build_site
from tests.browser.tab import Tab
from tests.conftest import in_ci

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTEFACTS = Path("test-artifacts") / "browser"
TIMEOUT_MS = 15_000
PAGES = pytest.StashKey[list[tuple[str, "Page"]]]()
CALL_REPORT = pytest.StashKey[pytest.TestReport]()


def require_browser() -> None:
    """Playwright and the system Chromium; missing ones fail in CI and skip elsewhere."""
    missing = []
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright package (pip install -e '.[dev]')")
    try:
        import axe_playwright_python  # noqa: F401
    except ImportError:
        missing.append("the axe-playwright-python package (pip install -e '.[dev]')")
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        missing.append(f"{CHROMIUM} (apt-get install chromium chromium-driver)")
    if missing:
        reason = f"browser tests need {' and '.join(missing)}"
        if in_ci():
            pytest.fail(f"CI must run the browser tests: {reason}", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="package")
def site(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The app on a free port of 127.0.0.1, on a new SQLite file with the demo organisation.

    One database for the browser tests' run: each journey seeds its own people and data.
    """
    folder = tmp_path_factory.mktemp("browser-site")
    served = build_site(folder / "qa.db", folder / "demo-logins.txt")
    yield served
    served.server.stop()


@pytest.fixture
def open_tab(
    browser: Browser, site: Site, request: pytest.FixtureRequest
) -> Iterator[Callable[[str], Tab]]:
    """open_tab("label"): a new browser context, as a second person would have."""
    tabs: list[Tab] = []
    request.node.stash[PAGES] = []

    def open_one(label: str) -> Tab:
        context = browser.new_context(base_url=site.url, accept_downloads=True)
        context.set_default_timeout(TIMEOUT_MS)
        tab = Tab(context, site.host)
        tabs.append(tab)
        request.node.stash[PAGES].append((label, tab.page))
        return tab

    yield open_one
    call = request.node.stash.get(CALL_REPORT, None)
    try:
        if call is not None and call.passed:
            for tab in tabs:
                tab.watch.assert_all_checked()
    finally:
        for tab in tabs:
            tab.context.close()


def _safe(name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", name)


def _save_artefacts(item: pytest.Item, pages: list[tuple[str, Page]]) -> Path:
    folder = item.config.rootpath / ARTEFACTS / _safe(item.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for number, (label, page) in enumerate(pages, start=1):
        stem = folder / f"{number}-{_safe(label)}"
        try:
            stem.with_suffix(".url").write_text(page.url + "\n", encoding="utf-8")
            stem.with_suffix(".html").write_text(page.content(), encoding="utf-8")
            page.screenshot(path=str(stem.with_suffix(".png")), full_page=True)
        except Exception as exc:  # a closed page must not hide the real failure
            stem.with_suffix(".error.txt").write_text(repr(exc), encoding="utf-8")
    return folder


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """On a failed browser test, keep a screenshot and the HTML of every open page."""
    report: pytest.TestReport = yield
    if report.when == "call":
        item.stash[CALL_REPORT] = report
    pages = item.stash.get(PAGES, [])
    if report.failed and report.when in ("setup", "call") and pages:
        folder = _save_artefacts(item, pages)
        line = f"browser artefacts: {folder}"
        report.sections.append(("browser artefacts", line))
        terminal = item.config.pluginmanager.get_plugin("terminalreporter")
        if terminal is not None:
            terminal.write_line(line)
        else:
            print(line)
    return report
