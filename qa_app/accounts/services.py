"""Account writes and the site's sign-in policy. Services flush; the request commits.

The sign-in steps themselves (passwords checked, attempts recorded and throttled) are in
sign_in.py.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..audit.models import AuditAction
from ..audit.services import record_event
from ..database import utcnow
from ..errors import UserError
from ..extensions import db
from ..i18n import LANGUAGES
from .models import Role, SignInPolicy, Team, User
from .passwords import hash_password

SSO_ONLY = _l("This account signs in with single sign-on only, not with a password.")
PASSWORDS_OFF = _l("Password sign-in is turned off for this site; use single sign-on.")


class AccountError(UserError):
    """A user-facing reason why an account change was refused."""


def normalize_email(email: str) -> str:
    """Emails are compared and stored trimmed and lower-cased."""
    return email.strip().lower()


def get_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalize_email(email)))


def password_sign_in_allowed() -> bool:
    """False when an admin turned password sign-in off for the site (docs/sso.md)."""
    policy = db.session.get(SignInPolicy, 1)
    return policy is None or policy.allow_password_sign_in


def password_refusal(user: User) -> str | None:
    """Why this user may not sign in with a password, or None when they may."""
    if user.is_sso_only:
        return str(SSO_ONLY)
    if not password_sign_in_allowed() and not is_break_glass_admin(user):
        return str(PASSWORDS_OFF)
    return None


def is_break_glass_admin(user: User) -> bool:
    return user.is_active and user.role == Role.ADMIN and user.is_break_glass


def break_glass_admins() -> list[User]:
    """The active admins who keep their password when password sign-in is off."""
    stmt = sa.select(User).where(
        User.role == Role.ADMIN,
        User.is_active.is_(True),
        User.is_break_glass.is_(True),
        User.is_sso_only.is_(False),
    )
    return list(db.session.scalars(stmt.order_by(User.display_name)))


def _check_break_glass_kept() -> None:
    """With password sign-in off, at least one admin must still be able to use a password."""
    db.session.flush()
    if not password_sign_in_allowed() and not break_glass_admins():
        raise AccountError(
            _("Password sign-in is off: keep at least one active break-glass admin.")
        )


def set_password_sign_in(allowed: bool) -> None:
    """Turn password sign-in on or off for the site; off needs a break-glass admin."""
    policy = db.session.get(SignInPolicy, 1) or SignInPolicy(id=1)
    policy.allow_password_sign_in = allowed
    db.session.add(policy)
    _check_break_glass_kept()


def set_sign_in_ways(user: User, *, sso_only: bool, break_glass: bool) -> None:
    """Mark a user single-sign-on-only or break-glass (admins only); never both at once."""
    if sso_only and break_glass:
        raise AccountError(_("A break-glass admin signs in with a password: not SSO only."))
    user.is_sso_only = sso_only
    user.is_break_glass = break_glass and user.role == Role.ADMIN
    _check_break_glass_kept()


def end_all_sessions(user: User) -> None:
    """Make every session cookie issued to this user useless."""
    user.session_version += 1


def set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    end_all_sessions(user)
    record_event(AuditAction.PASSWORD_CHANGED, target=f"user {user.id}")


def set_language(user: User, language: str | None) -> None:
    """The user's language; None follows the browser. Unknown codes are refused."""
    if language is not None and language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    user.language = language
    db.session.flush()


def _check_email_free(email: str, user: User | None = None) -> None:
    existing = get_user_by_email(email)
    if existing is not None and existing is not user:
        raise AccountError(_("Another user already has this email address."))


def create_user(email: str, display_name: str, role: Role, password: str, *, via: str = "") -> User:
    """Create an active user with a hashed password.

    ``via`` names how a user made their own account (``sso``): the audit event then names them.
    """
    _check_email_free(email)
    user = User(
        email=normalize_email(email),
        display_name=display_name.strip(),
        role=role,
        password_hash=hash_password(password),
    )
    db.session.add(user)
    db.session.flush()
    detail = {"role": str(role)} | ({"via": via} if via else {})
    who = {"actor_id": user.id, "actor": user.email} if via else {}
    record_event(AuditAction.USER_CREATED, target=f"user {user.id}", detail=detail, **who)
    return user


