"""Headers, CSRF, error pages, production: security checks 4, 9, 10 (docs/security-checks.md)."""

from __future__ import annotations

import secrets

import pytest
import sqlalchemy as sa

from config import ProductionConfig
from qa_app import create_app
from qa_app.accounts.models import Role, User
from qa_app.extensions import db

REQUIRED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def assert_security_headers(response):
    for name, value in REQUIRED_HEADERS.items():
        assert response.headers.get(name) == value, name
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp


@pytest.mark.parametrize("path", ["/login", "/no-such-page", "/static/css/app.css"])
def test_security_headers_on_pages_errors_and_files(client, path):
    response = client.get(path)
    assert_security_headers(response)
    response.close()


def test_pages_are_not_cached_but_static_files_may_be(login_as):
    client = login_as(Role.ADMIN)
    assert client.get("/admin/users").headers["Cache-Control"] == "no-store"
    static = client.get("/static/css/app.css")
    assert "no-store" not in static.headers.get("Cache-Control", "")
    static.close()


def test_security_headers_on_method_not_allowed(client):
    response = client.get("/logout")
    assert response.status_code == 405
    assert_security_headers(response)
    assert "Method not allowed" in response.get_data(as_text=True)


def test_post_without_csrf_token_is_refused_and_changes_nothing(app, login_as, make_user):
    admin = login_as(Role.ADMIN)
    target = make_user(Role.AGENT)
    response = admin.post(f"/admin/users/{target.id}/deactivate")
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(User, target.id).is_active is True


def test_post_with_a_foreign_csrf_token_is_refused(app, login_as, make_user):
    admin = login_as(Role.ADMIN)
    attacker = login_as(Role.AGENT)
    foreign_token = attacker.token("/")
    target = make_user(Role.AGENT)
    response = admin.post(
        f"/admin/users/{target.id}/deactivate", data={"csrf_token": foreign_token}
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(User, target.id).is_active is True


@pytest.mark.parametrize("path", ["/logout", "/admin/users/1/deactivate"])
def test_get_on_a_changing_route_is_405(login_as, path):
    assert login_as(Role.ADMIN).get(path).status_code == 405


def test_server_error_page_has_an_incident_id_and_no_traceback(app, caplog):
    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Incident id" in body and "secret internals" not in body and "Traceback" not in body
    assert_security_headers(response)
    incident = body.split("<code>")[1].split("</code>")[0]
    assert f"incident {incident}" in caplog.text


class TestUploadLimit:
    @pytest.fixture
    def config_overrides(self):
        return {"MAX_CONTENT_LENGTH": 1024}

    def test_too_large_request_is_413(self, client):
        response = client.post("/login", data={"email": "x" * 5000, "password": "y"})
        assert response.status_code == 413
        assert "File too large" in response.get_data(as_text=True)


STRONG_SECRET = secrets.token_hex(32)


def _production(**settings):
    return type("Prod", (ProductionConfig,), {"SQLALCHEMY_DATABASE_URI": "sqlite://", **settings})


def test_production_refuses_to_start_without_a_secret_key():
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(_production(SECRET_KEY=""))
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(_production(SECRET_KEY="changeme"))


@pytest.mark.parametrize("weak", ["k" * 64, "ab" * 32, "changeme-secret!" * 4, "aaaabbbbcccc" * 3])
def test_production_refuses_a_secret_key_without_real_entropy(weak):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(_production(SECRET_KEY=weak))


def test_production_refuses_to_start_with_debug_on():
    with pytest.raises(RuntimeError, match="debug"):
        create_app(_production(SECRET_KEY=STRONG_SECRET, DEBUG=True))


def test_production_cookies_are_secure_httponly_lax_and_hsts_is_sent(monkeypatch):
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    app = create_app(_production(SECRET_KEY=STRONG_SECRET))
    with app.app_context():
        db.create_all()
    client = app.test_client()
    response = client.get("/login", base_url="https://qa.example.com")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert_security_headers(response)


def test_development_generates_and_keeps_a_secret_key(tmp_path, monkeypatch):
    from config import DevelopmentConfig

    monkeypatch.chdir(tmp_path)
    config = type(
        "Dev", (DevelopmentConfig,), {"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": ""}
    )
    first = create_app(config).config["SECRET_KEY"]
    second = create_app(config).config["SECRET_KEY"]
    assert len(first) >= 32 and first == second


def test_extra_form_fields_change_nothing(app, login_as):
    client = login_as(Role.AGENT)
    new_password = "Purple-Giraffe-Lamp-Ocean-9"
    client.submit(
        "/account/password",
        {
            "current_password": "Correct-Horse-Battery-42",
            "new_password": new_password,
            "confirm": new_password,
            "role": "admin",
            "is_active": "y",
            "session_version": "1",
            "email": "hijack@example.com",
        },
        token_from="/",
    )
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.id == client.user.id))
        assert user.role == Role.AGENT and user.email == client.user.email
