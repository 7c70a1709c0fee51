"""Journey: an agent sets up two-factor sign-in, signs out, and signs in with password and code."""

from __future__ import annotations

import time
from collections.abc import Callable

import pyotp
import pytest

from tests.browser.site import Site
from tests.browser.tab import Tab, expect

pytestmark = pytest.mark.browser

AGENT = "Csilla Kertész"


def test_an_agent_sets_up_two_factor_and_signs_in_with_a_code(
    site: Site, open_tab: Callable[[str], Tab]
) -> None:
    person = site.add_agent(AGENT, "csilla.kertesz@demo.example.com", "Technical support")
    tab = open_tab("agent")
    page = tab.page
    tab.sign_in(person)
    tab.goto("/account/preferences")
    tab.click("text=Account security: two-factor sign-in")
    tab.click("text=Set up two-factor sign-in")
    expect(page.locator(".qr svg")).to_be_visible()
    secret = page.locator(".secret").inner_text().strip()
    tab.screens("two-factor-setup")
    page.get_by_label("Code", exact=True).fill(pyotp.TOTP(secret).now())
    tab.click("button:has-text('Turn on two-factor sign-in')")
    expect(page.locator(".recovery-codes li")).to_have_count(10)

    page.locator("#site-nav .nav-user summary").click()
    tab.click("#site-nav .nav-user button:has-text('Sign out')")
    tab.goto("/login")
    page.get_by_label("Email").fill(person.email)
    page.get_by_label("Password").fill(person.password)
    tab.click("button:has-text('Sign in')")
    expect(page).to_have_url(f"{site.url}/login/two-factor")
    # The next 30-second step: the code typed at set-up cannot be used twice.
    page.get_by_label("Code", exact=True).fill(pyotp.TOTP(secret).at(time.time() + 30))
    tab.click("button:has-text('Sign in')")
    assert AGENT in page.locator("#site-nav .nav-user summary").inner_text()
