"""Who may read and change scorecards."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from ..accounts.models import Role
from ..extensions import db
from .models import ScorecardVersion

MANAGERS = (Role.ADMIN, Role.REVIEWER)


def can_manage() -> bool:
    return bool(current_user.is_authenticated and current_user.role in MANAGERS)


def readable_version(version_id: int) -> ScorecardVersion:
    """A version the user may read: drafts only for those who build scorecards."""
    version = db.get_or_404(ScorecardVersion, version_id)
    if version.is_draft and not can_manage():
        abort(404)
    return version
