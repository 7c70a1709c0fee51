"""Two-factor sign-in (docs/two-factor.md): codes, recovery codes, the second step, the guard."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
import sqlalchemy as sa

from qa_app.accounts import two_factor
from qa_app.accounts.models import LoginAttempt, RecoveryCode, Role, TwoFactor, User
from qa_app.accounts.two_factor_views import PENDING
from qa_app.admin.models import set_setting
from qa_app.audit.models import AuditEvent
from qa_app.extensions import db
from tests.conftest import PASSWORD

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
T0 = 1_800_000_000.0  # a fixed moment: step 60_000_000
STEP = 60_000_000


def code_at(moment: float, secret: str = SECRET) -> str:
    return pyotp.TOTP(secret).at(moment)


# --- the code check itself: pure, at a fixed time ---


def test_a_current_code_gives_its_step():
    assert two_factor.matching_step(SECRET, code_at(T0), None, T0) == STEP


@pytest.mark.parametrize(("offset", "step"), [(-30, STEP - 1), (30, STEP + 1)])
def test_a_code_one_step_away_is_accepted(offset, step):
    assert two_factor.matching_step(SECRET, code_at(T0 + offset), None, T0) == step


@pytest.mark.parametrize("offset", [-60, 60, 3600])
def test_a_code_further_away_is_refused(offset):
    assert two_factor.matching_step(SECRET, code_at(T0 + offset), None, T0) == 0


def test_a_wrong_code_is_refused():
    right = code_at(T0)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    assert two_factor.matching_step(SECRET, wrong, None, T0) == 0
    assert two_factor.matching_step(SECRET, "", None, T0) == 0


def test_a_reused_or_older_code_is_refused():
    assert two_factor.matching_step(SECRET, code_at(T0), STEP, T0) == 0
    assert two_factor.matching_step(SECRET, code_at(T0 - 30), STEP, T0) == 0
    assert two_factor.matching_step(SECRET, code_at(T0 + 30), STEP, T0) == STEP + 1


def test_spaces_in_a_code_are_ignored():
    code = code_at(T0)
    assert two_factor.matching_step(SECRET, f" {code[:3]} {code[3:]} ", None, T0) == STEP


# --- the services, in the database ---


def turn_on(user: User, now: float = T0) -> tuple[str, list[str]]:
    """Set up and confirm two-factor for a user (inside an app context)."""
    secret = two_factor.pending_secret(user)
    codes = two_factor.turn_on(user, code_at(now, secret), now)
    assert codes is not None
    db.session.commit()
    return secret, codes


@pytest.fixture
def user(app, make_user):
    made = make_user(Role.REVIEWER)
    with app.app_context():
        yield db.session.get(User, made.id)


def test_the_secret_is_stored_sealed_and_kept_until_confirmed(app, user):
    secret = two_factor.pending_secret(user)
    assert two_factor.pending_secret(user) == secret
    stored = db.session.get(TwoFactor, user.id)
    assert secret not in stored.secret_sealed and stored.enabled_at is None
    assert not two_factor.is_on(user)


def test_turning_on_needs_a_right_code(app, user):
    secret = two_factor.pending_secret(user)
    assert (
        two_factor.turn_on(user, "000000" if code_at(T0, secret) != "000000" else "1", T0) is None
    )
    assert not two_factor.is_on(user)
    codes = two_factor.turn_on(user, code_at(T0, secret), T0)
    assert codes is not None and len(codes) == 10 and len(set(codes)) == 10
    assert two_factor.is_on(user)
    hashes = db.session.scalars(sa.select(RecoveryCode.code_hash)).all()
    assert len(hashes) == 10 and not set(codes) & set(hashes)


def test_the_second_step_refuses_a_reused_code(app, user):
    secret, _codes = turn_on(user)
    assert not two_factor.second_step(user, code_at(T0, secret), "10.0.0.1", T0).ok
    assert two_factor.second_step(user, code_at(T0 + 30, secret), "10.0.0.1", T0 + 30).ok
    assert not two_factor.second_step(user, code_at(T0 + 30, secret), "10.0.0.1", T0 + 30).ok


def test_a_recovery_code_works_once(app, user):
    _secret, codes = turn_on(user)
    first = two_factor.second_step(user, codes[0].upper(), "10.0.0.1", T0)
    assert first.ok and first.recovery_codes_left == 9
    again = two_factor.second_step(user, codes[0], "10.0.0.1", T0)
    assert not again.ok and again.error == "The code is not right, or it was already used."


def test_new_recovery_codes_replace_the_old_ones(app, user):
    secret, old = turn_on(user)
    check, new = two_factor.regenerate_recovery_codes(user, code_at(T0 + 30, secret), "a", T0 + 30)
    assert check.ok and len(new) == 10
    assert not two_factor.use_recovery_code(user, old[0])
    assert two_factor.use_recovery_code(user, new[0])


def test_new_recovery_codes_need_a_current_code(app, user):
    _secret, old = turn_on(user)
    check, new = two_factor.regenerate_recovery_codes(user, old[0], "a", T0)
    assert not check.ok and new == []


def test_failed_codes_are_throttled_like_passwords(app, user):
    secret, _codes = turn_on(user)
    limit = app.config["LOGIN_FAIL_LIMIT_PER_ACCOUNT_ADDRESS"]
    for _ in range(limit):
        assert not two_factor.second_step(user, "12345x", "10.0.0.9", T0).ok
    db.session.commit()
    result = two_factor.second_step(user, code_at(T0 + 30, secret), "10.0.0.9", T0 + 30)
    assert not result.ok and result.throttled
    failed = sa.select(sa.func.count()).where(LoginAttempt.is_success.is_(False))
    assert db.session.scalar(failed) == limit
    # Another address still gets its own tries: the owner is not locked out by a stranger.
    assert two_factor.second_step(user, code_at(T0 + 30, secret), "10.0.0.8", T0 + 30).ok


def test_turning_off_needs_the_password_and_a_current_code(app, user):
    secret, codes = turn_on(user)
    assert not two_factor.turn_off(user, PASSWORD, "", "a", T0 + 30).ok
    assert not two_factor.turn_off(user, PASSWORD, "123456x", "a", T0 + 30).ok
    assert not two_factor.turn_off(user, "Wrong-Password-1234", code_at(T0 + 30, secret), "a").ok
    assert two_factor.is_on(user)
    assert two_factor.turn_off(user, PASSWORD, code_at(T0 + 30, secret), "a", T0 + 30).ok
    assert not two_factor.is_on(user)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RecoveryCode)) == 0


def test_a_recovery_code_turns_it_off_after_a_lost_phone(app, user):
    _secret, codes = turn_on(user)
    assert not two_factor.turn_off(user, "Wrong-Password-1234", codes[0], "a", T0).ok
    assert two_factor.turn_off(user, PASSWORD, codes[0], "a", T0).ok
    assert not two_factor.is_on(user)


def test_changes_and_failures_are_audited(app, user):
    secret, codes = turn_on(user)
    two_factor.second_step(user, "12345x", "a", T0)
    two_factor.second_step(user, codes[1], "a", T0)
    two_factor.reset_by_admin(user)
    ours = AuditEvent.action.in_(["two_factor_changed", "sign_in_failed"])
    events = db.session.scalars(sa.select(AuditEvent).where(ours).order_by(AuditEvent.id)).all()
    assert [(e.action, e.detail) for e in events] == [
        ("two_factor_changed", {"two_factor": "turned on"}),
        ("sign_in_failed", {"check": "second factor", "reason": "refused"}),
        ("two_factor_changed", {"two_factor": "recovery code used"}),
        ("two_factor_changed", {"two_factor": "reset"}),
    ]
    assert all(secret not in str(e.detail) and codes[1] not in str(e.detail) for e in events)


# --- the pages ---


def _secret_on(page: str) -> str:
    match = re.search(r'<p class="secret" data-secret>([A-Z2-7]+)</p>', page)
    assert match is not None
    return match.group(1)


def test_set_up_then_sign_in_with_password_and_code(app, client, make_user):
    user = make_user(Role.AGENT)
    client.sign_in(user.email)
    page = client.get("/account/two-factor/setup").get_data(as_text=True)
    assert "<svg" in page and "otpauth://totp/" in page
    secret = _secret_on(page)
    done = client.submit("/account/two-factor/setup", {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200 and len(re.findall(r"<li>\w{5}-\w{5}</li>", done.text)) == 10
    client.submit("/logout", token_from="/")

    signed_in = sa.select(AuditEvent.detail).where(AuditEvent.action == "sign_in")
    with app.app_context():
        before = db.session.scalars(signed_in).all()
    response = client.sign_in(user.email)
    assert response.headers["Location"] == "/login/two-factor"
    assert client.get("/").headers["Location"].startswith("/login")  # not signed in yet
    with app.app_context():
        assert db.session.scalars(signed_in).all() == before  # the password alone is no sign-in
    later = pyotp.TOTP(secret).at(time.time() + 30)  # the next step: the set-up code is used
    response = client.submit("/login/two-factor", {"code": later}, token_from="/login/two-factor")
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    with app.app_context():
        assert db.session.scalars(signed_in).all() == [*before, {"method": "password and code"}]


def test_the_half_sign_in_expires(app, client, make_user):
    user = make_user(Role.AGENT)
    with app.app_context():
        secret, _codes = turn_on(db.session.get(User, user.id), time.time())
    client.sign_in(user.email)
    with client.session_transaction() as session:
        session[PENDING] = {**session[PENDING], "until": time.time() - 1}
    code = pyotp.TOTP(secret).at(time.time() + 30)
    response = client.submit("/login/two-factor", {"code": code})
    assert response.headers["Location"] == "/login"
    assert client.get("/").headers["Location"].startswith("/login")


def test_a_wrong_code_keeps_the_user_out(app, client, make_user):
    user = make_user(Role.AGENT)
    with app.app_context():
        turn_on(db.session.get(User, user.id), time.time())
    client.sign_in(user.email)
    response = client.submit("/login/two-factor", {"code": "12"}, token_from="/login/two-factor")
    assert response.status_code == 200
    assert "The code is not right, or it was already used." in response.text
    assert client.get("/").headers["Location"].startswith("/login")


@pytest.fixture
def required(app):
    with app.app_context():
        set_setting("require_two_factor", "1")
        db.session.commit()


@pytest.mark.parametrize("role", [Role.ADMIN, Role.REVIEWER])
def test_the_requirement_sends_admins_and_reviewers_to_set_up(required, login_as, role):
    client = login_as(role)
    response = client.get("/")
    assert response.headers["Location"] == "/account/two-factor/setup"
    assert client.get("/account/two-factor/setup").status_code == 200
    assert client.submit("/logout", token_from="/account/two-factor/setup").status_code == 302


def test_the_requirement_leaves_others_and_single_sign_on_alone(required, login_as):
    assert login_as(Role.AGENT).get("/").status_code == 200
    client = login_as(Role.ADMIN)
    with client.session_transaction() as session:
        session["signed_in_with"] = "sso"
    assert client.get("/").status_code == 200


def test_the_requirement_is_met_once_set_up(app, required, make_user):
    admin = make_user(Role.ADMIN)
    with app.app_context():
        secret, _codes = turn_on(db.session.get(User, admin.id), time.time())
    client = app.test_client()
    client.sign_in(admin.email)
    later = pyotp.TOTP(secret).at(time.time() + 30)
    client.submit("/login/two-factor", {"code": later}, token_from="/login/two-factor")
    assert client.get("/").status_code == 200


def test_an_admin_turns_the_requirement_on_in_the_settings(app, login_as):
    admin = login_as(Role.ADMIN)
    form = {"dispute_window_days": "14", "calibration_tolerance": "0.5", "require_two_factor": "y"}
    assert admin.submit("/admin/settings", form, token_from="/admin/settings").status_code == 302
    assert admin.get("/").headers["Location"] == "/account/two-factor/setup"
    with app.app_context():
        changed = AuditEvent.action == "settings_changed"
        event = db.session.scalars(sa.select(AuditEvent).where(changed)).one()
        assert (event.action, event.detail) == (
            "settings_changed",
            {"setting": "require_two_factor", "from": "0", "to": "1"},
        )


def test_an_admin_resets_a_users_two_factor(app, login_as, make_user):
    user = make_user(Role.AGENT)
    with app.app_context():
        turn_on(db.session.get(User, user.id), time.time())
    admin = login_as(Role.ADMIN)
    page = admin.get(f"/admin/users/{user.id}").text
    assert "Reset two-factor sign-in" in page
    token = re.search(r'name="reset-csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = admin.post(
        f"/admin/users/{user.id}/two-factor/reset", data={"reset-csrf_token": token}
    )
    assert response.status_code == 302
    with app.app_context():
        assert not two_factor.is_on(db.session.get(User, user.id))
    assert app.test_client().sign_in(user.email).headers["Location"] == "/"


def test_the_security_page_makes_new_codes_and_turns_it_off(app, make_user):
    user = make_user(Role.AGENT)
    with app.app_context():
        secret, _codes = turn_on(db.session.get(User, user.id), time.time() - 60)
        db.session.get(TwoFactor, user.id).last_used_step = None  # the sign-in's code is next
        db.session.commit()
    client = app.test_client()
    client.sign_in(user.email)
    totp = pyotp.TOTP(secret)
    client.submit("/login/two-factor", {"code": totp.at(time.time() - 30)}, token_from="/login")
    assert "10 unused recovery codes." in client.get("/account/two-factor").text
    page = "/account/two-factor"
    code = totp.now()
    new = client.submit(f"{page}/recovery-codes", {"codes-code": code}, token_from=page)
    assert len(re.findall(r"<li>\w{5}-\w{5}</li>", new.text)) == 10
    off = {"off-password": PASSWORD, "off-code": code}
    refused = client.submit(f"{page}/off", off, token_from=page)
    assert refused.status_code == 302 and two_factor_is_on(app, user)  # that code was used
    off = {"off-password": PASSWORD, "off-code": totp.at(time.time() + 30)}
    assert client.submit(f"{page}/off", off, token_from=page).status_code == 302
    assert not two_factor_is_on(app, user)
    assert "Set up two-factor sign-in" in client.get(page).text


def two_factor_is_on(app, user) -> bool:
    with app.app_context():
        return two_factor.is_on(db.session.get(User, user.id))
