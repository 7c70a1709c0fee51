"""The audit log's page: filters, keyset pages, and an export that is itself an event."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from io import BytesIO

import sqlalchemy as sa
from flask import Flask
from openpyxl import load_workbook

from qa_app.accounts.models import Role
from qa_app.audit.models import AuditAction, AuditEvent
from qa_app.audit.services import record_event
from qa_app.extensions import db
from qa_app.privacy.queries import AuditFilters, audit_page, count
from tests.conftest import AppClient

HOSTILE = '=HYPERLINK("http://evil.test")@x.test'


def _seed(app: Flask) -> None:
    with app.app_context():
        for n, (action, actor) in enumerate(
            [
                (AuditAction.SIGN_IN, "a@x.test"),
                (AuditAction.SIGN_IN_FAILED, HOSTILE),
                (AuditAction.SIGN_IN, "b@x.test"),
                (AuditAction.USER_CHANGED, "a@x.test"),
                (AuditAction.SIGN_IN, "A@X.test"),
            ]
        ):
            event = record_event(action, target=f"user {n}", actor=actor)
            event.at = datetime(2026, 5, n + 1, 12, tzinfo=UTC)
        db.session.commit()


def test_filters_and_keyset_pages(app: Flask) -> None:
    _seed(app)
    with app.app_context():

        def targets(
            filters: AuditFilters, before: int | None = None, size: int = 2
        ) -> tuple[list[str], int | None]:
            page = audit_page(filters, before, size)
            return [e.target for e in page.events], page.older_than

        assert targets(AuditFilters(action="sign_in"), size=10) == (
            ["user 4", "user 2", "user 0"],
            None,
        )
        assert targets(AuditFilters(actor="a@X"), size=10)[0] == ["user 4", "user 3", "user 0"]
        days = AuditFilters(since=date(2026, 5, 2), until=date(2026, 5, 3))
        assert targets(days, size=10)[0] == ["user 2", "user 1"]
        first, older = targets(AuditFilters())
        assert first == ["user 4", "user 3"]
        second, older = targets(AuditFilters(), older)
        assert second == ["user 2", "user 1"]
        assert targets(AuditFilters(), older) == (["user 0"], None)
        assert (count(AuditFilters()), count(AuditFilters(action="sign_in")), count(days)) == (
            5,
            3,
            2,
        )


def test_the_page_and_its_export(app: Flask, login_as: Callable[..., AppClient]) -> None:
    _seed(app)
    admin = login_as(Role.ADMIN)
    page = admin.get("/privacy/audit?action=sign_in_failed&before=abc&date_from=2026-99-01")
    assert page.status_code == 200
    assert "user 1" in page.get_data(as_text=True) and "user 3" not in page.get_data(as_text=True)
    response = admin.get("/privacy/audit.xlsx?action=sign_in_failed")
    body = response.get_data()
    response.close()
    sheet = load_workbook(BytesIO(body)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][1] == HOSTILE and sheet.cell(2, 2).data_type == "s"  # text, not a formula
    assert len(rows) == 2
    with app.app_context():
        last = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert last is not None
        assert (last.action, last.detail["rows"], last.detail["action"]) == (
            "export",
            1,
            "sign_in_failed",
        )
