"""Who may open the reviewer pages: senior reviewers and admins, and each reviewer their own."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user

from ..accounts.access import roles_required
from ..accounts.models import Role, User
from ..extensions import db
from .services import may_review

SCORERS = (Role.ADMIN, Role.REVIEWER)


def senior_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Admins and senior reviewers pass; everyone else signed in gets 403."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not may_review(current_user):
            abort(403)
        return view(*args, **kwargs)

    return roles_required(*SCORERS)(wrapped)


def scorer_or_404(reviewer_id: int) -> User:
    """A reviewer (or admin) whose quality page the current user may read, or 404.

    A reviewer who is not senior reads only their own page: another's is as absent as a wrong id.
    """
    found = db.session.get(User, reviewer_id)
    if found is None or found.role not in SCORERS:
        abort(404)
    if found.id != current_user.id and not may_review(current_user):
        abort(404)
    return found
