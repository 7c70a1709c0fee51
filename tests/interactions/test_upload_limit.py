"""An upload over MAX_CONTENT_LENGTH is refused with 413 and stores nothing."""

from __future__ import annotations

import pytest

from qa_app.accounts.models import Role
from tests.interactions.conftest import csv_bytes, row, upload


@pytest.fixture
def config_overrides():
    return {"MAX_CONTENT_LENGTH": 64 * 1024}


def test_a_file_over_the_upload_limit_gets_413(login_as, make_user, stored):
    agent = make_user(Role.AGENT)
    content = csv_bytes([row(agent.email, n, subject="x" * 300) for n in range(1, 400)])
    response = upload(login_as(Role.REVIEWER), content)
    assert response.status_code == 413
    assert "File too large" in response.get_data(as_text=True)
    assert stored() == []
