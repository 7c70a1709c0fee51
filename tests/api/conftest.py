"""API fixtures: personal tokens made through the service, and a client that sends one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from flask import Flask

from qa_app.accounts.models import User
from qa_app.api import services
from qa_app.extensions import db


@pytest.fixture
def make_token(app: Flask) -> Callable[..., str]:
    """A token's value: make_token(user, write=True, expires_at=None)."""

    def make(user: User, *, write: bool = False, expires_at: datetime | None = None) -> str:
        with app.app_context():
            row = db.session.get(User, user.id)
            _token, value = services.create_token(
                row, "test", can_write=write, expires_at=expires_at
            )
            db.session.commit()
        return value

    return make


def bearer(value: str) -> dict[str, Any]:
    return {"Authorization": f"Bearer {value}"}
