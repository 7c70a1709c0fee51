"""Action plan status, computed from the scores given after the plan started (never typed in)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .aggregates import MIN_SCORED_EVALUATIONS


class PlanStatus(StrEnum):
    OPEN = "open"
    ON_TRACK = "on track"
    ACHIEVED = "achieved"
    MISSED = "missed"


@dataclass(frozen=True)
class GoalProgress:
    """A goal's target average and the criterion scores given since the plan started."""

    target: float
    average: float | None
    scores: int


def goal_status(goal: GoalProgress, today: date, due: date) -> PlanStatus:
    """Achieved: the target is met at the due date, or earlier on enough scores to judge.

    Before the due date a goal meeting its target on fewer scores is "on track"; one below its
    target (or with no scores yet) is "open". After the due date, anything short is "missed".
    """
    met = goal.average is not None and goal.average >= goal.target
    if today > due:
        return PlanStatus.ACHIEVED if met else PlanStatus.MISSED
    if met and goal.scores >= MIN_SCORED_EVALUATIONS:
        return PlanStatus.ACHIEVED
    return PlanStatus.ON_TRACK if met else PlanStatus.OPEN


def plan_status(goals: Sequence[GoalProgress], today: date, due: date) -> PlanStatus:
    """All goals achieved -> achieved; any missed -> missed; all at least on track -> on track."""
    statuses = [goal_status(goal, today, due) for goal in goals]
    if not statuses:
        return PlanStatus.OPEN
    if all(s == PlanStatus.ACHIEVED for s in statuses):
        return PlanStatus.ACHIEVED
    if PlanStatus.MISSED in statuses:
        return PlanStatus.MISSED
    if all(s in (PlanStatus.ACHIEVED, PlanStatus.ON_TRACK) for s in statuses):
        return PlanStatus.ON_TRACK
    return PlanStatus.OPEN
