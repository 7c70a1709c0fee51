"""Single sign-on: the provider's settings, the role mappings, and a sign-in through Authlib.

Authlib's Flask client does the protocol: discovery, the authorization code flow with PKCE
(S256), state and nonce kept in the session, and the ID token's checks (signature against the
provider's published keys, issuer, audience, expiry, nonce). This module decides what the
checked claims mean here: which user they are, and whether that user may come in
(docs/sso.md). Services flush; the request commits.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import requests
import sqlalchemy as sa
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.flask_client import OAuth
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from joserfc.errors import JoseError
from werkzeug.wrappers import Response

from ..accounts import services as accounts
from ..accounts.models import Role, User
from ..accounts.passwords import generate_password
from ..accounts.sign_in import SignIn
from ..audit.models import AuditAction
from ..audit.services import record_event
from ..database import utcnow
from ..errors import UserError
from ..extensions import db
from ..sealed import seal, unseal
from .models import SsoProvider, SsoRoleMapping

logger = logging.getLogger(__name__)
SECRET_PURPOSE = b"qa-scorecard: single sign-on client secret"
SCOPES = "openid email profile"
TIMEOUT_SECONDS = 10
# What the exchange with the provider may raise: the libraries' errors, the network's, and a
# provider's nonsense (a missing endpoint, a list where a document belongs).
FAILURES = (AuthlibBaseError, JoseError, requests.RequestException)
FAILURES += (LookupError, TypeError, ValueError, RuntimeError)
# When several mappings match, the role with the most rights wins.
ROLE_RIGHTS = (Role.ADMIN, Role.REVIEWER, Role.LEAD, Role.AGENT)
REASONS = {
    "state": _l("The sign-in was not started in this browser, or it took too long. Start again."),
    "provider": _l("The provider did not sign you in."),
    "unreachable": _l("The provider could not be reached. Try again later."),
    "issuer": _l("The provider's answer names another issuer than the one set up here."),
    "signature": _l("The provider's ID token has a signature that does not check out."),
    "expired": _l("The provider's ID token has expired. Start again."),
    "nonce": _l("The provider's ID token belongs to another sign-in. Start again."),
    "audience": _l("The provider's ID token was issued for another application."),
    "claims": _l("The provider's ID token failed a check."),
    "no_email": _l("The provider sent no email address, so no account can be matched."),
    "email_unverified": _l("The provider has not verified your email address, so it is not used."),
    "inactive": _l("Your account is deactivated; ask an admin."),
}


class SsoError(UserError):
    """A refused single sign-on setting or sign-in, worded for the user."""

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason


def refused(reason: str) -> SsoError:
    return SsoError(_("Single sign-on failed: %(why)s", why=REASONS[reason]), reason)


def provider() -> SsoProvider:
    """The settings row, a new (off) one when none is stored yet."""
    return db.session.get(SsoProvider, 1) or SsoProvider(
        id=1, is_enabled=False, name="", issuer="", client_id="", default_role=Role.AGENT
    )


def active_provider() -> SsoProvider | None:
    """The provider when an admin switched it on, else None."""
    row = db.session.get(SsoProvider, 1)
    return row if row is not None and row.is_enabled else None


def discovery_url(issuer: str) -> str:
    """Where the provider publishes its settings, by the OpenID Connect Discovery rule."""
    return issuer.rstrip("/") + "/.well-known/openid-configuration"


@dataclass(frozen=True)
class NewSettings:
    is_enabled: bool
    name: str
    issuer: str
    client_id: str
    default_role: Role
    role_claim: str
    allow_password_sign_in: bool
    new_secret: str = ""  # empty: keep the stored secret


def _snapshot(row: SsoProvider) -> dict[str, Any]:
    names = ("is_enabled", "name", "issuer", "client_id", "default_role", "role_claim")
    return {
        **{name: getattr(row, name) for name in names},
        "client_secret": row.client_secret_encrypted,
        "allow_password_sign_in": accounts.password_sign_in_allowed(),
    }


def save_settings(new: NewSettings) -> SsoProvider:
    """Store the settings; password sign-in goes off only while single sign-on is on."""
    row = provider()
    before = _snapshot(row)
    row.is_enabled, row.name = new.is_enabled, new.name.strip()
    row.issuer, row.client_id = new.issuer.strip(), new.client_id.strip()
    row.default_role, row.role_claim = new.default_role, new.role_claim.strip()
    if new.new_secret:
        row.client_secret_encrypted = seal(new.new_secret, SECRET_PURPOSE)
    if row.is_enabled and unseal(row.client_secret_encrypted, SECRET_PURPOSE) is None:
        raise SsoError(_("Enter the client secret to switch single sign-on on."))
    if not new.allow_password_sign_in and not row.is_enabled:
        raise SsoError(_("Password sign-in can be turned off only while single sign-on is on."))
    db.session.add(row)
    accounts.set_password_sign_in(new.allow_password_sign_in)
    after = _snapshot(row)
    changed = sorted(name for name in after if after[name] != before[name])
    if changed:  # names only: the secret itself never reaches the log
        record_event(AuditAction.SSO_CHANGED, target="sso provider", detail={"changed": changed})
    return row


def mappings() -> list[SsoRoleMapping]:
    return list(db.session.scalars(sa.select(SsoRoleMapping).order_by(SsoRoleMapping.claim_value)))


def add_mapping(claim_value: str, role: Role) -> SsoRoleMapping:
    """A claim value that gives new users a role; each value once."""
    value = claim_value.strip()
    if db.session.scalar(sa.select(SsoRoleMapping).where(SsoRoleMapping.claim_value == value)):
        raise SsoError(_("This claim value already has a role."))
    mapping = SsoRoleMapping(claim_value=value, role=role)
    db.session.add(mapping)
    db.session.flush()
    detail = {"added": role.value}
    record_event(AuditAction.SSO_CHANGED, target=f"sso role mapping {mapping.id}", detail=detail)
    return mapping


def delete_mapping(mapping: SsoRoleMapping) -> None:
    detail = {"removed": mapping.role.value}
    record_event(AuditAction.SSO_CHANGED, target=f"sso role mapping {mapping.id}", detail=detail)
    db.session.delete(mapping)
    db.session.flush()


def role_for(
    claims: dict[str, Any], claim: str, table: list[SsoRoleMapping], default: Role
) -> Role:
    """The role of a new user: the mapped role with the most rights, else the default."""
    value = claims.get(claim) if claim else None
    values = {str(v) for v in value} if isinstance(value, list) else {str(value)}
    matched = {m.role for m in table if value is not None and m.claim_value in values}
    return next((role for role in ROLE_RIGHTS if role in matched), default)


def _client(row: SsoProvider) -> Any:
    """An Authlib client for the stored settings, built per request so a change counts at once."""
    registry = OAuth(current_app._get_current_object())  # type: ignore[attr-defined]
    return registry.register(
        "sso",
        client_id=row.client_id,
        client_secret=unseal(row.client_secret_encrypted, SECRET_PURPOSE),
        server_metadata_url=discovery_url(row.issuer),
        client_kwargs={
            "scope": SCOPES,
            "code_challenge_method": "S256",
            "default_timeout": TIMEOUT_SECONDS,
        },
    )


@contextmanager
def _provider_answer(step: str) -> Iterator[None]:
    """A failed step of the exchange becomes a refusal naming the check; the log has the error."""
    try:
        yield
    except FAILURES as error:
        logger.warning("SSO %s failed: %r", step, error)
        raise refused(_reason(error)) from error


def _metadata(client: Any, row: SsoProvider) -> None:
    """Discovery must name the issuer the admin set up (OpenID Connect Discovery, 4.3)."""
    try:
        issuer = client.load_server_metadata().get("issuer")
    except (requests.RequestException, ValueError, TypeError, AttributeError) as error:
        logger.warning("SSO discovery failed: %r", error)
        raise refused("unreachable") from error
    if issuer != row.issuer:
        logger.warning("SSO discovery names the issuer %r, not %r", issuer, row.issuer)
        raise refused("issuer")


def start_sign_in(row: SsoProvider, redirect_uri: str) -> Response:
    """The redirect to the provider; state, nonce and PKCE verifier wait in the session."""
    client = _client(row)
    _metadata(client, row)
    with _provider_answer("start"):
        response: Response = client.authorize_redirect(redirect_uri)
    return response


def _reason(error: Exception) -> str:
    """Which check failed, from the error Authlib or joserfc raised."""
    if isinstance(error, requests.RequestException):
        return "unreachable"
    code = getattr(error, "error", None)
    claim = getattr(error, "claim_name", None) or getattr(error, "claim", None)
    known = {"mismatching_state": "state", "expired_token": "expired"}
    known |= {"bad_signature": "signature", "invalid_key_id": "signature"}
    if code in known:
        return known[code]
    if code in ("invalid_claim", "missing_claim"):
        return {"iss": "issuer", "nonce": "nonce", "aud": "audience"}.get(str(claim), "claims")
    return "claims" if isinstance(error, JoseError) else "provider"


def _checked_claims(row: SsoProvider) -> dict[str, Any]:
    """The ID token's claims once Authlib has checked them against the admin's settings."""
    client = _client(row)
    _metadata(client, row)
    # Without an "aud" option the audience would be checked only through "azp".
    ours = {
        "iss": {"essential": True, "values": [row.issuer]},
        "aud": {"essential": True, "values": [row.client_id]},
    }
    with _provider_answer("sign-in"):
        token = client.authorize_access_token(claims_options=ours)
    claims = token.get("userinfo")
    if not claims:  # no ID token: an OAuth-only answer proves nobody's identity
        raise refused("claims")
    return dict(claims)


def _new_user(claims: dict[str, Any], email: str, row: SsoProvider) -> User:
    role = role_for(claims, row.role_claim, mappings(), row.default_role)
    name = str(claims.get("name") or "").strip()[:120] or email.split("@")[0][:120]
    user = accounts.create_user(email, name, role, generate_password(), via="sso")
    user.is_sso_only = True  # the random password is never told to anyone
    return user


def user_for_claims(claims: dict[str, Any], row: SsoProvider) -> User:
    """The account of a verified email; a new one at the first sign-in."""
    email = claims.get("email")
    if not isinstance(email, str) or not email.strip() or len(email.strip()) > 254:
        raise refused("no_email")
    if claims.get("email_verified") not in (True, "true"):
        raise refused("email_unverified")
    user = accounts.get_user_by_email(email)
    if user is None:
        user = _new_user(claims, email, row)
    elif not user.is_active:
        raise refused("inactive")
    user.last_login_at = utcnow()
    db.session.flush()
    return user


def finish_sign_in(row: SsoProvider) -> SignIn:
    """Check the provider's answer and find the user; every outcome goes to the audit log."""
    claims: dict[str, Any] = {}
    try:
        claims = _checked_claims(row)
        user = user_for_claims(claims, row)
    except SsoError as error:
        db.session.rollback()  # nothing half-made stays; the event below is stored alone
        email = claims.get("email")
        record_event(
            AuditAction.SIGN_IN_FAILED,
            detail={"method": "sso", "reason": error.reason},
            actor=str(email)[:254] if isinstance(email, str) else "",
        )
        return SignIn(None, str(error))
    who = {"actor_id": user.id, "actor": user.email}
    record_event(AuditAction.SIGN_IN, target=f"user {user.id}", detail={"method": "sso"}, **who)
    return SignIn(user, None)
