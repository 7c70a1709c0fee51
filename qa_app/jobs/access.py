"""Who may see a job: its owner, and admins (who see every job)."""

from __future__ import annotations

import sqlalchemy as sa

from ..accounts.models import Role, User
from .models import Job


def jobs_visible_to(user: User) -> sa.Select[tuple[Job]]:
    """The jobs this user may open, newest first."""
    stmt = sa.select(Job).order_by(Job.created_at.desc(), Job.id.desc())
    return stmt if user.role == Role.ADMIN else stmt.where(Job.owner_id == user.id)
