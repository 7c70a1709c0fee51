"""Personal API tokens: who a token acts as, and when it stops working."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from qa_app.accounts.models import Role
from qa_app.api.models import ApiToken
from qa_app.api.services import find_token, token_hash
from qa_app.audit.models import AuditEvent
from qa_app.database import utcnow
from qa_app.extensions import db
from tests.api.conftest import bearer

LIST = "/api/v1/interactions"


def _problem(response, status):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert body["status"] == status and body["title"] and body["type"] == "about:blank"
    return body


def test_no_token_and_a_wrong_token_get_401_with_a_bearer_challenge(client):
    for headers in ({}, bearer("qas_nothing"), {"Authorization": "Basic eDp5"}):
        response = client.get(LIST, headers=headers)
        _problem(response, 401)
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_session_cookie_does_not_open_the_api(login_as):
    client = login_as(Role.ADMIN)
    _problem(client.get(LIST), 401)


def test_a_token_acts_as_its_user_without_setting_a_cookie(client, make_user, make_token):
    response = client.get(LIST, headers=bearer(make_token(make_user(Role.ADMIN))))
    assert response.status_code == 200
    assert response.get_json() == {"items": [], "next_cursor": None}
    assert "Set-Cookie" not in response.headers


def test_revoked_expired_and_deactivated_tokens_get_401(app, client, make_user, make_token):
    revoked = make_token(make_user(Role.ADMIN))
    expired = make_token(make_user(Role.ADMIN), expires_at=utcnow() - timedelta(seconds=1))
    inactive = make_token(make_user(Role.ADMIN, is_active=False))
    with app.app_context():
        row = db.session.scalar(
            sa.select(ApiToken).where(ApiToken.token_hash == token_hash(revoked))
        )
        row.revoked_at = utcnow()
        db.session.commit()
    for value in (revoked, expired, inactive):
        _problem(client.get(LIST, headers=bearer(value)), 401)


def test_a_read_token_cannot_write(client, make_user, make_token):
    value = make_token(make_user(Role.ADMIN), write=False)
    body = _problem(client.post(LIST, json={}, headers=bearer(value)), 403)
    assert "read" in body["detail"]


def test_only_the_hash_is_stored_and_last_use_is_recorded(app, client, make_user, make_token):
    value = make_token(make_user(Role.REVIEWER))
    assert value.startswith("qas_") and len(value) > 40
    client.get(LIST, headers=bearer(value))
    with app.app_context():
        row = db.session.scalars(sa.select(ApiToken)).one()
        assert row.token_hash == token_hash(value) and value not in (row.hint, row.token_hash)
        assert row.last_used_at is not None
        assert find_token(value[:-1]) is None


def test_preferences_make_a_token_shown_once_and_revoke_it(app, login_as):
    client = login_as(Role.AGENT)
    page = client.submit(
        "/account/tokens",
        {"name": "Script", "access": "read", "expires": "30"},
        token_from="/account/tokens",
    ).get_data(as_text=True)
    value = page.split("<code>qas_", 1)[1].split("<", 1)[0]
    assert client.get(LIST.replace("interactions", "disputes"), headers=bearer("qas_" + value))
    assert "qas_" + value not in client.get("/account/tokens").get_data(as_text=True)
    with app.app_context():
        token_id = db.session.scalars(sa.select(ApiToken.id)).one()
    response = client.submit(f"/account/tokens/{token_id}/revoke", token_from="/account/tokens")
    assert response.status_code == 302
    _problem(client.get(LIST, headers=bearer("qas_" + value)), 401)
    with app.app_context():
        about_tokens = AuditEvent.action.like("token_%")  # sign-ins are events too
        actions = db.session.scalars(
            sa.select(AuditEvent.action).where(about_tokens).order_by(AuditEvent.id)
        ).all()
        assert actions == ["token_created", "token_revoked"]


def test_users_cannot_revoke_each_others_tokens_but_admins_can(
    app, login_as, make_user, make_token
):
    owner = make_user(Role.REVIEWER)
    value = make_token(owner)
    with app.app_context():
        token_id = db.session.scalars(sa.select(ApiToken.id)).one()
    other = login_as(Role.REVIEWER)
    assert other.submit(f"/account/tokens/{token_id}/revoke", token_from="/").status_code == 404
    assert other.get(LIST, headers=bearer(value)).status_code == 200
    admin = login_as(Role.ADMIN)
    assert owner.display_name in admin.get("/admin/tokens").get_data(as_text=True)
    assert admin.submit(f"/admin/tokens/{token_id}/revoke", token_from="/").status_code == 302
    assert admin.get(LIST, headers=bearer(value)).status_code == 401


def test_unknown_addresses_and_methods_under_the_api_are_problems(client, make_user, make_token):
    headers = bearer(make_token(make_user(Role.ADMIN), write=True))
    _problem(client.get("/api/v1/nothing", headers=headers), 404)
    _problem(client.delete(LIST, headers=headers), 405)
