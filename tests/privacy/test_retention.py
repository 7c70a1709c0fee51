"""Retention: old interactions lose their transcript and recording link; every result stays."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from qa_app.admin.models import set_setting
from qa_app.audit.models import AuditEvent
from qa_app.autoqa.models import AutoResult, AutoSuggestion
from qa_app.extensions import db
from qa_app.interactions.models import Interaction, InteractionSignal
from qa_app.privacy.services import months_before, run_retention
from tests.privacy.conftest import MEASURE, SECRET, Spoken, counts, snapshot

NOW = datetime(2026, 12, 20, 3, 30, tzinfo=UTC)
CUTOFF = datetime(2026, 10, 20, 3, 30, tzinfo=UTC)  # two months before NOW


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (datetime(2026, 12, 20, tzinfo=UTC), 2, datetime(2026, 10, 20, tzinfo=UTC)),
        (datetime(2026, 3, 31, tzinfo=UTC), 1, datetime(2026, 2, 28, tzinfo=UTC)),
        (datetime(2028, 3, 31, tzinfo=UTC), 1, datetime(2028, 2, 29, tzinfo=UTC)),
        (datetime(2026, 1, 15, tzinfo=UTC), 13, datetime(2024, 12, 15, tzinfo=UTC)),
    ],
)
def test_months_before(moment: datetime, months: int, expected: datetime) -> None:
    assert months_before(moment, months) == expected


def _texts(app: Flask, ids: list[int]) -> list[Any]:
    with app.app_context():
        rows = db.session.scalars(sa.select(Interaction).where(Interaction.id.in_(ids)))
        return [(r.transcript_text, r.transcript_turns, r.recording_url) for r in rows]


def _evidence(app: Flask, ids: list[int]) -> list[list[dict[str, Any]]]:
    with app.app_context():
        stmt = (
            sa.select(AutoSuggestion.evidence)
            .join(AutoResult)
            .where(AutoResult.interaction_id.in_(ids))
        )
        return list(db.session.scalars(stmt))


def _signal_details(app: Flask, ids: list[int]) -> list[Any]:
    with app.app_context():
        stmt = sa.select(InteractionSignal.detail).where(InteractionSignal.interaction_id.in_(ids))
        return list(db.session.scalars(stmt))


def test_retention_removes_old_transcripts_and_keeps_every_result(
    app: Flask, spoken: Spoken, login_as: Any
) -> None:
    admin = login_as("admin")
    before, rows_before = snapshot(admin, spoken.world), counts(app)
    with app.app_context():
        assert run_retention(NOW) is None  # no period set: kept for ever
        set_setting("transcript_retention_months", "2")
        cleared = run_retention(NOW)
        db.session.commit()
        stmt = sa.select(Interaction.id).where(Interaction.occurred_at < CUTOFF)
        old = list(db.session.scalars(stmt))
        young = sorted(set(spoken.ids) - set(old))
        event = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert old and young and cleared == len(old)
    assert _texts(app, old) == [(None, None, None)] * len(old)
    assert all(text[0].startswith(SECRET) and text[2] for text in _texts(app, young))
    assert _evidence(app, old) == [[MEASURE]] * len(old)
    assert all(len(evidence) == 2 for evidence in _evidence(app, young))
    assert _signal_details(app, old) == [{}] * len(old)
    rows_after = counts(app)
    assert rows_after.pop("with_transcript") == len(young)
    assert rows_before.pop("with_transcript") == len(spoken.ids)
    assert rows_after == rows_before  # no row of scores, comments, disputes or plans went
    assert snapshot(admin, spoken.world) == before  # results pages and reports: the same numbers
    assert (event.action, event.detail) == (
        "retention_run",
        {"months": 2, "before": "2026-10-20", "interactions": len(old)},
    )
    page = admin.get(f"/interactions/{old[0]}").get_data(as_text=True)
    assert "removed by the retention rule" in page and SECRET not in page
    with app.app_context():
        assert run_retention(NOW) == 0  # a second run finds nothing left to remove


def test_the_setting_and_the_command(app: Flask, login_as: Any, runner: Any) -> None:
    admin = login_as("admin")
    form = {"dispute_window_days": "14", "calibration_tolerance": "0.5", "retention_months": "24"}
    assert admin.submit("/admin/settings", form, token_from="/admin/settings").status_code == 302
    assert 'value="24"' in admin.get("/admin/settings").get_data(as_text=True)
    result = runner.invoke(args=["privacy", "retention"])
    assert result.exit_code == 0 and "Removed the transcripts of 0 interactions" in result.output
    form["retention_months"] = "0"
    assert admin.submit("/admin/settings", form, token_from="/admin/settings").status_code == 200


def test_the_worker_runs_it_daily(app: Flask, make_user: Any, make_interaction: Any) -> None:
    agent = make_user()
    old = make_interaction(
        agent, transcript_text=SECRET, occurred_at=datetime(2020, 1, 1, tzinfo=UTC)
    )
    with app.app_context():
        set_setting("transcript_retention_months", "12")
        db.session.commit()
    periodic = {task.name: task for task in app.extensions["huey"]._registry.periodic_tasks}
    task = periodic["privacy_retention"]
    assert task.validate_datetime(datetime(2026, 5, 4, 3, 30))
    assert not task.validate_datetime(datetime(2026, 5, 4, 4, 30))
    task.execute()
    with app.app_context():
        row = db.session.get(Interaction, old.id)
        assert row is not None and row.transcript_text is None
        assert row.transcript_removed_by == "retention"
