"""Password sign-in beside single sign-on: SSO-only users, the site switch, break-glass admins."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from qa_app.accounts import services as accounts
from qa_app.accounts.models import Role, User
from qa_app.audit.models import AuditAction, AuditEvent
from qa_app.extensions import db
from qa_app.sso import services
from qa_app.sso.models import SsoProvider

from .conftest import configure_sso
from .provider import CLIENT_SECRET

ON_SQLITE = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def _flags(app, user: User, **flags: bool) -> None:
    with app.app_context():
        row = db.session.get(User, user.id)
        for name, value in flags.items():
            setattr(row, name, value)
        db.session.commit()


def _page(response) -> str:
    return response.get_data(as_text=True).replace("&#39;", "'")


@ON_SQLITE
def test_an_sso_only_user_cannot_sign_in_with_the_right_password(app, client, make_user):
    user = make_user(Role.REVIEWER)
    _flags(app, user, is_sso_only=True)
    response = client.sign_in(user.email)
    assert response.status_code == 200
    assert "signs in with single sign-on only" in _page(response)
    assert client.get("/").status_code == 302
    wrong = client.sign_in(user.email, "Not-The-Password-123")  # a stranger learns nothing
    assert "signs in with single sign-on only" not in _page(wrong)


@ON_SQLITE
def test_password_sign_in_off_keeps_only_break_glass_admins(app, provider, make_user):
    breaker, agent = make_user(Role.ADMIN), make_user(Role.AGENT)
    _flags(app, breaker, is_break_glass=True)
    configure_sso(app, provider.issuer, allow_password_sign_in=False)
    refused = app.test_client()
    response = refused.sign_in(agent.email)
    assert "Password sign-in is turned off" in _page(response)
    assert refused.get("/").status_code == 302
    admin = app.test_client()
    assert admin.sign_in(breaker.email).status_code == 302
    assert admin.get("/").status_code == 200
    login_page = _page(app.test_client().get("/login"))
    assert "Sign in with Example ID" in login_page and "break-glass" in login_page


def _settings_form(issuer: str, **changes: str) -> dict[str, str]:
    form = {"is_enabled": "y", "name": "Example ID", "issuer": issuer}
    form |= {"client_id": "qa-scorecard", "client_secret": CLIENT_SECRET, "default_role": "agent"}
    form |= {"role_claim": "groups", "allow_password_sign_in": "y"}
    return {k: v for k, v in (form | changes).items() if v is not None}


@ON_SQLITE
def test_the_admin_page_stores_the_secret_encrypted_and_logs_the_change(app, provider, login_as):
    client = login_as(Role.ADMIN)
    response = client.submit("/admin/sso", _settings_form(provider.issuer), token_from="/admin/sso")
    assert response.status_code == 302
    page = _page(client.get("/admin/sso"))
    assert CLIENT_SECRET not in page and "A client secret is stored." in page
    assert "http://localhost/login/sso/callback" in page
    with app.app_context():
        row = db.session.get(SsoProvider, 1)
        assert row.is_enabled and CLIENT_SECRET not in (row.client_secret_encrypted or "")
        event = db.session.scalar(
            sa.select(AuditEvent).where(AuditEvent.action == str(AuditAction.SSO_CHANGED))
        )
        assert event.action == str(AuditAction.SSO_CHANGED)
        assert "client_secret" in event.detail["changed"] and CLIENT_SECRET not in str(event.detail)


@ON_SQLITE
def test_password_sign_in_goes_off_only_with_a_break_glass_admin(app, provider, login_as):
    client = login_as(Role.ADMIN)
    off = _settings_form(provider.issuer, allow_password_sign_in=None)  # the box unticked
    response = client.submit("/admin/sso", off, token_from="/admin/sso")
    assert "keep at least one active break-glass admin" in _page(response)
    with app.app_context():
        assert accounts.password_sign_in_allowed() and db.session.get(SsoProvider, 1) is None
    _flags(app, client.user, is_break_glass=True)
    assert client.submit("/admin/sso", off, token_from="/admin/sso").status_code == 302
    with app.app_context():
        assert not accounts.password_sign_in_allowed()
    # The last break-glass admin cannot lose the mark while password sign-in is off.
    user = client.user
    form = {"email": user.email, "display_name": user.display_name, "role": "admin"}
    form |= {"is_active": "y"}
    path = f"/admin/users/{user.id}"
    response = client.submit(path, form, token_from=path)
    assert "keep at least one active break-glass admin" in _page(response)
    with app.app_context():
        assert db.session.get(User, user.id).is_break_glass


@ON_SQLITE
def test_password_sign_in_cannot_go_off_while_single_sign_on_is_off(app, make_user):
    _flags(app, make_user(Role.ADMIN), is_break_glass=True)
    off = services.NewSettings(False, "", "", "", Role.AGENT, "", allow_password_sign_in=False)
    with app.app_context(), pytest.raises(services.SsoError, match="only while single sign-on"):
        services.save_settings(off)
