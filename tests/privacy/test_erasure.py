"""Erasing one customer: transcripts, recordings and the reference go; every result stays."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Flask

from qa_app.audit.models import AuditEvent
from qa_app.extensions import db
from qa_app.interactions.models import Interaction
from tests.privacy.conftest import Spoken, counts, snapshot


def _rows(app: Flask) -> list[Interaction]:
    with app.app_context():
        found = list(db.session.scalars(sa.select(Interaction).order_by(Interaction.id)))
        db.session.expunge_all()
    return found


def test_erasing_one_customer_keeps_every_result(app: Flask, spoken: Spoken, login_as: Any) -> None:
    admin = login_as("admin")
    before, rows_before = snapshot(admin, spoken.world), counts(app)
    theirs = [row.id for row in _rows(app) if row.customer_ref == "CUST-1"]
    page = admin.submit(
        "/privacy/erasure", {"customer_ref": " CUST-1 "}, token_from="/privacy/erasure"
    )
    assert f"{len(theirs)} interactions have this customer reference" in page.get_data(as_text=True)
    wrong = {"customer_ref": "CUST-1", "expected": str(len(theirs) + 1)}
    admin.submit("/privacy/erasure/confirm", wrong, token_from="/privacy/erasure")
    assert [row.customer_ref for row in _rows(app)].count("CUST-1") == len(theirs)  # refused
    right = {"customer_ref": "CUST-1", "expected": str(len(theirs))}
    done = admin.submit(
        "/privacy/erasure/confirm", right, token_from="/privacy/erasure", follow_redirects=True
    )
    assert f"The data of {len(theirs)} interactions was erased" in done.get_data(as_text=True)
    after = {row.id: row for row in _rows(app)}
    erased = [after[i] for i in theirs]
    assert {row.customer_ref for row in erased} == {erased[0].customer_ref}
    assert erased[0].customer_ref.startswith("erased-")
    assert all(
        (row.transcript_text, row.transcript_turns, row.recording_url, row.transcript_removed_by)
        == (None, None, None, "erasure")
        for row in erased
    )
    others = [row for i, row in after.items() if i not in theirs]
    assert all(row.transcript_text and row.customer_ref.startswith("CUST-") for row in others)
    rows_after = counts(app)
    assert rows_before.pop("with_transcript") - rows_after.pop("with_transcript") == len(theirs)
    assert rows_after == rows_before
    assert snapshot(admin, spoken.world) == before
    with app.app_context():
        events = list(
            db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "erasure"))
        )
        everything = " ".join(
            f"{e.target} {e.detail}" for e in db.session.scalars(sa.select(AuditEvent))
        )
    assert [e.detail for e in events] == [{"interactions": len(theirs)}]
    assert "CUST-1" not in everything
    detail = admin.get(f"/interactions/{theirs[0]}").get_data(as_text=True)
    assert "when the customer's data was erased" in detail and "CUST-1" not in detail
