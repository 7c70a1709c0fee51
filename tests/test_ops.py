"""/healthz and /readyz: open, uncached, no cookie; /readyz names what cannot be reached."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from qa_app.accounts.models import Role
from qa_app.extensions import db
from qa_app.ops.services import add_readiness_check


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_health_answers_are_json_uncached_and_set_no_cookie(client, login_as, path):
    for some_client in (client, login_as(Role.ADMIN)):
        response = some_client.get(path)
        assert response.status_code == 200
        assert response.get_json() == {"status": "ok"}
        assert response.headers["Cache-Control"] == "no-store"
        assert "Set-Cookie" not in response.headers


def test_healthz_does_not_touch_the_database(app, client):
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get("/healthz").status_code == 200
        assert statements == []
        assert client.get("/readyz").status_code == 200
        assert statements != []
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_readyz_is_503_naming_a_failed_registered_check(app, client):
    def queue() -> None:
        raise ConnectionError("redis://secret@host refused")

    add_readiness_check(app, queue)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "failed": {"queue": "ConnectionError"}}
    assert "secret" not in response.get_data(as_text=True)
    assert client.get("/healthz").status_code == 200


def test_readyz_is_503_when_the_database_is_unreachable(app, client, monkeypatch):
    def broken_connect(*args, **kwargs):
        raise ConnectionRefusedError("no database")

    with app.app_context():
        monkeypatch.setattr(db.engine, "connect", broken_connect)
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["failed"] == {"database": "ConnectionRefusedError"}