def _admins_left_besides(user: User) -> int:
    stmt = sa.select(sa.func.count()).where(
        User.role == Role.ADMIN, User.is_active.is_(True), User.id != user.id
    )
    return db.session.scalar(stmt) or 0


def update_user(
    user: User, *, actor: User, email: str, display_name: str, role: Role, is_active: bool
) -> None:
    """Edit a user; refuses to leave the organisation without an active admin."""
    _check_email_free(email, user)
    losing_admin = user.role == Role.ADMIN and (role != Role.ADMIN or not is_active)
    if losing_admin and _admins_left_besides(user) == 0:
        raise AccountError(_("This is the last active admin; make another admin first."))
    if user.id == actor.id and not is_active:
        raise AccountError(_("You cannot deactivate your own account."))
    if role != Role.AGENT:
        user.teams = []
    if role != Role.LEAD:
        for team in user.led_teams:
            team.lead = None
    if user.is_active and not is_active:
        end_all_sessions(user)
    _audit_user_change(user, normalize_email(email), display_name.strip(), role, is_active)
    user.email = normalize_email(email)
    user.display_name = display_name.strip()
    user.role = role
    user.is_active = is_active
    user.is_break_glass = user.is_break_glass and role == Role.ADMIN
    _check_break_glass_kept()


def _audit_user_change(user: User, email: str, name: str, role: Role, is_active: bool) -> None:
    """What an edit changes: the role's old and new value; that the email or name changed."""
    changes: dict[str, object] = {}
    if role != user.role:
        changes["role"] = [str(user.role), str(role)]
    if email != user.email:
        changes["email"] = "changed"
    if name != user.display_name:
        changes["display_name"] = "changed"
    target = f"user {user.id}"
    if changes:
        record_event(AuditAction.USER_CHANGED, target=target, detail=changes)
    if user.is_active != is_active:
        active = AuditAction.USER_REACTIVATED if is_active else AuditAction.USER_DEACTIVATED
        record_event(active, target=target)


def set_senior_reviewer(user: User, is_senior: bool) -> None:
    """Mark a reviewer as senior (docs/reviewer-quality.md); other roles never keep the mark."""
    senior = is_senior and user.role == Role.REVIEWER
    if senior != user.is_senior_reviewer:
        detail = {"senior_reviewer": [user.is_senior_reviewer, senior]}
        record_event(AuditAction.USER_CHANGED, target=f"user {user.id}", detail=detail)
    user.is_senior_reviewer = senior
    db.session.flush()


def save_team(team: Team | None, *, name: str, lead: User | None, agents: list[User]) -> Team:
    """Create or edit a team; an agent moved here leaves their previous team."""
    clash = db.session.scalar(sa.select(Team).where(sa.func.lower(Team.name) == name.lower()))
    if clash is not None and clash is not team:
        raise AccountError(_("Another team already has this name."))
    if lead is not None and lead.role != Role.LEAD:
        raise AccountError(_("The team lead must be a user with the team lead role."))
    if any(agent.role != Role.AGENT for agent in agents):
        raise AccountError(_("Only agents can be team members."))
    created = team is None
    if team is None:
        team = Team(name=name.strip())
        db.session.add(team)
    before = _team_facts(team, created)
    team.name = name.strip()
    team.lead = lead
    for agent in agents:
        agent.teams = []
    db.session.flush()
    team.agents = agents
    db.session.flush()
    _audit_team_change(team, before, created)
    return team


def _team_facts(team: Team, created: bool) -> tuple[str, int | None, set[int]]:
    if created:
        return "", None, set()
    return team.name, team.lead_id, {agent.id for agent in team.agents}


def _audit_team_change(team: Team, before: tuple[str, int | None, set[int]], created: bool) -> None:
    """The team's changes by ids: its name, its lead, the agents who joined or left."""
    name, lead_id, agent_ids = before
    now = {agent.id for agent in team.agents}
    detail: dict[str, object] = {"created": True} if created else {}
    if team.name != name:
        detail["name"] = [name, team.name]
    if team.lead_id != lead_id:
        detail["lead"] = [lead_id, team.lead_id]
    if now - agent_ids:
        detail["agents_joined"] = sorted(now - agent_ids)
    if agent_ids - now:
        detail["agents_left"] = sorted(agent_ids - now)
    if detail:
        record_event(AuditAction.TEAM_CHANGED, target=f"team {team.id}", detail=detail)
