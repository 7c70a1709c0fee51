"""The sign-in steps: a password checked, every attempt recorded, logged and throttled.

The two-factor code check (two_factor.py) takes the same steps, so its failures count towards
the same limits. See docs/security.md. Services flush; the request commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from ..audit.models import AuditAction
from ..audit.services import record_event
from ..database import take_turns, utcnow
from ..extensions import db
from .models import LoginAttempt, TwoFactor, User
from .passwords import spend_a_check, verify_password
from .services import get_user_by_email, normalize_email, password_refusal

SIGN_IN_REFUSED = _l("The email or password is not right.")


@dataclass(frozen=True)
class SignIn:
    user: User | None
    error: str | None
    throttled: bool = False


def _recent_failures(*conditions: sa.ColumnElement[bool]) -> int:
    window = timedelta(seconds=current_app.config["LOGIN_FAIL_WINDOW_SECONDS"])
    stmt = (
        sa.select(sa.func.count())
        .select_from(LoginAttempt)
        .where(*conditions, LoginAttempt.is_success.is_(False))
        .where(LoginAttempt.attempted_at >= utcnow() - window)
    )
    return db.session.scalar(stmt) or 0


def is_throttled(email: str, address: str) -> bool:
    """True when this account from this address, the account or the address failed too often.

    The low limit counts one address's failures on one account, so a stranger cannot lock
    the owner out alone; the account's own limit is higher and caps guesses from many places.
    See docs/security.md.
    """
    cfg = current_app.config
    by_email, by_address = LoginAttempt.email == email, LoginAttempt.address == address
    return (
        _recent_failures(by_email, by_address) >= cfg["LOGIN_FAIL_LIMIT_PER_ACCOUNT_ADDRESS"]
        or _recent_failures(by_email) >= cfg["LOGIN_FAIL_LIMIT_PER_ACCOUNT"]
        or _recent_failures(by_address) >= cfg["LOGIN_FAIL_LIMIT_PER_ADDRESS"]
    )


def one_check_at_a_time(email: str, address: str) -> None:
    """Attempts on one account, or from one address, wait for each other until recorded.

    Otherwise attempts sent at once to several servers all count the failures before any is
    recorded, and more passwords are tried than the limits allow.
    """
    take_turns(db.session.connection(), f"sign-in-email:{email}", f"sign-in-address:{address}")


def _check_password(user: User | None, password: str) -> bool:
    if user is None:  # as slow as a real check, so the time does not tell which emails exist
        spend_a_check(password)
        return False
    return verify_password(user.password_hash, password)


def throttled_answer(what: str, email: str, address: str) -> SignIn:
    current_app.logger.warning("%s throttled for %r from %s", what, email, address)
    _audit_failure(what, email, None, "throttled")
    minutes = current_app.config["LOGIN_FAIL_WINDOW_SECONDS"] // 60
    message = ngettext(
        "Too many failed sign-in attempts. Wait %(num)d minute and try again.",
        "Too many failed sign-in attempts. Wait %(num)d minutes and try again.",
        minutes,
    )
    return SignIn(None, message, throttled=True)


SECOND_FACTOR = "second factor"  # the step name of a sign-in's code check (two_factor.py)


def _asks_second_factor(user: User) -> bool:
    setting = db.session.get(TwoFactor, user.id)
    return setting is not None and setting.enabled_at is not None


def record_attempt(what: str, email: str, address: str, user: User | None, ok: bool) -> None:
    db.session.add(
        LoginAttempt(email=email, address=address, user_id=user.id if user else None, is_success=ok)
    )
    outcome = "ok" if ok else "failed"
    current_app.logger.info("%s %s for %r from %s", what, outcome, email, address)
    if ok and what in ("sign-in", SECOND_FACTOR):
        assert user is not None
        if what == SECOND_FACTOR or not _asks_second_factor(user):  # signed in only now
            method = "password and code" if what == SECOND_FACTOR else "password"
            who = {"actor_id": user.id, "actor": email}
            record_event(
                AuditAction.SIGN_IN, target=f"user {user.id}", detail={"method": method}, **who
            )
    elif not ok:
        reason = "unknown_email" if user is None else "refused"
        _audit_failure(what, email, user, reason)


def _audit_failure(what: str, email: str, user: User | None, reason: str) -> None:
    """A failed check in the audit log: the email typed, never the password (docs/audit.md)."""
    record_event(
        AuditAction.SIGN_IN_FAILED,
        target=f"user {user.id}" if user else "",
        detail={"check": what, "reason": reason},
        actor_id=user.id if user else None,
        actor=email,
    )


def authenticate(email: str, password: str, address: str) -> SignIn:
    """Check a sign-in; every attempt is recorded and logged, failures are throttled."""
    email = normalize_email(email)[:254]
    address = (address or "unknown")[:64]
    one_check_at_a_time(email, address)
    if is_throttled(email, address):
        return throttled_answer("sign-in", email, address)
    user = get_user_by_email(email)
    ok = _check_password(user, password) and user is not None and user.is_active
    # Said only to whoever knows the password, so it tells a stranger nothing.
    refusal = password_refusal(user) if ok and user is not None else None
    record_attempt("sign-in", email, address, user, ok and refusal is None)
    if not ok or refusal is not None:
        return SignIn(None, refusal or str(SIGN_IN_REFUSED))
    assert user is not None
    user.last_login_at = utcnow()
    return SignIn(user, None)


def check_current_password(user: User, password: str, address: str) -> SignIn:
    """The password check before a password change: recorded, logged and throttled like a
    sign-in (its failures count towards the same limits), so a borrowed session cannot guess."""
    address = (address or "unknown")[:64]
    one_check_at_a_time(user.email, address)
    if is_throttled(user.email, address):
        return throttled_answer("password check", user.email, address)
    ok = verify_password(user.password_hash, password)
    record_attempt("password check", user.email, address, user, ok)
    return SignIn(user, None) if ok else SignIn(None, _("The current password is not right."))
