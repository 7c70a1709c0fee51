"""Imports every model module so that SQLAlchemy and Alembic see the whole schema."""

from .accounts.models import LoginAttempt, Role, Team, User, team_members
from .admin.models import AppSetting
from .evaluations.models import (
    Dispute,
    Evaluation,
    EvaluationChange,
    EvaluationScore,
    dispute_criteria,
)
from .interactions.models import ImportBatch, Interaction
from .plans.models import ActionGoal, ActionPlan, PlanNote
from .results import tracking  # noqa: F401  (keeps the aggregates up to date)
from .results.models import AgentDayCriterionStats, AgentDayStats
from .scorecards.models import Criterion, Scorecard, ScorecardVersion, Section

__all__ = [
    "ActionGoal",
    "ActionPlan",
    "PlanNote",
    "AgentDayCriterionStats",
    "AgentDayStats",
    "AppSetting",
    "Criterion",
    "Dispute",
    "Evaluation",
    "EvaluationChange",
    "EvaluationScore",
    "ImportBatch",
    "Interaction",
    "LoginAttempt",
    "Role",
    "Scorecard",
    "ScorecardVersion",
    "Section",
    "Team",
    "User",
    "dispute_criteria",
    "team_members",
]
