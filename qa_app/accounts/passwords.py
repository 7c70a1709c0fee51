"""Password policy and hashing."""

from __future__ import annotations

import secrets
import string
from functools import lru_cache

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 12
MAX_LENGTH = 128
# Sign-in forms ignore a password of whitespace only, so no account may have one.
BLANK_PASSWORD = _l("A password cannot consist of spaces only.")


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    # zxcvbn ships a frequency-ranked list of ~30,000 leaked passwords.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problems(password: str, *user_words: str) -> list[str]:
    """Why a password is refused (in the reader's language); an empty list means acceptable."""
    if password and not password.strip():
        return [str(BLANK_PASSWORD)]
    if len(password) < MIN_LENGTH:
        return [_("Use at least %(num)d characters.", num=MIN_LENGTH)]
    if len(password) > MAX_LENGTH:
        return [_("Use at most %(num)d characters.", num=MAX_LENGTH)]
    if password.lower() in _common_passwords():
        return [_("This password is too common; choose one that others would not guess.")]
    from zxcvbn import zxcvbn

    words = [w for w in user_words if w]
    # zxcvbn refuses anything over 72 characters unless told the limit; 128 takes < 0.1 s.
    if zxcvbn(password, user_inputs=words, max_length=MAX_LENGTH)["score"] < 3:
        return [_("This password is too easy to guess; add unrelated words or characters.")]
    return []


def hash_password(password: str) -> str:
    """A salted scrypt hash at the configured cost."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def verify_password(password_hash: str, password: str) -> bool:
    """True when the password matches the stored hash."""
    return check_password_hash(password_hash, password)


def spend_a_check(password: str) -> None:
    """Cost as much as verify_password does, when there is no stored hash to check against.

    Hashing the given password once, at the configured cost, is one scrypt run like a real
    check: a sign-in for an unknown email takes as long as one for a known email.
    """
    hash_password(password)


def generate_password(length: int = 20) -> str:
    """A random password that passes the policy (letters, digits and a few symbols)."""
    alphabet = string.ascii_letters + string.digits + "-_.!"
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        if not password_problems(candidate):
            return candidate
