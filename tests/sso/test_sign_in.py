"""Signing in through the fake OpenID provider: the happy path and each refusal, with no session."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from qa_app.accounts import services as accounts
from qa_app.accounts.models import Role, User
from qa_app.audit.models import AuditAction, AuditEvent
from qa_app.extensions import db
from qa_app.sso import services

from .conftest import configure_sso, through_provider
from .provider import CLIENT_ID

ON_SQLITE = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def _events(app, action: AuditAction) -> list[AuditEvent]:
    with app.app_context():
        stmt = sa.select(AuditEvent).where(AuditEvent.action == str(action))
        return list(db.session.scalars(stmt.order_by(AuditEvent.id)))


def _user(app, email: str) -> User | None:
    with app.app_context():
        user = accounts.get_user_by_email(email)
        if user is not None:
            db.session.expunge(user)
        return user


def _signed_in(client) -> bool:
    return client.get("/").status_code == 200


def _add_mapping(app, value: str, role: Role) -> None:
    with app.app_context():
        services.add_mapping(value, role)
        db.session.commit()


@ON_SQLITE
def test_first_sign_in_creates_the_user_with_the_mapped_role(sso_site, provider, client):
    _add_mapping(sso_site, "qa-reviewers", Role.REVIEWER)
    _add_mapping(sso_site, "everyone", Role.AGENT)
    provider.claims["groups"] = ["everyone", "qa-reviewers"]
    checked = provider.pkce_checked
    response = through_provider(client)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert _signed_in(client)
    assert provider.pkce_checked == checked + 1  # the token endpoint verified the S256 verifier
    user = _user(sso_site, "new.person@example.com")
    assert user is not None and user.role == Role.REVIEWER and user.is_sso_only
    assert user.display_name == "New Person" and user.last_login_at is not None
    (event,) = _events(sso_site, AuditAction.SIGN_IN)
    assert event.actor_id == user.id and event.detail == {"method": "sso"}
    assert len(_events(sso_site, AuditAction.USER_CREATED)) == 1


@ON_SQLITE
def test_an_existing_user_is_matched_by_verified_email_and_keeps_their_role(
    sso_site, provider, client, make_user
):
    lead = make_user(Role.LEAD, email="Lead.Person@example.com")
    provider.claims |= {"email": "lead.person@EXAMPLE.com", "groups": ["qa-admins"]}
    _add_mapping(sso_site, "qa-admins", Role.ADMIN)
    response = through_provider(client, start_at="/login/sso?next=/account/preferences")
    assert response.headers["Location"] == "/account/preferences"  # where sign-in was asked
    assert _signed_in(client)
    user = _user(sso_site, lead.email)
    assert user is not None and user.role == Role.LEAD and not user.is_sso_only
    # The session is the password's kind: signing out ends it for every cookie.
    old_cookie = client.get_cookie("session")
    assert old_cookie is not None
    client.submit("/logout", token_from="/")
    client.set_cookie("session", old_cookie.value)
    assert not _signed_in(client)


def _refused(app, client, response, message: str, reason: str, sign_ins: int = 0) -> None:
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert message in page.replace("&#39;", "'")
    assert not _signed_in(client)
    (event,) = _events(app, AuditAction.SIGN_IN_FAILED)
    assert event.detail == {"method": "sso", "reason": reason}
    assert len(_events(app, AuditAction.SIGN_IN)) == sign_ins


SPOILED = {
    "wrong issuer": ({"iss": "http://127.0.0.1:9/other"}, "issuer", "names another issuer"),
    "wrong audience": (
        {"aud": ["another-app", CLIENT_ID + "x"], "azp": CLIENT_ID},
        "audience",
        "issued for another application",
    ),
    "bad signature": ({"forge": True}, "signature", "signature that does not check out"),
    "expired": ({"exp": int(time.time()) - 3600}, "expired", "ID token has expired"),
    "mismatched nonce": ({"nonce": "not-the-one-sent"}, "nonce", "belongs to another sign-in"),
}


@ON_SQLITE
@pytest.mark.parametrize("case", SPOILED, ids=list(SPOILED))
def test_a_spoiled_id_token_is_refused_with_a_clear_message(sso_site, provider, client, case):
    spoil, reason, message = SPOILED[case]
    provider.spoil = spoil
    _refused(sso_site, client, through_provider(client), message, reason)
    assert _user(sso_site, "new.person@example.com") is None


@ON_SQLITE
def test_a_replayed_id_token_is_refused_by_its_nonce(sso_site, provider, app):
    first = app.test_client()
    assert through_provider(first).headers["Location"] == "/"
    provider.spoil = {"replay": True}  # the provider hands out the first sign-in's token again
    second = app.test_client()
    message = "belongs to another sign-in"
    _refused(sso_site, second, through_provider(second), message, "nonce", sign_ins=1)


@ON_SQLITE
def test_a_refusal_of_the_provider_is_shown(sso_site, provider, client):
    provider.spoil = {"deny": True}
    _refused(sso_site, client, through_provider(client), "did not sign you in", "provider")


@ON_SQLITE
def test_a_wrong_state_is_refused(sso_site, provider, client):
    response = through_provider(client, lambda query: query.replace("state=", "state=x"))
    _refused(sso_site, client, response, "was not started in this browser", "state")


@ON_SQLITE
def test_the_callback_without_state_is_a_bad_request(sso_site, client):
    assert client.get("/login/sso/callback?code=abc").status_code == 400
    assert not _signed_in(client)


@ON_SQLITE
@pytest.mark.parametrize("verified", [False, None, "false"])
def test_an_unverified_email_is_refused(sso_site, provider, client, make_user, verified):
    make_user(Role.ADMIN, email="new.person@example.com")
    provider.claims["email_verified"] = verified
    if verified is None:
        del provider.claims["email_verified"]
    message = "has not verified your email address"
    _refused(sso_site, client, through_provider(client), message, "email_unverified")


@ON_SQLITE
def test_a_deactivated_user_is_refused(sso_site, provider, client, make_user):
    make_user(Role.AGENT, email="new.person@example.com", is_active=False)
    _refused(sso_site, client, through_provider(client), "deactivated", "inactive")


def test_the_role_with_the_most_rights_wins_else_the_default():
    table = [
        services.SsoRoleMapping(claim_value="a", role=Role.LEAD),
        services.SsoRoleMapping(claim_value="b", role=Role.REVIEWER),
    ]
    assert services.role_for({"g": ["a", "b"]}, "g", table, Role.AGENT) == Role.REVIEWER
    assert services.role_for({"g": "a"}, "g", table, Role.AGENT) == Role.LEAD
    assert services.role_for({"g": ["c"]}, "g", table, Role.AGENT) == Role.AGENT
    assert services.role_for({"g": ["a"]}, "", table, Role.AGENT) == Role.AGENT
    assert services.role_for({}, "g", table, Role.REVIEWER) == Role.REVIEWER


@ON_SQLITE
@pytest.mark.parametrize(
    ("issuer", "message"),
    [
        ("{issuer}/", "names another issuer"),  # discovery says the issuer without the slash
        ("http://127.0.0.1:9", "could not be reached"),  # nothing listens there
    ],
)
def test_discovery_must_answer_for_the_configured_issuer(app, provider, client, issuer, message):
    configure_sso(app, issuer.format(issuer=provider.issuer))
    response = client.get("/login/sso")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert message in client.get("/login").get_data(as_text=True).replace("&#39;", "'")
    assert not _signed_in(client)


@ON_SQLITE
def test_a_site_that_requires_two_factor_leaves_it_to_the_identity_provider(
    sso_site, provider, client
):
    from qa_app.admin.models import set_setting

    with sso_site.app_context():
        set_setting("require_two_factor", "1")
        db.session.commit()
    _add_mapping(sso_site, "qa-reviewers", Role.REVIEWER)
    provider.claims["groups"] = ["qa-reviewers"]
    assert through_provider(client).status_code == 302
    home = client.get("/")
    assert home.status_code == 200  # not sent to set up an authenticator app
    with client.session_transaction() as session:
        assert session["signed_in_with"] == "sso"
