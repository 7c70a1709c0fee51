"""Sign-in, sign-out and sessions: security checks 5 to 8 (docs/security-checks.md)."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa

from config import STRONG_PASSWORD_HASH, ProductionConfig
from qa_app.accounts.models import LoginAttempt, Role, User
from qa_app.accounts.passwords import password_problems
from qa_app.extensions import db
from tests.conftest import PASSWORD


def test_sign_in_with_right_password_opens_home(client, make_user):
    user = make_user(Role.AGENT, name="Zsófia Tóth")
    response = client.sign_in(user.email)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "Welcome, <bdi>Zsófia Tóth</bdi>" in client.get("/").get_data(as_text=True)


def test_email_is_matched_without_regard_to_case_and_spaces(client, make_user):
    user = make_user(Role.AGENT)
    assert client.sign_in(f"  {user.email.upper()} ").status_code == 302


def test_unknown_user_and_wrong_password_get_the_same_message(client, make_user):
    user = make_user(Role.AGENT)
    wrong = client.sign_in(user.email, "Wrong-Password-123456").get_data(as_text=True)
    unknown = client.sign_in("nobody@example.com", PASSWORD).get_data(as_text=True)
    message = "The email or password is not right."
    assert message in wrong and message in unknown


def test_deactivated_user_cannot_sign_in(client, make_user):
    user = make_user(Role.AGENT, is_active=False)
    response = client.sign_in(user.email)
    assert response.status_code == 200
    assert "The email or password is not right." in response.get_data(as_text=True)


def test_every_attempt_is_recorded_and_logged(app, client, make_user, caplog):
    user = make_user(Role.AGENT)
    with caplog.at_level(logging.INFO, logger=app.logger.name):
        client.sign_in(user.email, "Wrong-Password-123456")
        client.sign_in(user.email)
    with app.app_context():
        rows = db.session.scalars(sa.select(LoginAttempt).order_by(LoginAttempt.id)).all()
        assert [(r.email, r.is_success, r.user_id) for r in rows] == [
            (user.email, False, user.id),
            (user.email, True, user.id),
        ]
        assert all(r.address == "127.0.0.1" for r in rows)
    assert "sign-in failed" in caplog.text and "sign-in ok" in caplog.text


def test_failed_sign_ins_are_throttled_per_account_and_address(app, client, make_user):
    user = make_user(Role.AGENT)
    for _ in range(app.config["LOGIN_FAIL_LIMIT_PER_ACCOUNT_ADDRESS"]):
        client.sign_in(user.email, "Wrong-Password-123456")
    response = client.sign_in(user.email)  # even the right password is refused now
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(User.last_login_at).where(User.id == user.id)) is None
    # The owner, from another address, is not locked out by someone else's guesses.
    owner = app.test_client()
    owner.environ_base["REMOTE_ADDR"] = "10.1.1.1"
    assert owner.sign_in(user.email).status_code == 302


class TestAccountThrottle:
    @pytest.fixture
    def config_overrides(self):
        return {"LOGIN_FAIL_LIMIT_PER_ACCOUNT_ADDRESS": 2, "LOGIN_FAIL_LIMIT_PER_ACCOUNT": 6}

    def test_guesses_from_many_addresses_are_capped_per_account(self, app, make_user):
        user = make_user(Role.AGENT)
        for n in range(3):
            guesser = app.test_client()
            guesser.environ_base["REMOTE_ADDR"] = f"10.2.2.{n}"
            for _ in range(2):
                assert guesser.sign_in(user.email, "Wrong-Password-123456").status_code == 200
        owner = app.test_client()
        owner.environ_base["REMOTE_ADDR"] = "10.3.3.3"
        response = owner.sign_in(user.email)
        assert response.status_code == 429
        assert "Too many failed sign-in attempts" in response.get_data(as_text=True)


class TestAddressThrottle:
    @pytest.fixture
    def config_overrides(self):
        return {"LOGIN_FAIL_LIMIT_PER_ADDRESS": 3}

    def test_failed_sign_ins_are_throttled_per_address(self, client, make_user):
        target = make_user(Role.AGENT)
        for n in range(3):
            client.sign_in(f"guess{n}@example.com", "Wrong-Password-123456")
        response = client.sign_in(target.email)
        assert response.status_code == 429
        assert "Too many failed sign-in attempts" in response.get_data(as_text=True)
        other_address = client.application.test_client()
        other_address.environ_base["REMOTE_ADDR"] = "10.9.9.9"
        assert other_address.sign_in(target.email).status_code == 302


def test_session_is_renewed_at_sign_in(client, make_user):
    user = make_user(Role.AGENT)
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    client.sign_in(user.email)
    with client.session_transaction() as session:
        assert "planted" not in session


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "http:/x",
    ],
)
def test_next_never_leaves_the_site(client, make_user, target):
    user = make_user(Role.AGENT)
    response = client.submit(f"/login?next={target}", {"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/"


def test_next_inside_the_site_is_followed(client, make_user):
    user = make_user(Role.AGENT)
    response = client.submit(
        "/login?next=/account/password", {"email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/account/password"


def test_anonymous_is_sent_to_sign_in_with_next(client):
    response = client.get("/account/password")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def _stolen_cookie(client):
    return client.get_cookie("session").value


def test_old_cookie_is_useless_after_logout(app, login_as):
    client = login_as(Role.AGENT)
    stolen = _stolen_cookie(client)
    assert client.submit("/logout", token_from="/").status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/").status_code == 302


def test_password_change_ends_other_sessions_but_keeps_this_one(app, login_as):
    client = login_as(Role.AGENT)
    other_browser = app.test_client()
    other_browser.sign_in(client.user.email)
    new_password = "Purple-Giraffe-Lamp-Ocean-9"
    response = client.submit(
        "/account/password",
        {"current_password": PASSWORD, "new_password": new_password, "confirm": new_password},
        token_from="/",
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert other_browser.get("/").status_code == 302
    assert app.test_client().sign_in(client.user.email, new_password).status_code == 302


def test_password_change_needs_the_current_password(login_as):
    client = login_as(Role.AGENT)
    new_password = "Purple-Giraffe-Lamp-Ocean-9"
    response = client.submit(
        "/account/password",
        {
            "current_password": "not-it-at-all-123",
            "new_password": new_password,
            "confirm": new_password,
        },
        token_from="/",
    )
    assert response.status_code == 200
    assert "The current password is not right." in response.get_data(as_text=True)


def test_deactivation_ends_the_users_sessions(app, login_as):
    agent = login_as(Role.AGENT)
    admin = login_as(Role.ADMIN)
    response = admin.submit(f"/admin/users/{agent.user.id}/deactivate", token_from="/")
    assert response.status_code == 302
    assert agent.get("/").status_code == 302


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short-1A", "at least 12"),
        ("x" * 129, "at most 128"),
        ("password1234", "too common"),
        ("qwertyuiop123", "too"),
        ("aaaaaaaaaaaa", "too"),
    ],
)
def test_weak_passwords_are_refused(password, problem):
    problems = password_problems(password)
    assert problems and problem in problems[0]


def test_a_long_random_password_is_accepted():
    assert password_problems("Kx9-fq2mPz_w-Lantern") == []


def test_production_hashes_are_scrypt_with_at_least_2_16_rounds(app):
    method = ProductionConfig.PASSWORD_HASH_METHOD
    assert method == STRONG_PASSWORD_HASH
    name, n, r, p = method.split(":")
    assert name == "scrypt" and int(n) >= 2**16
    from werkzeug.security import check_password_hash, generate_password_hash

    hashed = generate_password_hash(PASSWORD, method=method)
    assert hashed.startswith("scrypt:65536:8:1$")
    assert check_password_hash(hashed, PASSWORD)


def test_stored_hashes_are_salted(app, make_user):
    first = make_user(Role.AGENT)
    second = make_user(Role.AGENT)
    with app.app_context():
        hashes = db.session.scalars(
            sa.select(User.password_hash).where(User.id.in_([first.id, second.id]))
        ).all()
    assert hashes[0] != hashes[1]
    assert all(h.startswith("scrypt:") and PASSWORD not in h for h in hashes)


def _count_hashes(monkeypatch) -> list[int]:
    import hashlib

    calls = [0]
    real = hashlib.scrypt

    def counting(*args, **kwargs):
        calls[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(hashlib, "scrypt", counting)
    return calls


def test_unknown_email_costs_as_many_hashes_as_a_wrong_password(client, make_user, monkeypatch):
    user = make_user(Role.AGENT)
    client.get("/login")
    calls = _count_hashes(monkeypatch)
    client.sign_in("nobody@example.com", "Wrong-Password-123456")
    unknown, calls[0] = calls[0], 0
    client.sign_in(user.email, "Wrong-Password-123456")
    assert unknown == calls[0] == 1


@pytest.mark.parametrize("length", [73, 100, 128])
def test_passwords_up_to_the_documented_limit_can_be_set_and_used(app, login_as, length):
    client = login_as(Role.AGENT)
    new_password = ("Kx9-fq2mPz_w-Lantern" * 7)[:length]
    response = client.submit(
        "/account/password",
        {"current_password": PASSWORD, "new_password": new_password, "confirm": new_password},
        token_from="/",
    )
    assert response.status_code == 302
    assert app.test_client().sign_in(client.user.email, new_password).status_code == 302


BLANK = " \t\u2002 \u2003\u2009 \u3000\u2002\t \u00a0\u2005 \u2003\u2008"  # strong to zxcvbn


def test_a_password_of_spaces_only_is_refused_with_a_clear_message(app, client, login_as):
    assert password_problems(BLANK) == ["A password cannot consist of spaces only."]
    user = login_as(Role.AGENT)
    response = user.submit(
        "/account/password",
        {"current_password": PASSWORD, "new_password": BLANK, "confirm": BLANK},
        token_from="/",
    )
    assert response.status_code == 200
    assert "A password cannot consist of spaces only." in response.get_data(as_text=True)
    signing_in = client.sign_in(user.user.email, BLANK)
    assert "A password cannot consist of spaces only." in signing_in.get_data(as_text=True)
    new_user = {"email": "blank@example.com", "display_name": "B", "role": "agent"}
    creating = login_as(Role.ADMIN).submit(
        "/admin/users/new", {**new_user, "password": BLANK, "is_active": "y"}, token_from="/"
    )
    assert "A password cannot consist of spaces only." in creating.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(User).where(User.email == "blank@example.com")) is None


def _change_password(client, current: str) -> object:
    new_password = "Purple-Giraffe-Lamp-Ocean-9"
    return client.submit(
        "/account/password",
        {"current_password": current, "new_password": new_password, "confirm": new_password},
        token_from="/",
    )


def test_guesses_of_the_current_password_are_logged_and_throttled(app, login_as, caplog):
    client = login_as(Role.AGENT)
    limit = app.config["LOGIN_FAIL_LIMIT_PER_ACCOUNT_ADDRESS"]
    with caplog.at_level(logging.INFO, logger=app.logger.name):
        for _ in range(limit):
            assert _change_password(client, "not-it-at-all-123").status_code == 200
        response = _change_password(client, PASSWORD)  # even the right one, once throttled
    assert response.status_code == 429
    assert "Too many failed" in response.get_data(as_text=True)
    assert "password check failed" in caplog.text and "throttled" in caplog.text
    with app.app_context():
        rows = db.session.scalars(
            sa.select(LoginAttempt).where(LoginAttempt.user_id == client.user.id)
        ).all()
        assert [r.is_success for r in rows] == [True] + [False] * limit  # sign-in, then guesses
        user = db.session.get(User, client.user.id)
        assert user.session_version == 1  # the password was not changed
