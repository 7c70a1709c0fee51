"""Imports every model module so that SQLAlchemy and Alembic see the whole schema."""

from .accounts.models import LoginAttempt, Role, Team, User, team_members

__all__ = ["LoginAttempt", "Role", "Team", "User", "team_members"]
