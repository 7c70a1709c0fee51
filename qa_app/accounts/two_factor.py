"""Two-factor sign-in for password accounts: authenticator-app codes and recovery codes.

How it works and what an admin does when a phone is lost: docs/two-factor.md. Services flush;
the request commits.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pyotp
import segno
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from ..audit.models import AuditAction
from ..audit.services import record_event
from ..database import utcnow
from ..extensions import db
from ..sealed import seal, unseal
from .models import RecoveryCode, TwoFactor, User
from .passwords import hash_password, verify_password
from .sign_in import (
    SECOND_FACTOR,
    check_current_password,
    is_throttled,
    one_check_at_a_time,
    record_attempt,
    throttled_answer,
)

PURPOSE = b"two-factor secret"
ISSUER = "QA Scorecard"
VALID_WINDOW = 1  # a code of the step before or after the current one is accepted too
RECOVERY_CODES = 10
# Lower-case letters and digits without the look-alikes 0/o, 1/l/i.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
CODE_MAX_LENGTH = 20  # the form's limit: a six-digit code or a recovery code, with spaces


def setting_of(user: User) -> TwoFactor | None:
    return db.session.get(TwoFactor, user.id)


def is_on(user: User) -> bool:
    """True when the user confirmed an authenticator app: sign-in then asks for a code."""
    row = setting_of(user)
    return row is not None and row.enabled_at is not None


def pending_secret(user: User) -> str:
    """The secret being set up (kept until confirmed, so a reload shows the same QR code)."""
    row = setting_of(user)
    if row is not None and row.enabled_at is not None:
        raise ValueError("two-factor is already on")
    secret = unseal(row.secret_sealed, PURPOSE) if row is not None else None
    if row is None or secret is None:
        secret = pyotp.random_base32()
        row = row or TwoFactor(user_id=user.id)
        row.secret_sealed = seal(secret, PURPOSE)
        db.session.add(row)
        db.session.flush()
    return secret


def otpauth_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(uri: str) -> Markup:
    """The URI as an inline SVG QR code (no script, no style element: the CSP allows it)."""
    svg = segno.make(uri, error="m").svg_inline(scale=4, dark="#000", light="#fff")
    return Markup(svg)  # noqa: S704 (segno's own markup, built from our URI)


def _clean(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def matching_step(secret: str, code: str, last_used: int | None, now: float | None = None) -> int:
    """The time step the code belongs to, or 0 when it is wrong, outside ±1 step, or reused."""
    totp, now = pyotp.TOTP(secret), time.time() if now is None else now
    current = totp.timecode(datetime.fromtimestamp(now, UTC))
    code = _clean(code)
    for offset in range(-VALID_WINDOW, VALID_WINDOW + 1):
        step = current + offset
        if pyotp.utils.strings_equal(totp.at(now, counter_offset=offset), code):
            return step if last_used is None or step > last_used else 0
    return 0


def use_code(user: User, code: str, now: float | None = None) -> bool:
    """Accept a current authenticator code once: its step is remembered, so it cannot be reused."""
    row = setting_of(user)
    secret = unseal(row.secret_sealed, PURPOSE) if row is not None else None
    if row is None or secret is None:
        return False
    step = matching_step(secret, code, row.last_used_step, now)
    if not step:
        return False
    row.last_used_step = step
    db.session.flush()
    return True


def new_recovery_codes(user: User) -> list[str]:
    """Ten fresh one-time codes (the old ones stop working); only their hashes are kept."""
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [
        "-".join("".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(5)) for _ in range(2))
        for _ in range(RECOVERY_CODES)
    ]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=hash_password(c)) for c in codes)
    db.session.flush()
    return codes


def unused_recovery_codes(user: User) -> list[RecoveryCode]:
    stmt = sa.select(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
    )
    return list(db.session.scalars(stmt))


def use_recovery_code(user: User, code: str) -> bool:
    """Accept an unused recovery code once; it is marked used."""
    code = _clean(code)
    if len(code) != 10:  # two groups of five
        return False
    given = f"{code[:5]}-{code[5:]}"
    for stored in unused_recovery_codes(user):
        if verify_password(stored.code_hash, given):
            stored.used_at = utcnow()
            db.session.flush()
            record_event(AuditAction.TWO_FACTOR_CHANGED, **_about(user, "recovery code used"))
            return True
    return False


def _about(user: User, change: str) -> dict[str, Any]:
    """The audit event's target, detail and actor: the user (not yet signed in at sign-in)."""
    return {
        "target": f"user {user.id}",
        "detail": {"two_factor": change},
        "actor_id": user.id,
        "actor": user.email,
    }


