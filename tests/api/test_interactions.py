"""/api/v1/interactions: the list and its cursor, one interaction, creating one and many."""

from __future__ import annotations

import sqlalchemy as sa

from qa_app.accounts.models import Role
from qa_app.api.v1.schemas import InteractionInSchema
from qa_app.extensions import db
from qa_app.interactions.models import ImportBatch, Interaction
from qa_app.interactions.validation import COLUMNS
from tests.api.conftest import bearer

LIST = "/api/v1/interactions"
BULK = "/api/v1/interactions/bulk"


def _item(agent_email: str, n: int, **values):
    return {
        "external_id": f"API-{n}",
        "channel": "chat",
        "agent_email": agent_email,
        "occurred_at": f"2026-03-02T09:{n % 60:02d}:00Z",
        **values,
    }


def test_the_body_schema_names_every_import_column():
    assert set(InteractionInSchema().fields) == set(COLUMNS)


def test_the_list_pages_by_cursor_and_filters_like_the_page(
    client, make_user, make_token, make_interaction
):
    agent = make_user(Role.AGENT)
    made = [make_interaction(agent, channel="call" if n % 2 else "chat") for n in range(5)]
    headers = bearer(make_token(make_user(Role.REVIEWER)))
    first = client.get(f"{LIST}?limit=2", headers=headers).get_json()
    assert [i["id"] for i in first["items"]] == [made[4].id, made[3].id]
    second = client.get(f"{LIST}?limit=2&cursor={first['next_cursor']}", headers=headers)
    rest = client.get(f"{LIST}?limit=2&cursor={second.get_json()['next_cursor']}", headers=headers)
    assert [i["id"] for i in rest.get_json()["items"]] == [made[0].id]
    assert rest.get_json()["next_cursor"] is None
    calls = client.get(f"{LIST}?channel=call", headers=headers).get_json()["items"]
    assert {i["id"] for i in calls} == {made[1].id, made[3].id}


def test_bad_cursors_and_filters_are_400_problems_naming_the_argument(
    client, make_user, make_token
):
    headers = bearer(make_token(make_user(Role.REVIEWER)))
    bad = [("cursor=xyz", "cursor"), ("cursor=djE6LTE", "cursor"), ("limit=0", "limit"),
           ("channel=fax", "channel"), ("agent=999999", "agent"),
           ("date_from=2026-02-30", "date_from")]  # fmt: skip
    for query, name in bad:
        response = client.get(f"{LIST}?{query}", headers=headers)
        assert response.status_code == 400, query
        assert list(response.get_json(force=True)["errors"]) == [name], query


def test_agents_see_only_their_own_interactions(client, make_user, make_token, make_interaction):
    agent, other = make_user(Role.AGENT), make_user(Role.AGENT)
    mine, theirs = make_interaction(agent), make_interaction(other)
    headers = bearer(make_token(agent))
    assert [i["id"] for i in client.get(LIST, headers=headers).get_json()["items"]] == [mine.id]
    assert client.get(f"{LIST}/{mine.id}", headers=headers).get_json()["external_id"] == "EXT-1"
    response = client.get(f"{LIST}/{theirs.id}", headers=headers)
    assert response.status_code == 404 and "EXT-2" not in response.get_data(as_text=True)


def test_create_one_checks_like_the_form(client, make_user, make_token):
    agent = make_user(Role.AGENT)
    headers = bearer(make_token(make_user(Role.REVIEWER), write=True))
    created = client.post(LIST, json=_item(agent.email, 1, csat=5), headers=headers)
    assert created.status_code == 201 and created.get_json()["csat"] == 5
    again = client.post(LIST, json=_item(agent.email, 1), headers=headers)
    assert again.status_code == 400 and "external_id" in again.get_json(force=True)["errors"]
    bad = client.post(LIST, json=_item("nobody@example.com", 2, csat=9), headers=headers)
    assert set(bad.get_json(force=True)["errors"]) == {"agent_email", "csat"}
    assert client.post(LIST, json=[1], headers=headers).status_code == 400


def test_agents_and_leads_may_not_create(client, make_user, make_token):
    for role in (Role.AGENT, Role.LEAD):
        headers = bearer(make_token(make_user(role), write=True))
        assert client.post(LIST, json={}, headers=headers).status_code == 403


def test_bulk_create_is_all_or_nothing_with_a_row_report(app, client, make_user, make_token):
    agent = make_user(Role.AGENT)
    headers = bearer(make_token(make_user(Role.ADMIN), write=True))
    items = [_item(agent.email, 1), _item(agent.email, 2, nps=11), "x", _item(agent.email, 1)]
    response = client.post(BULK, json={"interactions": items}, headers=headers)
    assert response.status_code == 400
    rows = response.get_json(force=True)["rows"]
    assert [(r["row"], r["column"]) for r in rows] == [(2, "nps"), (3, None), (4, "external_id")]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Interaction)) == 0


def test_bulk_create_twice_adds_nothing_the_second_time(app, client, make_user, make_token):
    agent = make_user(Role.AGENT)
    headers = bearer(make_token(make_user(Role.ADMIN), write=True))
    body = {"interactions": [_item(agent.email, n) for n in range(1, 4)]}
    first = client.post(BULK, json=body, headers=headers).get_json()
    assert (first["rows_added"], first["rows_skipped"]) == (3, 0)
    second = client.post(BULK, json=body, headers=headers).get_json()
    assert (second["rows_added"], second["rows_skipped"]) == (0, 3)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ImportBatch)) == 2
    empty = client.post(BULK, json={"interactions": []}, headers=headers)
    assert list(empty.get_json(force=True)["errors"]) == ["interactions"]
