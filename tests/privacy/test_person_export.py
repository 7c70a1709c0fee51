"""A person's data as JSON: the agent's own from Preferences, anyone's for an admin; audited."""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from flask import Flask

from qa_app.audit.models import AuditEvent
from qa_app.evaluations.models import Evaluation, EvaluationStatus
from qa_app.extensions import db
from qa_app.interactions.models import Interaction
from tests.reports.conftest import ACTIONS, HOSTILE, RESOLUTION, World, user


def _download(client: Any, url: str) -> dict[str, Any]:
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment; filename=person-")
    assert response.headers["Cache-Control"] == "no-store"
    return json.loads(response.get_data())


def test_the_agent_and_an_admin_get_the_same_complete_file(
    app: Flask, world: World, login_as: Any
) -> None:
    agent = login_as(user=user(app, world.agent_id))
    admin = login_as("admin")
    assert 'href="/privacy/my-data.json"' in agent.get("/account/preferences").get_data(
        as_text=True
    )
    own = _download(agent, "/privacy/my-data.json")
    theirs = _download(admin, f"/privacy/people/{world.agent_id}/export.json")
    own.pop("exported_at"), theirs.pop("exported_at")
    assert own == theirs
    with app.app_context():
        stmt = (
            sa.select(Evaluation)
            .join(Interaction)
            .where(Interaction.agent_id == world.agent_id)
            .where(Evaluation.status == EvaluationStatus.SUBMITTED)
        )
        stored = {e.id: (float(e.score), len(e.scores)) for e in db.session.scalars(stmt)}
        events = list(
            db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "export"))
        )
    got = {e["id"]: (e["score"], len(e["criteria"])) for e in own["evaluations"]}
    assert got == stored
    assert {(e["strengths"], e["improvements"]) for e in own["evaluations"]} >= set(HOSTILE)
    assert [d["resolution_note"] for d in own["disputes"]] == [RESOLUTION, ""]
    assert [g["actions"] for g in own["action_plans"][0]["goals"]][0] == ACTIONS
    assert own["person"]["id"] == world.agent_id
    assert [(e.target, e.actor_id) for e in events] == [
        (f"user {world.agent_id}", world.agent_id),
        (f"user {world.agent_id}", admin.user.id),  # type: ignore[attr-defined]
    ]


def test_an_agent_cannot_export_another_person(app: Flask, world: World, login_as: Any) -> None:
    agent = login_as(user=user(app, world.agent_id))
    other = world.seeded.agent_ids[1]
    assert agent.get(f"/privacy/people/{other}/export.json").status_code == 403
    assert login_as("admin").get("/privacy/people/999999/export.json").status_code == 404
