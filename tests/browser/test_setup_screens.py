"""Screenshots of the admin pages this round added: webhooks, audit log, erasure, single sign-on,
the Zendesk connection, API tokens, and a person's own account security and tokens.

Each page goes through the same checks as every page of the browser tests (axe, console, other
hosts, no sideways scrolling at 390 px) and is saved under test-artifacts/screens/.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.browser.site import Site
from tests.browser.tab import Tab, expect

pytestmark = pytest.mark.browser

ADMIN = "Ilona Kovács"


def test_screens_of_the_new_setup_pages(site: Site, open_tab: Callable[[str], Tab]) -> None:
    admin = open_tab("admin")
    page = admin.page
    admin.sign_in(site.person(ADMIN))

    admin.menu("Webhooks")
    admin.screens("webhooks-empty")
    admin.goto("/admin/webhooks/new")
    page.get_by_label("Address (URL)").fill("http://127.0.0.1:9/hook")
    page.get_by_label("An evaluation was submitted").check()
    admin.click("main form button.primary")
    expect(page.locator("code.secret")).to_contain_text("whsec_")
    admin.screens("webhook-secret")
    admin.click("text=Done: back to the webhook")
    admin.click("text=Send test event")
    expect(page.locator("main")).to_contain_text("Delivery log")
    expect(page.locator("ol.attempts li").first).to_be_visible()
    admin.screens("webhook-log")

    admin.menu("Audit log")
    expect(page.locator("main table tbody tr").first).to_be_visible()  # the sign-in just now
    admin.screens("audit-log")

    admin.goto("/privacy/erasure")
    admin.screens("erasure")

    admin.menu("Single sign-on")
    admin.screens("sso-settings")

    admin.menu("Zendesk connection")
    admin.screens("zendesk-connection")

    admin.menu("API tokens")
    admin.screens("api-tokens-admin")

    admin.goto("/account/tokens")
    admin.screens("api-tokens-mine")
    admin.goto("/account/two-factor")
    admin.screens("account-security")

    admin.goto("/api/v1/docs")
    expect(page.locator("main")).to_contain_text("/api/v1/interactions")
    admin.screens("api-docs")
