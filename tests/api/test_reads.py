"""The read resources: scorecards, evaluations, disputes, results, users and teams."""

from __future__ import annotations

import pytest
import yaml

from qa_app.accounts.models import Role
from qa_app.extensions import db
from qa_app.scorecards.schema import SHIPPED_DIR, load_shipped_template
from qa_app.scorecards.services import import_doc
from tests.api.conftest import bearer
from tests.test_access import _evaluation_and_dispute


@pytest.fixture
def scored(app, make_user, make_team, make_interaction):
    """A team with its lead and agent, a submitted evaluation with a dispute, a draft scorecard."""
    lead = make_user(Role.LEAD)
    team = make_team("Billing", lead=lead)
    agent = make_user(Role.AGENT, team=team)
    reviewer = make_user(Role.REVIEWER)
    ids = _evaluation_and_dispute(app, make_interaction(agent), reviewer, agent)
    with app.app_context():
        ids["draft_id"] = import_doc(load_shipped_template(SHIPPED_DIR / "chat.yaml"), None).id
        db.session.commit()
    return {"lead": lead, "team": team, "agent": agent, "reviewer": reviewer, **ids}


def test_scorecards_hide_drafts_from_agents_and_export_yaml(client, scored, make_token):
    agent = bearer(make_token(scored["agent"]))
    reviewer = bearer(make_token(scored["reviewer"]))
    seen = [
        v["status"] for v in client.get("/api/v1/scorecards", headers=agent).get_json()["items"]
    ]
    assert seen == ["published"]
    assert client.get(f"/api/v1/scorecards/{scored['draft_id']}", headers=agent).status_code == 404
    draft = client.get(f"/api/v1/scorecards/{scored['draft_id']}", headers=reviewer).get_json()
    assert draft["criteria"] and draft["status"] == "draft"
    exported = client.get(f"/api/v1/scorecards/{scored['draft_id']}/yaml", headers=reviewer)
    assert exported.mimetype == "application/yaml"
    assert yaml.safe_load(exported.get_data(as_text=True))["name"] == draft["name"]


def test_evaluations_and_disputes_follow_the_pages_access(client, scored, make_user, make_token):
    path = f"/api/v1/evaluations/{scored['evaluation_id']}"
    agent = bearer(make_token(scored["agent"]))
    assert client.get(path, headers=agent).get_json()["scores"]
    assert client.get("/api/v1/evaluations?status=submitted", headers=agent).get_json()["items"]
    assert client.get("/api/v1/evaluations?status=nope", headers=agent).status_code == 400
    assert client.get("/api/v1/disputes", headers=agent).status_code == 403
    lead = bearer(make_token(scored["lead"]))
    disputes = client.get("/api/v1/disputes?status=open", headers=lead).get_json()["items"]
    assert [d["id"] for d in disputes] == [scored["dispute_id"]]
    other = bearer(make_token(make_user(Role.LEAD)))
    assert client.get(path, headers=other).status_code == 404
    assert client.get(f"/api/v1/disputes/{scored['dispute_id']}", headers=other).status_code == 404
    assert client.get("/api/v1/disputes", headers=other).get_json()["items"] == []
    stranger = bearer(make_token(make_user(Role.AGENT)))
    assert client.get(path, headers=stranger).status_code == 404


def test_results_are_the_pages_numbers(client, scored, make_token, login_as):
    query = "period=custom&from=2026-01-01&to=2026-12-31"
    lead = bearer(make_token(scored["lead"]))
    team = client.get(f"/api/v1/results/teams/{scored['team'].id}?{query}", headers=lead)
    assert team.status_code == 200, team.get_data(as_text=True)
    agent_id = scored["agent"].id
    mine = client.get(f"/api/v1/results/agents/{agent_id}?{query}", headers=lead).get_json()
    assert mine["current"]["evaluations"] == team.get_json()["current"]["evaluations"]
    org = client.get(f"/api/v1/results?{query}", headers=lead).get_json()
    assert org["overall"] is None and [t["team_id"] for t in org["teams"]] == [scored["team"].id]
    staff = bearer(make_token(scored["reviewer"]))
    overall = client.get(f"/api/v1/results?{query}", headers=staff).get_json()["overall"]
    assert overall["evaluations"] == mine["current"]["evaluations"]
    assert client.get("/api/v1/results?period=fortnight", headers=staff).status_code == 400
    agent = bearer(make_token(scored["agent"]))
    assert client.get("/api/v1/results", headers=agent).status_code == 403
    assert (
        client.get(f"/api/v1/results/teams/{scored['team'].id}", headers=agent).status_code == 404
    )


def test_users_and_teams_are_for_admins_only(client, scored, make_user, make_token):
    admin = bearer(make_token(make_user(Role.ADMIN)))
    users = client.get("/api/v1/users?limit=2", headers=admin).get_json()
    assert len(users["items"]) == 2 and users["next_cursor"]
    teams = client.get("/api/v1/teams", headers=admin).get_json()["items"]
    assert teams[0]["agent_ids"] == [scored["agent"].id]
    lead = bearer(make_token(scored["lead"]))
    for path in ("/api/v1/users", f"/api/v1/teams/{scored['team'].id}"):
        assert client.get(path, headers=lead).status_code == 403


def test_ids_beyond_any_row_are_refused_not_compared(client, scored, make_token):
    """PostgreSQL refuses to compare an INTEGER column with 2**31: the API answers 400 first."""
    import base64

    reviewer = bearer(make_token(scored["reviewer"]))
    too_big = base64.urlsafe_b64encode(b"v1:2147483648").decode().rstrip("=")
    for query in ("agent=2147483648", "agent=99999999999", f"cursor={too_big}"):
        answer = client.get(f"/api/v1/evaluations?{query}", headers=reviewer)
        assert answer.status_code == 400, query
        assert answer.mimetype == "application/problem+json"


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_connection_lost_in_a_call_answers_try_again(client, scored, make_token, lose_connection):
    """As the pages (tests/test_database.py): a 503 problem with Retry-After, then the next call
    works."""
    token = bearer(make_token(scored["reviewer"]))
    assert client.get("/api/v1/scorecards", headers=token).status_code == 200
    lose_connection()
    lost = client.get("/api/v1/scorecards", headers=token)
    assert lost.status_code == 503
    # ours says 5 s; the rate limiter raises it to its window's reset when that is later
    assert int(lost.headers["Retry-After"]) >= 5
    assert lost.get_json()["title"] == "Busy, try again"
    assert lost.mimetype == "application/problem+json"
    again = client.get("/api/v1/scorecards", headers=token)
    assert again.status_code == 200
    assert again.get_json()["items"]
