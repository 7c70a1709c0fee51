"""The audit table keeps every event: the database refuses to change or delete one."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask

from qa_app.audit.models import AuditAction, AuditEvent
from qa_app.audit.services import record_event
from qa_app.extensions import db


def _one_event(app: Flask) -> int:
    with app.app_context():
        event = record_event(AuditAction.SETTINGS_CHANGED, target="settings", actor="admin@x.test")
        db.session.commit()
        return event.id


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET action = 'sign_in' WHERE id = :id",
        "UPDATE audit_events SET detail = '{}'",
        "DELETE FROM audit_events WHERE id = :id",
        "DELETE FROM audit_events",
    ],
)
def test_the_database_refuses_to_change_or_delete_an_event(app: Flask, statement: str) -> None:
    event_id = _one_event(app)
    with app.app_context():
        with pytest.raises(sa.exc.DatabaseError, match="append-only"):
            db.session.execute(sa.text(statement), {"id": event_id})
        db.session.rollback()
        stored = db.session.get(AuditEvent, event_id)
        assert stored is not None and stored.action == "settings_changed"


def test_an_event_outside_a_request_names_the_given_actor_and_no_address(app: Flask) -> None:
    event_id = _one_event(app)
    with app.app_context():
        event = db.session.get(AuditEvent, event_id)
        assert event is not None
        assert (event.actor, event.actor_id, event.address) == ("admin@x.test", None, "")
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == 1


def test_a_migrated_database_refuses_it_too(backend: str, empty_database_url) -> None:  # type: ignore[no-untyped-def]
    from flask_migrate import upgrade

    from qa_app import create_app
    from tests.conftest import make_config

    migrated = create_app(make_config(empty_database_url(backend)))
    with migrated.app_context():
        upgrade(directory="migrations")
        event_id = _one_event(migrated)
        with pytest.raises(sa.exc.DatabaseError, match="append-only"):
            db.session.execute(sa.text("DELETE FROM audit_events WHERE id = :id"), {"id": event_id})
        db.session.rollback()
        db.engine.dispose()
