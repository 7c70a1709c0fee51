"""Rate limits of the API: per token and per address, 429 problems with Retry-After."""

from __future__ import annotations

import uuid

import pytest

from qa_app import create_app
from qa_app.accounts.models import Role
from tests.api.conftest import bearer
from tests.conftest import make_config, require_service

LIST = "/api/v1/interactions"


@pytest.fixture
def config_overrides():
    return {
        "API_RATE_LIMIT_PER_TOKEN": "3/minute",
        "API_RATE_LIMIT_PER_ADDRESS": "5/minute",
        "RATELIMIT_KEY_PREFIX": uuid.uuid4().hex,
    }


def _too_many(response):
    assert response.status_code == 429
    assert response.mimetype == "application/problem+json"
    assert int(response.headers["Retry-After"]) > 0
    assert response.get_json(force=True)["status"] == 429


def test_a_token_gets_429_after_its_limit_and_another_token_goes_on(client, make_user, make_token):
    first = bearer(make_token(make_user(Role.REVIEWER)))
    for _n in range(3):
        response = client.get(LIST, headers=first)
        assert response.status_code == 200 and "X-RateLimit-Remaining" in response.headers
    _too_many(client.get(LIST, headers=first))
    assert client.get(LIST, headers=bearer(make_token(make_user(Role.REVIEWER)))).status_code == 200


def test_an_address_guessing_tokens_gets_429(client):
    for n in range(5):
        assert client.get(LIST, headers=bearer(f"qas_guess{n}")).status_code == 401
    _too_many(client.get(LIST, headers=bearer("qas_guess-again")))


def test_the_pages_have_no_api_limit(login_as):
    client = login_as(Role.REVIEWER)
    for _n in range(8):
        assert client.get("/interactions").status_code == 200


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_processes_sharing_redis_count_together(app, make_user, make_token, config_overrides):
    """Two app instances (as two workers) on one Redis share the counter of a token."""
    redis_url = require_service("QA_TEST_REDIS_URL", "Redis")
    headers = bearer(make_token(make_user(Role.REVIEWER)))
    settings = {
        **config_overrides,
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "RATELIMIT_STORAGE_URI": redis_url,
    }
    # An address of its own: the server is shared, and its counters outlive a test run.
    address = {"REMOTE_ADDR": f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.7"}
    url = settings.pop("SQLALCHEMY_DATABASE_URI")
    one = create_app(make_config(url, **settings))
    for _n in range(2):
        assert one.test_client().get(LIST, headers=headers, environ_base=address).status_code == 200
    two = create_app(make_config(url, **settings))
    assert two.test_client().get(LIST, headers=headers, environ_base=address).status_code == 200
    _too_many(two.test_client().get(LIST, headers=headers, environ_base=address))
