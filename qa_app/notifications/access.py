"""A notification is its recipient's alone."""

from __future__ import annotations

from flask import abort

from ..accounts.models import User
from ..extensions import db
from .models import Notification


def own_or_404(user: User, notification_id: int) -> Notification:
    """The user's own notification; anyone else's answers 404, exactly as an unknown id does."""
    found = db.session.get(Notification, notification_id)
    if found is None or found.recipient_id != user.id:
        abort(404)
    return found
