"""Secrets the application must read back (webhook signing secrets, API keys of other services).

Fernet (from ``cryptography``) under a key derived from SECRET_KEY with HKDF-SHA256, one derived
key per purpose, so the database alone does not give a secret away. A changed SECRET_KEY makes
every sealed value unreadable: ``unseal`` then answers None and an admin enters it again.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app


def _fernet(purpose: bytes) -> Fernet:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(secret)
    return Fernet(base64.urlsafe_b64encode(derived))


def seal(value: str, purpose: bytes) -> str:
    return _fernet(purpose).encrypt(value.encode()).decode()


def unseal(token: str | None, purpose: bytes) -> str | None:
    """The sealed value, or None when there is none or it cannot be read (another SECRET_KEY)."""
    if not token:
        return None
    try:
        return _fernet(purpose).decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        return None
