"""The one checker of addresses of other servers, with each caller's own rules on top."""

import pytest

from qa_app.admin.services import url_problem as base_url_problem
from qa_app.webhooks.services import url_problem as webhook_url_problem


@pytest.mark.parametrize(
    ("url", "base", "webhook"),
    [
        ("https://example.com/v1", None, None),
        ("https://example.com/hook?team=7", "query (?...)", None),
        ("https://example.com/hook#part", "fragment (#...)", "fragment (#...)"),
        ("https://user:pw@example.com/", "API key field", "signature proves"),
        ("ftp://example.com/", "starts with http", "starts with http"),
        ("https://example.com:0/", "starts with http", "starts with http"),
        ("https://[::1/", "not a valid web address", "not a valid web address"),
    ],
)
def test_shared_rules_and_each_callers_own(app, url, base, webhook):
    with app.test_request_context():
        for found, expected in ((base_url_problem(url), base), (webhook_url_problem(url), webhook)):
            assert (found is None) if expected is None else (expected in (found or ""))
