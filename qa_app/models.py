"""Imports every model module so that SQLAlchemy and Alembic see the whole schema."""

from .accounts.models import LoginAttempt, Role, Team, User, team_members
from .admin.models import AppSetting
from .calibration.models import (
    CalibrationSession,
    calibration_interactions,
    calibration_participants,
)
from .evaluations.models import (
    Dispute,
    Evaluation,
    EvaluationChange,
    EvaluationScore,
    dispute_criteria,
)
from .interactions.models import ImportBatch, Interaction
from .jobs.models import Job
from .plans.models import ActionGoal, ActionPlan, PlanNote
from .results import tracking  # noqa: F401  (keeps the aggregates up to date)
from .results.models import AgentDayCriterionStats, AgentDayStats
from .sampling.models import (
    Assignment,
    SamplingPlan,
    SamplingQuota,
    SamplingRun,
    SamplingShortfall,
    sampling_plan_agents,
    sampling_plan_reviewers,
    sampling_plan_teams,
)
from .scorecards.models import Criterion, Scorecard, ScorecardVersion, Section

__all__ = [
    "ActionGoal",
    "ActionPlan",
    "PlanNote",
    "AgentDayCriterionStats",
    "AgentDayStats",
    "AppSetting",
    "Assignment",
    "CalibrationSession",
    "Criterion",
    "Dispute",
    "Evaluation",
    "EvaluationChange",
    "EvaluationScore",
    "ImportBatch",
    "Interaction",
    "Job",
    "LoginAttempt",
    "Role",
    "SamplingPlan",
    "SamplingQuota",
    "SamplingRun",
    "SamplingShortfall",
    "Scorecard",
    "ScorecardVersion",
    "Section",
    "Team",
    "User",
    "calibration_interactions",
    "calibration_participants",
    "dispute_criteria",
    "sampling_plan_agents",
    "sampling_plan_reviewers",
    "sampling_plan_teams",
    "team_members",
]
