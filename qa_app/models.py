"""Imports every model module so that SQLAlchemy and Alembic see the whole schema."""

from .accounts.models import LoginAttempt, Role, Team, User, team_members
from .scorecards.models import Criterion, Scorecard, ScorecardVersion, Section

__all__ = [
    "Criterion",
    "LoginAttempt",
    "Role",
    "Scorecard",
    "ScorecardVersion",
    "Section",
    "Team",
    "User",
    "team_members",
]
