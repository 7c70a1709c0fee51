"""Schemathesis over the API's own OpenAPI document, in process (WSGI): no 500, and every
answer matches the document (status, content type, body schema).

Budgeted: a few derandomized examples per operation, so it stays well under a minute.
"""

from __future__ import annotations

import time

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from qa_app.accounts.models import Role
from tests.api.conftest import bearer
from tests.api.test_reads import scored  # noqa: F401 (a world with something in it)

EXAMPLES = 20
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def config_overrides():
    return {
        "API_RATE_LIMIT_PER_TOKEN": "100000/minute",
        "API_RATE_LIMIT_PER_ADDRESS": "100000/minute",
    }


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_every_operation_answers_as_its_document_says(app, scored, make_user, make_token):  # noqa: F811
    headers = bearer(make_token(make_user(Role.ADMIN), write=True))
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    started = time.monotonic()
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(operation.as_strategy())
        def probe(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        probe()
    print(f"fuzzed the API in {time.monotonic() - started:.1f}s")
