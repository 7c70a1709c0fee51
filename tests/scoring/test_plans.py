"""Action plan status rules."""

from datetime import date

import pytest

from qa_app.scoring.plans import GoalProgress, PlanStatus, goal_status, plan_status

DUE = date(2026, 12, 31)
BEFORE, AFTER = date(2026, 12, 1), date(2027, 1, 1)


@pytest.mark.parametrize(
    ("average", "scores", "today", "expected"),
    [
        (None, 0, BEFORE, PlanStatus.OPEN),
        (None, 0, AFTER, PlanStatus.MISSED),
        (3.5, 4, BEFORE, PlanStatus.OPEN),
        (4.2, 2, BEFORE, PlanStatus.ON_TRACK),
        (4.0, 3, BEFORE, PlanStatus.ACHIEVED),
        (4.0, 1, AFTER, PlanStatus.ACHIEVED),
        (3.99, 9, AFTER, PlanStatus.MISSED),
        (4.5, 1, DUE, PlanStatus.ON_TRACK),
    ],
)
def test_goal_status(average, scores, today, expected):
    assert goal_status(GoalProgress(4.0, average, scores), today, DUE) == expected


def test_plan_status_combines_goals():
    achieved = GoalProgress(4.0, 4.5, 5)
    on_track = GoalProgress(4.0, 4.5, 1)
    open_goal = GoalProgress(4.0, 2.0, 5)
    assert plan_status([achieved, achieved], BEFORE, DUE) == PlanStatus.ACHIEVED
    assert plan_status([achieved, on_track], BEFORE, DUE) == PlanStatus.ON_TRACK
    assert plan_status([achieved, open_goal], BEFORE, DUE) == PlanStatus.OPEN
    assert plan_status([achieved, open_goal], AFTER, DUE) == PlanStatus.MISSED
    assert plan_status([], BEFORE, DUE) == PlanStatus.OPEN
