"""Signing in with single sign-on in a real browser, through the fake OpenID provider."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from qa_app.accounts.models import Role
from qa_app.extensions import db
from qa_app.sso import services
from tests.browser.site import Site
from tests.browser.tab import Tab, expect
from tests.sso.conftest import configure_sso
from tests.sso.provider import RunningProvider

pytestmark = pytest.mark.browser


@pytest.fixture
def provider_for_site(site: Site) -> Iterator[RunningProvider]:
    """The provider, switched on for the shared site, and off again for the other journeys."""
    running = RunningProvider()
    running.op.reset(email="sso.reviewer@example.com", email_verified=True, name="Sára SSO")
    running.op.claims["groups"] = ["staff", "qa-reviewers"]
    configure_sso(site.app, running.op.issuer)
    with site.app.app_context():
        services.add_mapping("qa-reviewers", Role.REVIEWER)
        db.session.commit()
    try:
        yield running
    finally:
        with site.app.app_context():
            row = services.provider()
            row.is_enabled = False
            db.session.commit()
        running.stop()


def test_a_person_signs_in_with_the_sso_button_and_lands_home(
    provider_for_site: RunningProvider, open_tab: Callable[[str], Tab]
) -> None:
    issuer = provider_for_site.op.issuer
    tab = open_tab("sso")
    tab.goto("/login")
    button = tab.page.get_by_role("link", name="Sign in with Example ID")
    expect(button).to_be_visible()
    tab.screens("sso-sign-in")
    with tab.page.expect_navigation(url="**/"):
        button.click()
    # The provider is the one other host this journey visits (its redirects, no page of its own).
    visited = tab.watch.foreign_requests
    assert visited and all(url.startswith(issuer) for url in visited)
    visited.clear()
    tab.check()
    assert tab.page.url.rstrip("/").endswith(tab.watch.app_host)
    expect(tab.page.locator("#site-nav .nav-user summary")).to_contain_text("Sára SSO")
    expect(tab.page.locator("#site-nav")).to_contain_text("Calibration")  # a reviewer