def turn_on(user: User, code: str, now: float | None = None) -> list[str] | None:
    """Confirm the pending secret with a current code; the recovery codes, or None if wrong."""
    row = setting_of(user)
    if row is None or row.enabled_at is not None or not use_code(user, code, now):
        return None
    row.enabled_at = utcnow()
    codes = new_recovery_codes(user)
    record_event(AuditAction.TWO_FACTOR_CHANGED, **_about(user, "turned on"))
    return codes


def remove(user: User) -> None:
    """Forget the secret and the recovery codes: two-factor is off."""
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(sa.delete(TwoFactor).where(TwoFactor.user_id == user.id))
    db.session.flush()


def reset_by_admin(user: User) -> None:
    """An admin turns a user's two-factor off (a lost phone); the user sets it up again."""
    remove(user)
    record_event(
        AuditAction.TWO_FACTOR_CHANGED, target=f"user {user.id}", detail={"two_factor": "reset"}
    )


@dataclass(frozen=True)
class Check:
    ok: bool
    error: str | None = None
    throttled: bool = False
    recovery_codes_left: int | None = None  # set when a recovery code was used


WRONG_CODE = _l("The code is not right, or it was already used.")


def check_code(
    user: User,
    code: str,
    address: str,
    step: str,
    *,
    recovery: bool = False,
    now: float | None = None,
) -> Check:
    """Check a code (a recovery code too when allowed): recorded and throttled like a password.

    Failures are sign-in attempts that failed, so guessing codes meets the same limits as
    guessing passwords (docs/security.md); ``step`` names the step in the log and audit event.
    """
    address = (address or "unknown")[:64]
    one_check_at_a_time(user.email, address)
    if is_throttled(user.email, address):
        return Check(False, throttled_answer(step, user.email, address).error, throttled=True)
    by_app = use_code(user, code, now)
    by_recovery = recovery and not by_app and use_recovery_code(user, code)
    # A failure is also a sign_in_failed audit event whose detail names the step.
    record_attempt(step, user.email, address, user, by_app or by_recovery)
    if not (by_app or by_recovery):
        return Check(False, str(WRONG_CODE))
    left = len(unused_recovery_codes(user)) if by_recovery else None
    return Check(True, recovery_codes_left=left)


def second_step(user: User, code: str, address: str, now: float | None = None) -> Check:
    """The sign-in's second step: an authenticator code or a recovery code."""
    return check_code(user, code, address, SECOND_FACTOR, recovery=True, now=now)


def regenerate_recovery_codes(
    user: User, code: str, address: str, now: float | None = None
) -> tuple[Check, list[str]]:
    """New recovery codes after a current authenticator code; the old ones stop working."""
    if not is_on(user):
        return Check(False, str(WRONG_CODE)), []
    check = check_code(user, code, address, "recovery codes", now=now)
    if not check.ok:
        return check, []
    record_event(AuditAction.TWO_FACTOR_CHANGED, **_about(user, "recovery codes regenerated"))
    return check, new_recovery_codes(user)


def turn_off(user: User, password: str, code: str, address: str, now: float | None = None) -> Check:
    """Needs the password and a current code: from the app, or a recovery code (a lost phone)."""
    if not is_on(user):
        return Check(False, str(WRONG_CODE))
    password_check = check_current_password(user, password, address)
    if password_check.error is not None:
        return Check(False, password_check.error, throttled=password_check.throttled)
    check = check_code(user, code, address, "turning two-factor off", recovery=True, now=now)
    if check.ok:
        remove(user)
        record_event(AuditAction.TWO_FACTOR_CHANGED, **_about(user, "turned off"))
    return check
