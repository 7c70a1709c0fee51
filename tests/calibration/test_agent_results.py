"""Calibration evaluations never count in an agent's results: no page number, no aggregate row."""

from __future__ import annotations

import re

import sqlalchemy as sa

from qa_app.accounts.models import User
from qa_app.evaluations import services
from qa_app.extensions import db
from qa_app.interactions.models import Interaction
from qa_app.results.models import AgentDayCriterionStats, AgentDayStats
from qa_app.scorecards.models import ScorecardVersion

from .conftest import close, new_session, score

RANGE = "period=custom&from=2026-03-01&to=2026-03-31"
TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="[^"]+"')
SVG_ID = re.compile(r"\b[mp][0-9a-f]{10}\b")  # matplotlib's random clip and marker ids


def _comparable(text: str) -> str:
    return SVG_ID.sub("", TOKEN.sub("", text))


def _ordinary_evaluation(app, org, reviewer, interaction_id, value: int) -> None:
    with app.app_context():
        evaluation = services.start(
            db.session.get(Interaction, interaction_id),
            db.session.get(ScorecardVersion, org.version_id),
            db.session.get(User, reviewer.id),
        )
        given = {cid: services.CriterionInput(value, False, "") for cid in org.criteria}
        data = services.EvaluationInput(given, "", "")
        services.save(evaluation, data, evaluation.reviewer, submit=True, lock_version=None)
        db.session.commit()


def _aggregates(app) -> list[tuple]:
    with app.app_context():
        rows = []
        for model in (AgentDayStats, AgentDayCriterionStats):
            columns = [c for c in model.__table__.columns]
            rows += [tuple(r) for r in db.session.execute(sa.select(*columns).order_by(*columns))]
        return rows


def _pages(org, login_as) -> dict[str, str]:
    admin, lead, agent = (login_as(user=u) for u in (org.admin, org.lead, org.agent))
    paths = {
        admin: [
            f"/results/?{RANGE}",
            f"/results/agents/{org.agent.id}?{RANGE}",
            f"/results/agents/{org.agent.id}/trend.svg?{RANGE}",
            f"/results/agents/{org.agent.id}/criteria.svg?{RANGE}",
            "/evaluations/",
        ],
        lead: [
            f"/results/agents/{org.agent.id}?{RANGE}",
            f"/results/teams/{org.team_id}?{RANGE}",
            "/evaluations/",
        ],
        agent: [f"/results/agents/{org.agent.id}?{RANGE}", "/my/scorecards"],
    }
    pages = {}
    for client, urls in paths.items():
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            pages[f"{client.user.role.value} {url}"] = _comparable(response.get_data(as_text=True))
    return pages


def test_calibration_evaluations_change_no_agent_result(app, org, login_as):
    _ordinary_evaluation(app, org, org.outsider, org.interactions[0], 4)
    before_rows, before_pages = _aggregates(app), _pages(org, login_as)
    assert before_rows, "the ordinary evaluation has aggregate rows"
    assert "100.00" not in before_pages[f"admin /results/agents/{org.agent.id}?{RANGE}"]
    session_id = new_session(app, org, interactions=org.interactions)
    for reviewer in org.reviewers:
        client = login_as(user=reviewer)
        for interaction_id in org.interactions:
            assert score(client, org, session_id, interaction_id, [5, 5, 5]).status_code == 302
    close(app, session_id)
    assert _aggregates(app) == before_rows
    assert _pages(org, login_as) == before_pages
