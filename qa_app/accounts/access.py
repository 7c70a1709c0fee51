"""Who may open what: role checks for views, and the user loader that signs users in."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

import sqlalchemy as sa
from flask import Flask, abort
from flask_babel import lazy_gettext
from flask_login import current_user, login_required

from ..extensions import db, login_manager
from .models import Role, User


def init_login(app: Flask) -> None:
    """Install Flask-Login: the user loader, the sign-in page and how it asks to sign in."""
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = lazy_gettext("Please sign in to see this page.")
    login_manager.localize_callback = str  # the lazy text, in the language of the request
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"


def load_user(user_id: str) -> User | None:
    """Load the user of a session cookie, if the cookie is still current."""
    raw_id, _, raw_version = user_id.partition(":")
    if not (raw_id.isdigit() and raw_version.isdigit()):
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or not user.is_active or user.session_version != int(raw_version):
        return None
    return user


def roles_required(*roles: Role) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Signed-in users with one of these roles pass; others get 403."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def agents_led_by(user: User) -> sa.Select[tuple[int]]:
    """Ids of the agents in the teams this user leads."""
    from .models import Team, team_members

    return sa.select(team_members.c.agent_id).join(Team).where(Team.lead_id == user.id)


def teams_visible_to(user: User) -> sa.Select[Any]:
    """A select of the teams this user may see: all for admins and reviewers, own for others."""
    from .models import Team, team_members

    stmt = sa.select(Team).order_by(Team.name)
    if user.role in (Role.ADMIN, Role.REVIEWER):
        return stmt
    if user.role == Role.LEAD:
        return stmt.where(Team.lead_id == user.id)
    return stmt.join(team_members).where(team_members.c.agent_id == user.id)
