"""The fake OpenID provider (one per test module) and a site that signs in through it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from flask import Flask

from qa_app.accounts.models import Role
from qa_app.extensions import db
from qa_app.sso import services

from .provider import CLIENT_ID, CLIENT_SECRET, FakeProvider, RunningProvider


@pytest.fixture(scope="module")
def running_provider() -> Iterator[RunningProvider]:
    running = RunningProvider()
    yield running
    running.stop()


@pytest.fixture
def provider(running_provider: RunningProvider) -> FakeProvider:
    op = running_provider.op
    op.reset(email="new.person@example.com", email_verified=True, name="New Person")
    return op


def configure_sso(app: Flask, issuer: str, **changes: Any) -> None:
    """Switch single sign-on on for the fake provider, as an admin's form would."""
    settings = {
        "is_enabled": True,
        "name": "Example ID",
        "issuer": issuer,
        "client_id": CLIENT_ID,
        "default_role": Role.AGENT,
        "role_claim": "groups",
        "allow_password_sign_in": True,
        "new_secret": CLIENT_SECRET,
        **changes,
    }
    with app.app_context():
        services.save_settings(services.NewSettings(**settings))
        db.session.commit()


@pytest.fixture
def sso_site(app: Flask, provider: FakeProvider) -> Flask:
    configure_sso(app, provider.issuer)
    return app


def through_provider(
    client: Any, callback_query: Callable[[str], str] = lambda q: q, start_at: str = "/login/sso"
) -> Any:
    """Press the button, let the provider answer, bring its answer back: the last response."""
    start = client.get(start_at)
    assert start.status_code == 302, start.get_data(as_text=True)
    with requests.get(start.headers["Location"], allow_redirects=False, timeout=5) as answer:
        assert answer.status_code == 302, answer.text
        back = urlsplit(answer.headers["Location"])
    return client.get(f"{back.path}?{callback_query(back.query)}")
